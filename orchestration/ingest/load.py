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
from orchestration.ingest.rules import checked_select, lookup_table, needs_lookup
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
    select = checked_select(dataset, decoded.manifest.period, decoded.produced_at, "stage")
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS {select}")
    quarantined = scalar(con, "SELECT count(*) FROM checked WHERE len(violations) > 0")
    summary = con.execute(
        "SELECT v.column_name, v.rule, count(*) FROM (SELECT unnest(violations) AS v FROM checked "
        "WHERE len(violations) > 0) GROUP BY ALL ORDER BY 3 DESC, 1, 2"
    ).fetchall()
    return Prepared(
        rows_read,
        rows_read - quarantined,
        quarantined,
        tuple((str(c), str(r), int(n)) for c, r, n in summary),
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


def write_rows(con: duckdb.DuckDBPyConnection, dataset: Dataset, batch_id: int) -> None:
    """Insert the prepared rows into the build file; the caller holds the transaction."""
    names = ", ".join(ident(c.name) for c in dataset.columns)
    con.execute(
        f"INSERT INTO {raw_table(dataset)} (batch_id, line_number, {names}) "
        f"SELECT {batch_id}, _line, {names} FROM checked WHERE len(violations) = 0 ORDER BY _record"
    )
    con.execute(
        "INSERT INTO wh.audit.quarantine (batch_id, line_number, column_name, reason, rule, source, dataset) "
        f"SELECT {batch_id}, _line, v.column_name, "
        "concat('line ', _line, ', column ', v.column_name, ': ', v.message, ' (rule ', v.rule, ')'), "
        f"v.rule, {literal(dataset.source)}, {literal(dataset.name)} "
        "FROM (SELECT _record, _line, unnest(violations) AS v FROM checked WHERE len(violations) > 0) "
        "ORDER BY _record, v.column_name"
    )
