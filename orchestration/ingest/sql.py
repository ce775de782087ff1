"""Small helpers to write SQL text safely."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def in_list(values: Iterable[str]) -> str:
    return "(" + ", ".join(literal(v) for v in sorted(values)) + ")"


def scalar(con: duckdb.DuckDBPyConnection, query: str, params: list[object] | None = None) -> Any:
    """First value of a one-row result, consumed fully (DuckDB 2.0 keeps a half-read result open)."""
    rows = con.execute(query, params or []).fetchall()
    return rows[0][0] if rows else None
