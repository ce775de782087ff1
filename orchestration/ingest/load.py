"""Read one verified delivery with DuckDB and split its records into loadable rows and quarantined rows.

The delivered text, raw personal identifiers included, never reaches the build file: it is read straight
from the CSV file into queries whose only output to the build file is typed, pseudonymised rows and
quarantine reasons. `prepare` works in the connection's in-memory catalog, before the delivery's
transaction; only `write_rows` touches the build file, inside the caller's transaction.

The delivery is never copied into a table: materialising it as text cost more than parsing it again.
DuckDB parses the file once to count its records and collect its distinct identifiers and whether a key
repeats, then once more to check and load it; rarer cases add a pass (the repeated keys, the
quarantined rows).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.contract.datasets import Dataset
from orchestration.contract.formats import SOURCE_FORMATS
from orchestration.ingest.decode import Decoded, wrong_width
from orchestration.ingest.model import Delivery, Rejection
from orchestration.ingest.pseudonymise import Lookups
from orchestration.ingest.rules import (
    Violation,
    checked_select,
    distinct_keys_expression,
    duplicate_keys_select,
    lookup_table,
    needs_lookup,
    violation_flag,
)
from orchestration.ingest.schema import raw_table
from orchestration.ingest.sql import ident, literal

_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_COLUMNS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


@dataclass
class Prepared:
    """A delivery ready to load: `checked` is the SELECT of its rows with one flag per rule."""

    rows_read: int
    checked: str
    violations: list[Violation]
    # Set by `write_rows`, inside the delivery's transaction.
    rows_loaded: int = 0
    rows_quarantined: int = 0
    quarantine_summary: tuple[tuple[str, str, int], ...] = ()


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


def _line_widths(path: Path, delimiter: str) -> Iterator[tuple[int, int, bool]]:
    """(physical line, fields, blank) of each line of a file without quotes."""
    with path.open("rb") as handle:
        for number, text in enumerate(handle, start=1):
            yield number, text.count(delimiter.encode("ascii")) + 1, not text.strip()


def _check_width(delivery: Delivery, decoded: Decoded, records: int) -> None:
    """DuckDB reads a line ending with one delimiter too many as the header's width: in a file without
    quotes (one record per line), the delimiters must number the header's width - 1 on every line."""
    width = len(decoded.dataset.header)
    if decoded.record_lines is not None or decoded.delimiters == (records + 1) * (width - 1):
        return
    for number, found, blank in _line_widths(
        delivery.data_path, SOURCE_FORMATS[decoded.dataset.source].delimiter
    ):
        if found != width and not blank:
            raise wrong_width(delivery.file_name, number, found, width)


def _structure_error(delivery: Delivery, delimiter: str, error: duckdb.Error) -> Rejection:
    # DuckDB's message quotes the offending line, which may hold a NISS: keep only line and counts.
    text = str(error)
    line = _CSV_LINE.search(text)
    counts = _COLUMNS.search(text)
    if line and counts:
        # DuckDB's line is the physical one here: a file with quotes or blank lines had the width of its
        # records checked line by line in decode.py. DuckDB stops counting at the first field too many,
        # so the line's fields are counted here.
        number = int(line.group(1))
        widths = (
            n for line_number, n, _ in _line_widths(delivery.data_path, delimiter) if line_number == number
        )
        found = next(widths, int(counts.group(2)))
        return wrong_width(delivery.file_name, number, found, int(counts.group(1)))
    where = f"line {line.group(1)}" if line else "a record"
    return Rejection(
        "csv_structure",
        f"{delivery.file_name}: the file does not parse as CSV: {where} is not valid CSV for the "
        "contract's delimiter and quoting",
    )


