"""Keyed pseudonyms for personal identifiers, and the checksum checks that need Python.

DuckDB has no HMAC function, so each distinct value is handled once in Python and the result joined
back in SQL: a delivery repeats the same person many times, and so does every month's delivery, which is
why `Lookups` remembers the values of the whole run.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

import pandas as pd

from orchestration.contract.datasets import Check, Column
from orchestration.contract.identifiers import (
    SEPARATORS_PATTERN,
    enterprise_number_is_valid,
    niss_is_valid,
    normalise_niss,
)
from orchestration.ingest.sql import literal

# Checks the contract module implements in Python; everything else is expressed in SQL (rules.py).
PYTHON_CHECKS: dict[Check, Callable[[str], bool]] = {
    Check.NISS: niss_is_valid,
    Check.ENTERPRISE_NUMBER: enterprise_number_is_valid,
}


def pseudonym(key: bytes, normalised: str) -> str:
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


# around an identifier without separators of its own (a staff number): ASCII blanks, as in SQL below
_BLANKS = " \t\n\v\f\r"


def normalise_identifier(column: Column, value: str) -> str:
    """Separators are stripped so that `85.07.30-033.28` and `85073003328` give one pseudonym, and the
    blanks around a staff number so that ` 4711` and `4711` do."""
    return normalise_niss(value) if column.check is Check.NISS else value.strip(_BLANKS)


def normalised_sql(column: Column, text: str) -> str:
    """`normalise_identifier` in SQL, on the text expression `text`: the duplicate-key rule compares a
    personal identifier as its pseudonym will see it."""
    if column.check is Check.NISS:
        return f"regexp_replace({text}, {literal(SEPARATORS_PATTERN)}, '', 'g')"
    return f"trim({text}, {' || '.join(f'chr({ord(c)})' for c in _BLANKS)})"


class _Pseudonymiser:
    """`pseudonym` with the key's inner and outer SHA-256 states computed once (RFC 2104): copying them
    costs a third of `hmac.new` per value."""

    def __init__(self, key: bytes) -> None:
        block = hashlib.sha256().block_size
        if len(key) > block:
            key = hashlib.sha256(key).digest()
        key = key.ljust(block, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def __call__(self, normalised: str) -> str:
        inner = self._inner.copy()
        inner.update(normalised.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


class Lookups:
    """One row per distinct raw value (its pseudonym, whether its check passes), for a whole run,
    computing each raw value once per kind of column.

    The results depend only on the key, the value and the column's kind (personal or not, which check),
    so they are shared by every delivery and dataset; they live in process memory only, like the
    delivery's own text. One dictionary per kind, one probe per value: with a million people, probing
    memory is what the warm path costs.
    """

    def __init__(self, key: bytes) -> None:
        self._pseudonym = _Pseudonymiser(key)
        self._known: dict[tuple[bool, Check | None], dict[str, tuple[str | None, bool | None]]] = {}

    def frame(self, column: Column, values: list[str]) -> pd.DataFrame:
        personal = column.is_personal_identifier
        check = PYTHON_CHECKS.get(column.check) if column.check else None
        known = self._known.setdefault((personal, column.check), {})
        found = list(map(known.get, values))
        for i, result in enumerate(found):
            if result is None:
                value = values[i]
                found[i] = known[value] = (
                    self._pseudonym(normalise_identifier(column, value)) if personal else None,
                    check(value) if check is not None else None,
                )
        frame = pd.DataFrame({"raw_value": pd.Series(values, dtype=object)})
        if personal:
            frame["pseudonym"] = pd.Series([p for p, _ in found], dtype=object)
        if check is not None:
            frame["valid"] = pd.Series([v for _, v in found], dtype=bool)
        return frame
