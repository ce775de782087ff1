"""Employers and sectors shared by job spells and vacancies."""

from __future__ import annotations

import numpy as np

from orchestration.contract.identifiers import enterprise_check_digits
from orchestration.contract.reference import nace_divisions

# Vacancies received directly by Actiris in 2019, by NACE section (joint activity report 2020).
SECTION_WEIGHTS = {
    "A": 21, "B": 50, "C": 399, "D": 180, "E": 180, "F": 669, "G": 3398, "H": 1342, "I": 1954, "J": 1955,
    "K": 419, "L": 344, "M": 3448, "N": 5140, "O": 4488, "P": 3605, "Q": 4145, "R": 514, "S": 1438,
    "T": 18, "U": 55,
}  # fmt: skip


def nace_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    """5-digit NACE-BEL codes, sectors weighted as the vacancies Actiris receives."""
    divisions = nace_divisions()
    keys = np.array(sorted(divisions))
    per_section = {s: sum(1 for d in keys if divisions[d] == s) for s in SECTION_WEIGHTS}
    weights = np.array([SECTION_WEIGHTS[divisions[d]] / per_section[divisions[d]] for d in keys], dtype=float)
    chosen = keys[rng.choice(len(keys), n, p=weights / weights.sum())]
    suffix = np.char.zfill(rng.integers(100, 1000, n).astype(str), 3)
    return np.char.add(chosen.astype("<U2"), suffix)


def enterprise_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct valid 10-digit enterprise numbers (0200.000.000 to 0999.999.999, check digits last)."""
    bodies = rng.choice(np.arange(2_000_000, 9_999_999), n, replace=False).astype(np.int64) * 10
    bodies += rng.integers(0, 10, n)
    checks = np.array([enterprise_check_digits(int(b)) for b in bodies])
    return np.array([f"{b:08d}{c:02d}" for b, c in zip(bodies, checks, strict=True)])
