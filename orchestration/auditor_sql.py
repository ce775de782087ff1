"""`warehouse sql "select …"`: an auditor's read-only query on the published file.

Three locks, so no query can change anything: the file is opened read-only; file-system access is
disabled (no COPY … TO, no ATTACH of another file, no reading files beside the database) and that
setting is locked; and only reading statements (SELECT, EXPLAIN, read-only PRAGMAs) are accepted,
refused with a clear message before anything runs.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from typing import Any

import click
import duckdb

from orchestration.config import Settings

ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN, duckdb.StatementType.PRAGMA}
READ_ONLY_CONFIG = {"enable_external_access": False, "lock_configuration": True}


class QueryRefused(click.ClickException):
    exit_code = 3


def connect_published(settings: Settings) -> duckdb.DuckDBPyConnection:
    path = settings.published_db
    if not path.exists():
        raise click.ClickException(f"nothing published yet at {path}: run `warehouse run` first")
    return duckdb.connect(str(path), read_only=True, config=READ_ONLY_CONFIG)


def check_read_only(con: duckdb.DuckDBPyConnection, query: str) -> None:
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as error:
        raise click.ClickException(f"the query does not parse: {error}") from error
    if not statements:
        raise click.ClickException("empty query")
    for statement in statements:
        if statement.type not in ALLOWED:
            kind = str(statement.type).rsplit(".", 1)[-1]
            raise QueryRefused(
                f"refused: {kind} statements are not allowed. The published warehouse is read-only for "
                "auditors: only SELECT (with WITH, DESCRIBE, SHOW, SUMMARIZE), EXPLAIN and PRAGMA run here. "
                "Nothing was executed."
            )
    if len(statements) > 1:
        # only the last result would be printed: an auditor would not see what the others returned
        raise click.ClickException(
            f"{len(statements)} statements given: `warehouse sql` runs one query at a time and prints its "
            "result. Nothing was executed."
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def _print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[_text(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def run_query(settings: Settings, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Columns and rows of the last statement of a read-only query on the published file."""
    con = connect_published(settings)
    try:
        check_read_only(con, query)
        try:
            cursor = con.execute(query)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall() if columns else []
        except duckdb.Error as error:
            if "read-only" in str(error) or "disabled by configuration" in str(error):
                raise QueryRefused(f"refused: the published warehouse is read-only ({error})") from error
            raise click.ClickException(str(error)) from error
    finally:
        con.close()
    return columns, rows


@click.command("sql")
@click.argument("query")
@click.option("--csv", "as_csv", is_flag=True, help="CSV on stdout (header row, comma-separated).")
def sql(query: str, as_csv: bool) -> None:
    """Run a read-only SQL query on the published warehouse (schemas marts and audit).

    Writes are refused. Examples: warehouse sql "select * from audit.publications order by
    publication_id"; warehouse sql --csv "select * from marts.budget_execution" > budget.csv
    """
    columns, rows = run_query(Settings.from_env(), query)
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_text(v) for v in row] for row in rows])
        return
    _print_table(columns, rows)
