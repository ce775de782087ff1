"""Read one verified delivery with DuckDB and split its records into loadable rows and quarantined rows.

Everything here happens in the connection's in-memory catalog: the delivered text, raw personal
identifiers included, never reaches the build file. Only `write_rows` touches the build file, inside the
caller's transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from orchestration.contract.datasets import Dataset
from orchestration.contract.formats import SOURCE_FORMATS
from orchestration.ingest.decode import Decoded
from orchestration.ingest.model import Delivery, Rejection
from orchestration.ingest.pseudonymise import lookup_frame
from orchestration.ingest.rules import Violation, checked_select, lookup_table, needs_lookup, violation_flag
from orchestration.ingest.schema import raw_table
from orchestration.ingest.sql import ident, literal, scalar

_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_COLUMNS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


@dataclass(frozen=True)
class Prepared:
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    quarantine_summary: tuple[tuple[str, str, int], ...]


def _read_csv_sql(delivery: Delivery, decoded: Decoded) -> str:
    dataset = decoded.dataset
    fmt = SOURCE_FORMATS[dataset.source]
    columns = "{" + ", ".join(f"{literal(c)}: 'VARCHAR'" for c in dataset.header) + "}"
    # No sniffing: the contract fixes the dialect; strict mode turns a malformed record into an error.
    return (
        f"read_csv({literal(str(delivery.data_path))}, delim={literal(fmt.delimiter)}, quote='\"', "
        f"escape='\"', header=true, auto_detect=false, columns={columns}, strict_mode=true, "
        f"null_padding=false, encoding={literal(decoded.duckdb_encoding)}, nullstr='', "
        "allow_quoted_nulls=true, parallel=true)"
    )


def _structure_error(file: str, error: duckdb.Error) -> Rejection:
    # DuckDB's message quotes the offending line, which may hold a NISS: keep only line and counts.
    text = str(error)
    line = _CSV_LINE.search(text)
    counts = _COLUMNS.search(text)
    detail = f"line {line.group(1)}" if line else "a record"
    if counts:
        detail += f" has {counts.group(2)} fields where the header has {counts.group(1)}"
    else:
        detail += " is not valid CSV for the contract's delimiter and quoting"
    return Rejection("csv_structure", f"{file}: the file does not parse as CSV: {detail}")


def prepare(con: duckdb.DuckDBPyConnection, delivery: Delivery, decoded: Decoded, key: bytes) -> Prepared:
    """Leave temp table `checked` (typed rows, violations, line numbers) in memory, or raise Rejection."""
    dataset = decoded.dataset
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE csv_rows AS SELECT * FROM {_read_csv_sql(delivery, decoded)}"
        )
    except duckdb.Error as error:
        raise _structure_error(delivery.file_name, error) from None
    rows_read = scalar(con, "SELECT count(*) FROM csv_rows")
    if rows_read != decoded.manifest.rows:
        raise Rejection(
            "record_count",
            f"{delivery.file_name}: the file holds {rows_read} records, the manifest declares "
            f"{decoded.manifest.rows}",
        )
    _register_line_numbers(con, decoded, rows_read)
    _register_lookups(con, dataset, key)
    empty_is_null = ", ".join(f"nullif({ident(c)}, '') AS {ident(c)}" for c in dataset.header)
    con.execute(
        "CREATE OR REPLACE TEMP VIEW stage AS SELECT r.rowid AS _record, "
        f"coalesce(l._line, r.rowid + 2) AS _line, {empty_is_null} "
        "FROM csv_rows AS r LEFT JOIN record_lines AS l ON l._record = r.rowid"
    )
    select, violations = checked_select(dataset, decoded.manifest.period, decoded.produced_at, "stage")
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS {select}")
    quarantined = scalar(con, "SELECT count(*) FROM checked WHERE _bad")
    summary: list[tuple[str, str, int]] = []
    if quarantined:
        _list_violations(con, violations)
        summary = [
            (str(c), str(r), int(n))
            for c, r, n in con.execute(
                "SELECT column_name, rule, count(*) FROM violations GROUP BY ALL ORDER BY 3 DESC, 1, 2"
            ).fetchall()
        ]
    return Prepared(rows_read, rows_read - quarantined, quarantined, tuple(summary))


def _list_violations(con: duckdb.DuckDBPyConnection, violations: list[Violation]) -> None:
    """Temp table `violations`: one row per (bad record, broken rule), with the rule's words."""
    rules = pd.DataFrame(
        {
            "flag": [violation_flag(i) for i in range(len(violations))],
            "column_name": [v.column_name for v in violations],
            "rule": [v.rule for v in violations],
            "message": [v.message for v in violations],
        }
    )
    con.register("violation_rules", rules)
    flags = ", ".join(violation_flag(i) for i in range(len(violations)))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE violations AS "
        "SELECT u._record, u._line, r.column_name, r.rule, r.message "
        f"FROM (UNPIVOT (SELECT _record, _line, {flags} FROM checked WHERE _bad) ON {flags} "
        "INTO NAME flag VALUE broken) AS u JOIN violation_rules AS r USING (flag) WHERE u.broken"
    )


def _register_line_numbers(con: duckdb.DuckDBPyConnection, decoded: Decoded, rows_read: int) -> None:
    lines = decoded.record_lines if decoded.record_lines and len(decoded.record_lines) == rows_read else []
    frame = pd.DataFrame(
        {"_record": pd.Series(range(len(lines)), dtype="int64"), "_line": pd.Series(lines, dtype="int64")}
    )
    con.register("record_lines", frame)


def _register_lookups(con: duckdb.DuckDBPyConnection, dataset: Dataset, key: bytes) -> None:
    for column in dataset.columns:
        if not needs_lookup(column):
            continue
        values = [
            v
            for (v,) in con.execute(
                f"SELECT DISTINCT {ident(column.name)} FROM csv_rows WHERE {ident(column.name)} <> ''"
            ).fetchall()
        ]
        con.register(lookup_table(column), lookup_frame(column, values, key))


def write_rows(con: duckdb.DuckDBPyConnection, dataset: Dataset, batch_id: int, prepared: Prepared) -> None:
    """Insert the prepared rows into the build file; the caller holds the transaction."""
    names = ", ".join(ident(c.name) for c in dataset.columns)
    con.execute(
        f"INSERT INTO {raw_table(dataset)} (batch_id, line_number, {names}) "
        f"SELECT {batch_id}, _line, {names} FROM checked WHERE NOT _bad ORDER BY _record"
    )
    if not prepared.rows_quarantined:
        return
    con.execute(
        "INSERT INTO wh.audit.quarantine (batch_id, line_number, column_name, reason, rule, source, dataset) "
        f"SELECT {batch_id}, _line, column_name, "
        "concat('line ', _line, ', column ', column_name, ': ', message, ' (rule ', rule, ')'), "
        f"rule, {literal(dataset.source)}, {literal(dataset.name)} "
        "FROM violations ORDER BY _record, column_name"
    )