def prepare(
    con: duckdb.DuckDBPyConnection, delivery: Delivery, decoded: Decoded, lookups: Lookups
) -> Prepared:
    """Count the delivery's records, register its lookups and repeated keys in memory, and return the
    query that checks its rows; or raise Rejection."""
    dataset = decoded.dataset
    csv = _read_csv_sql(delivery, decoded)
    lookup_columns = [c for c in dataset.columns if needs_lookup(c)]
    distinct = "".join(
        f", list(DISTINCT {ident(c.name)}) FILTER ({ident(c.name)} <> '')" for c in lookup_columns
    )
    try:
        # One pass: the record count, how many keys repeat, and each lookup column's distinct values.
        first = con.execute(f"SELECT count(*), {distinct_keys_expression(dataset)}{distinct} FROM {csv}")
        rows_read, repeated, *values = first.fetchall()[0]
    except duckdb.Error as error:
        raise _structure_error(delivery, SOURCE_FORMATS[dataset.source].delimiter, error) from None
    if rows_read != decoded.manifest.rows:
        raise Rejection(
            "record_count",
            f"{delivery.file_name}: the file holds {rows_read} records, the manifest declares "
            f"{decoded.manifest.rows}",
        )
    _check_width(delivery, decoded, rows_read)
    for column, found in zip(lookup_columns, values, strict=True):
        con.register(lookup_table(column), lookups.frame(column, found or []))
    duplicates = None
    if repeated:
        con.execute(f"CREATE OR REPLACE TEMP TABLE duplicate_keys AS {duplicate_keys_select(dataset, csv)}")
        duplicates = "duplicate_keys"
    select, violations = checked_select(
        dataset,
        decoded.manifest.period,
        decoded.produced_at,
        _stage(con, dataset, decoded, rows_read, csv),
        duplicates,
    )
    return Prepared(rows_read, select, violations)


def _stage(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, decoded: Decoded, rows_read: int, csv: str
) -> str:
    """The delivery's records with `_record` (0-based, in file order), `_line` and empty text as NULL."""
    empty_is_null = ", ".join(f"nullif({ident(c)}, '') AS {ident(c)}" for c in dataset.header)
    # row_number() over an empty window follows the file's order (DuckDB preserves insertion order).
    numbered = f"(SELECT row_number() OVER () - 1 AS _record, * FROM {csv}) AS r"
    lines = decoded.record_lines
    if lines and len(lines) == rows_read:
        frame = pd.DataFrame(
            {"_record": pd.Series(range(len(lines)), dtype="int64"), "_line": pd.Series(lines, dtype="int64")}
        )
        con.register("record_lines", frame)
        return (
            f"(SELECT r._record, coalesce(l._line, r._record + 2) AS _line, {empty_is_null} "
            f"FROM {numbered} LEFT JOIN record_lines AS l ON l._record = r._record)"
        )
    return f"(SELECT r._record, r._record + 2 AS _line, {empty_is_null} FROM {numbered})"


def write_rows(con: duckdb.DuckDBPyConnection, dataset: Dataset, batch_id: int, prepared: Prepared) -> None:
    """Insert the prepared rows into the build file and set the counts of `prepared`; the caller holds
    the transaction."""
    names = ", ".join(ident(c.name) for c in dataset.columns)
    inserted = con.execute(
        f"INSERT INTO {raw_table(dataset)} (batch_id, line_number, {names}) "
        f"SELECT {batch_id}, _line, {names} FROM ({prepared.checked}) WHERE NOT _bad ORDER BY _record"
    ).fetchall()
    prepared.rows_loaded = int(inserted[0][0])
    prepared.rows_quarantined = prepared.rows_read - prepared.rows_loaded
    if not prepared.rows_quarantined:
        return
    violations = prepared.violations
    rules = ", ".join(
        f"({literal(violation_flag(i))}, {literal(v.column_name)}, {literal(v.rule)}, {literal(v.message)})"
        for i, v in enumerate(violations)
    )
    flags = ", ".join(violation_flag(i) for i in range(len(violations)))
    # One row per (bad record, broken rule), with the rule's words.
    con.execute(
        "INSERT INTO wh.audit.quarantine (batch_id, line_number, column_name, reason, rule, source, dataset) "
        f"SELECT {batch_id}, _line, column_name, "
        "concat('line ', _line, ', column ', column_name, ': ', message, ' (rule ', rule, ')'), "
        f"rule, {literal(dataset.source)}, {literal(dataset.name)} "
        f"FROM (UNPIVOT (SELECT _record, _line, {flags} FROM ({prepared.checked}) WHERE _bad) ON {flags} "
        "INTO NAME flag VALUE broken) AS u "
        f"JOIN (VALUES {rules}) AS r(flag, column_name, rule, message) USING (flag) WHERE u.broken "
        "ORDER BY _record, column_name"
    )
    prepared.quarantine_summary = tuple(
        (str(c), str(r), int(n))
        for c, r, n in con.execute(
            "SELECT column_name, rule, count(*) FROM wh.audit.quarantine WHERE batch_id = ? "
            "GROUP BY ALL ORDER BY 3 DESC, 1, 2",
            [batch_id],
        ).fetchall()
    )
