"""Look for the national register and staff numbers of a landing folder everywhere else: the privacy
rule end to end (no raw identifier in a table, a log, an error message, dbt's, Great Expectations',
Dagster's or Superset's files). Findings name the place and a count, never the number."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.contract.datasets import Check
from orchestration.ingest.pseudonymise import normalise_identifier
from tests.synthetic.contract_reader import read_delivery

# a national number as digits, or printed with the separators some sources use (85.07.30-033.28)
_NUMBER = r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}-[0-9]{3}\.[0-9]{2}|[0-9]+"
_NUMBER_BYTES = re.compile(_NUMBER.encode())
_DUCKDB_FILES = (".duckdb", ".wal")


@dataclass(frozen=True)
class Identifiers:
    national: frozenset[str]  # digits only
    staff: frozenset[str]


def delivered_identifiers(landing: Path) -> Identifiers:
    national: set[str] = set()
    staff: set[str] = set()
    for manifest in landing.rglob("*.manifest.json"):
        delivery = read_delivery(manifest)
        for column in delivery.dataset.columns:
            if not column.is_personal_identifier:
                continue
            # as the pseudonyms see them: a national number's digits, a staff number without blanks
            given = (r[column.name] for r in delivery.records if r[column.name])
            (national if column.check is Check.NISS else staff).update(
                normalise_identifier(column, v) for v in given
            )
    return Identifiers(frozenset(national), frozenset(staff))


def leaks_in_files(files: Iterable[Path], identifiers: Identifiers) -> list[str]:
    """Files other than DuckDB's holding a delivered national number. A staff number (7 digits) is
    looked for in the tables only: as text in a file it cannot be told from any other 7-digit number."""
    found = []
    for path in sorted(p for p in files if p.is_file() and not p.name.endswith(_DUCKDB_FILES)):
        tokens = {re.sub(rb"[^0-9]", b"", t).decode() for t in _NUMBER_BYTES.findall(path.read_bytes())}
        if hits := len(tokens & identifiers.national):
            found.append(f"{path}: {hits} national number(s)")
    return found


def leaks_in_tables(database: Path, identifiers: Identifiers) -> list[str]:
    """Columns of a DuckDB file's tables and views holding a delivered national number (anywhere in
    their text) or a delivered staff number (as their whole value)."""
    found = []
    with duckdb.connect(str(database), read_only=True) as con:
        numbers = (("national_numbers", identifiers.national), ("staff_numbers", identifiers.staff))
        for name, values in numbers:
            con.register(name, pd.DataFrame({"v": pd.Series(sorted(values), dtype="string")}))
        # tables and views, every column that can hold 11 digits (BIGINT, DECIMAL and DOUBLE too: a
        # national number kept as a number is still one)
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = current_database() and data_type not in "
            "('INTEGER', 'SMALLINT', 'TINYINT', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE')"
        ).fetchall()
        for schema, table, column in columns:
            text = f'cast("{column}" as varchar)'
            relation = f'"{schema}"."{table}"'
            # one scan per column; a value that is a staff number is one token, so it counts once
            hits = con.execute(
                "select count(*) filter (where regexp_replace(token, '[^0-9]', '', 'g') in "
                "(select v from national_numbers)) "
                "+ count(*) filter (where whole in (select v from staff_numbers)) "
                f"from (select trim({text}) as whole, "
                f"unnest(regexp_extract_all({text}, '{_NUMBER}')) as token from {relation})"
            ).fetchone()[0]
            if hits:
                found.append(f"{database}: {schema}.{table}.{column}: {hits} value(s)")
    return found
