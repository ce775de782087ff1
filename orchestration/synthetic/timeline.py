"""The simulated time span, in whole days since 1970-01-01 (numpy int64) for vectorised work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

EPOCH = np.datetime64("1970-01-01", "D")
# Years simulated before the first delivered month, so the first month already holds a realistic stock
# of long-running registrations, jobs and absences.
BURN_IN_YEARS = 12
# "No date" among day numbers (birth days before 1970 are negative, so -1 cannot serve).
NO_DAY = -(10**9)


def day_number(value: date) -> int:
    return int((np.datetime64(value, "D") - EPOCH).astype(np.int64))


def to_datetime64(days: np.ndarray) -> np.ndarray:
    """Day numbers to datetime64[D]; NO_DAY becomes NaT."""
    out = EPOCH + days.astype("timedelta64[D]")
    return np.where(days == NO_DAY, np.datetime64("NaT"), out)


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def parse_period(text: str) -> tuple[int, int]:
    year, month = text.split("-")
    value = (int(year), int(month))
    if not 1 <= value[1] <= 12:
        raise ValueError(f"not a month: {text!r} (expected YYYY-MM)")
    return value


@dataclass(frozen=True)
class Horizon:
    """First and last delivered months; the simulation itself starts `BURN_IN_YEARS` earlier."""

    first: tuple[int, int]
    last: tuple[int, int]

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("--to is before --from")

    @property
    def periods(self) -> list[str]:
        year, month = self.first
        out = []
        while (year, month) <= self.last:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    @property
    def simulation_start(self) -> int:
        return day_number(date(self.first[0] - BURN_IN_YEARS, 1, 1))

    @property
    def first_day(self) -> int:
        return day_number(month_start(*self.first))

    @property
    def last_day(self) -> int:
        """The data cut-off: nothing after this day is known to any delivery."""
        return day_number(month_end(*self.last))

    def month_starts(self, from_day: int) -> np.ndarray:
        """Day numbers of every first-of-month from `from_day`'s month through the last month."""
        first = np.datetime64(str(EPOCH + from_day)[:7], "M")
        last = np.datetime64(f"{self.last[0]:04d}-{self.last[1]:02d}", "M")
        months = np.arange(first, last + 1)
        return (months.astype("datetime64[D]") - EPOCH).astype(np.int64)


def period_of(days: np.ndarray) -> np.ndarray:
    """`YYYY-MM` of each day number."""
    return (EPOCH + days.astype("timedelta64[D]")).astype("datetime64[M]").astype(str)


def produced_at(period: str, correction: int = 1) -> datetime:
    """Deterministic export time: early on the 2nd of the next month (corrections a week later)."""
    year, month = parse_period(period)
    following = date(year + month // 12, month % 12 + 1, 2)
    return datetime(following.year, following.month, following.day, 5, 30) + timedelta(
        days=7 * (correction - 1)
    )
