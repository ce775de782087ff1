"""Keyed pseudonyms for personal identifiers, and the checksum checks that need Python.

DuckDB has no HMAC function, so each distinct value of a delivery is handled once in Python and the
result joined back in SQL: a delivery repeats the same person many times.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

import pandas as pd

from orchestration.contract.datasets import Check, Column
from orchestration.contract.identifiers import (
    enterprise_number_is_valid,
    niss_is_valid,
    normalise_niss,
)

# Checks the contract module implements in Python; everything else is expressed in SQL (rules.py).
PYTHON_CHECKS: dict[Check, Callable[[str], bool]] = {
    Check.NISS: niss_is_valid,
    Check.ENTERPRISE_NUMBER: enterprise_number_is_valid,
}


def pseudonym(key: bytes, normalised: str) -> str:
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def normalise_identifier(column: Column, value: str) -> str:
    """Separators are stripped so that `85.07.30-033.28` and `85073003328` give one pseudonym."""
    return normalise_niss(value) if column.check is Check.NISS else value.strip()


def lookup_frame(column: Column, values: list[str], key: bytes) -> pd.DataFrame:
    """One row per distinct raw value: its pseudonym (personal identifiers) and whether its check passes."""
    frame = pd.DataFrame({"raw_value": pd.Series(values, dtype=object)})
    if column.is_personal_identifier:
        frame["pseudonym"] = [pseudonym(key, normalise_identifier(column, v)) for v in values]
    check = PYTHON_CHECKS.get(column.check) if column.check else None
    if check is not None:
        frame["valid"] = [check(v) for v in values]
    return frame
