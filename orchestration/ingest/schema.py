"""Tables ingestion writes in the build file: `raw.<source>__<dataset>` and the `audit` schema.

Raw tables are named `<source>__<dataset>` (dbt's `stg_<source>__<dataset>` convention), hold the
contract's columns typed (personal identifiers as their pseudonym), plus the batch id of the delivery
and the line in its file where the record starts.
"""

from __future__ import annotations

import duckdb

from orchestration.contract.datasets import DATASETS, Dataset, Kind
from orchestration.ingest.sql import ident

SQL_TYPES: dict[Kind, str] = {
    Kind.TEXT: "VARCHAR",
    Kind.DATE: "DATE",
    # Actiris and BF deliver Brussels wall-clock time, VDAB an offset: both become an instant.
    Kind.TIMESTAMP: "TIMESTAMPTZ",
    Kind.DECIMAL: "DECIMAL(18, 2)",
    Kind.INTEGER: "INTEGER",
    Kind.BOOLEAN: "BOOLEAN",
}

BUILD_CATALOG = "wh"  # the build file, attached to an in-memory connection (see load.py)


def raw_table_name(dataset: Dataset) -> str:
    return f"{dataset.source}__{dataset.name}"


def raw_table(dataset: Dataset) -> str:
    return f"{BUILD_CATALOG}.raw.{ident(raw_table_name(dataset))}"


AUDIT_DDL = f"""
CREATE SCHEMA IF NOT EXISTS {BUILD_CATALOG}.audit;
CREATE TABLE IF NOT EXISTS {BUILD_CATALOG}.audit.deliveries (
    batch_id BIGINT PRIMARY KEY,
    source VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    period VARCHAR,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR,
    produced_at TIMESTAMPTZ,
    rows_declared BIGINT,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    status VARCHAR NOT NULL,
    reason VARCHAR,
    loaded_at TIMESTAMPTZ NOT NULL,
    rule VARCHAR,
    correction INTEGER
);
CREATE TABLE IF NOT EXISTS {BUILD_CATALOG}.audit.quarantine (
    batch_id BIGINT NOT NULL,
    line_number BIGINT NOT NULL,
    column_name VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL
);
"""


def raw_ddl(dataset: Dataset) -> str:
    columns = ",\n    ".join(f"{ident(c.name)} {SQL_TYPES[c.kind]}" for c in dataset.columns)
    return (
        f"CREATE TABLE IF NOT EXISTS {raw_table(dataset)} (\n"
        f"    batch_id BIGINT NOT NULL,\n    line_number BIGINT NOT NULL,\n    {columns}\n)"
    )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every raw and audit table (idempotent), so downstream models find them even if empty."""
    con.execute(AUDIT_DDL)
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {BUILD_CATALOG}.raw")
    for dataset in DATASETS:
        con.execute(raw_ddl(dataset))
