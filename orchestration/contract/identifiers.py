"""Checksums of Belgian identifiers (landing contract, section 3 and `numero_bce`)."""

from __future__ import annotations

import re

# ASCII blanks only (not \s, which is Unicode in Python and ASCII in DuckDB's regular expressions): the
# ingestion strips the same characters in SQL to compare keys as their pseudonyms will be.
SEPARATORS_PATTERN = r"[./ \t\n\v\f\r-]"
_SEPARATORS = re.compile(SEPARATORS_PATTERN)
# ASCII digits only: str.isdigit() also accepts superscripts and other scripts' digits, which int() then
# refuses or reads as different numbers.
_NISS = re.compile(r"[0-9]{11}")
_ENTERPRISE_NUMBER = re.compile(r"[0-9]{10}")


def normalise_niss(value: str) -> str:
    """Strip the separators some sources print (`85.07.30-033.28` -> `85073003328`)."""
    return _SEPARATORS.sub("", value)


def niss_is_valid(value: str) -> bool:
    """11 digits whose check is 97 - (first 9 mod 97), with a leading 2 for people born from 2000."""
    digits = normalise_niss(value)
    if not _NISS.fullmatch(digits):
        return False
    body, check = int(digits[:9]), int(digits[9:])
    return check in (97 - body % 97, 97 - (2_000_000_000 + body) % 97)


def niss_check_digits(body9: int, born_2000_or_later: bool) -> int:
    base = 2_000_000_000 + body9 if born_2000_or_later else body9
    return 97 - base % 97


def enterprise_number_is_valid(value: str) -> bool:
    """10 digits whose last two equal 97 - (first 8 mod 97)."""
    digits = _SEPARATORS.sub("", value)
    if not _ENTERPRISE_NUMBER.fullmatch(digits):
        return False
    return int(digits[8:]) == 97 - int(digits[:8]) % 97


def enterprise_check_digits(body8: int) -> int:
    return 97 - body8 % 97
