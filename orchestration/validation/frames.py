"""Dataframes to validate, read from the build file through a read-only DuckDB connection.

GX is never pointed at DuckDB through SQLAlchemy (it returns wrong results there, see design.md): every
table is read once into pandas and the check columns of its spec are added in pandas.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from orchestration.validation.rules import CompiledSpec, add_check_columns

ACCOUNTED_STATUSES = ("LOADED", "SUPERSEDED")
REFUSED_STATUSES = ("REJECTED", "DUPLICATE")


def quote(table: str) -> str:
    return ".".join(f'"{part}"' for part in table.split("."))


class BuildTables:
    """Tables of the build file, each read at most once per validation run."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._frames: dict[str, pd.DataFrame] = {}
        self.present = {
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = current_database()"
            ).fetchall()
        }

    def __call__(self, table: str) -> pd.DataFrame:
        if table not in self._frames:
            if table not in self.present:
                raise LookupError(f"{table} is not in the build file")
            self._frames[table] = self.con.execute(f"select * from {quote(table)}").df()
        return self._frames[table]

    def tables_in(self, schema: str) -> list[str]:
        return sorted(t for t in self.present if t.split(".", 1)[0] == schema)

    def fingerprint(self, table: str) -> tuple[int, str]:
        """Row count and an order-independent hash of every row: what the publication must copy."""
        rows, digest = self.con.execute(
            f"select count(*), coalesce(sum(hash(t)), 0)::varchar from {quote(table)} as t"
        ).fetchone() or (0, "0")
        return int(rows), str(digest)


def delivery_accounting(frame: pd.DataFrame, tables: BuildTables) -> pd.DataFrame:
    """Check columns of audit.deliveries: every row of every delivery is loaded or quarantined.

    Raw rows are counted per batch in every `raw.*` table, quarantined lines per batch in audit.quarantine.
    """
    raw_tables = tables.tables_in("raw")
    raw_counts = (
        tables.con.execute(
            " union all ".join(
                f"select batch_id, count(*) as n from {quote(t)} group by batch_id" for t in raw_tables
            )
        ).df()
        if raw_tables
        else pd.DataFrame({"batch_id": [], "n": []})
    )
    raw = raw_counts.groupby("batch_id")["n"].sum()
    quarantined = tables.con.execute(
        "select batch_id, count(distinct line_number) as n from audit.quarantine group by batch_id"
    ).df()
    listed = quarantined.set_index("batch_id")["n"] if not quarantined.empty else pd.Series(dtype="int64")
    frame = frame.copy()
    accounted = frame["status"].isin(ACCOUNTED_STATUSES)
    declared = pd.to_numeric(frame["rows_declared"]).astype("float64")
    loaded = pd.to_numeric(frame["rows_loaded"]).astype("float64")
    rows_quarantined = pd.to_numeric(frame["rows_quarantined"]).astype("float64")
    in_raw = frame["batch_id"].map(raw).fillna(0).astype("float64")
    in_quarantine = frame["batch_id"].map(listed).fillna(0).astype("float64")
    frame["check__rows_unaccounted"] = (declared - loaded - rows_quarantined).where(accounted)
    # A refused delivery loads nothing: any raw row of its batch is unaccounted for too.
    frame["check__rows_loaded_not_in_raw"] = (loaded - in_raw).where(accounted, -in_raw)
    frame["check__rows_quarantined_not_listed"] = (rows_quarantined - in_quarantine).where(
        accounted, -in_quarantine
    )
    refused = frame["status"].isin(REFUSED_STATUSES)
    reason_given = frame["reason"].fillna("").astype("str").str.strip().ne("")
    frame["check__reason_given"] = reason_given.astype("object").where(refused, None)
    return frame


DERIVERS: dict[str, Callable[[pd.DataFrame, BuildTables], pd.DataFrame]] = {
    "delivery_accounting": delivery_accounting,
}


def check_frame(compiled: CompiledSpec, tables: BuildTables) -> pd.DataFrame:
    """The table's rows plus the check columns its suite tests."""
    frame = tables(compiled.spec.table)
    if compiled.spec.derive:
        frame = DERIVERS[compiled.spec.derive](frame, tables)
    return add_check_columns(compiled, frame, tables)
