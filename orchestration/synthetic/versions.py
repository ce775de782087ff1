"""Which version of a record each monthly delivery carries.

Delta datasets deliver a record in the month it is created (still open: its closing fields empty) and
again in the month it closes; events with a pending outcome (a decision, a match) likewise. Nothing
after the cut-off is known. Records created before the first delivered month and still open then, or
closed during it, come in the first delivery (the initial load); for a dataset whose history matters
downstream (the registrations: "first registration ever"), the initial load carries the records closed
before it too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from orchestration.synthetic.timeline import NO_DAY, Horizon, period_of, to_datetime64


def two_versions(
    frame: pd.DataFrame,
    start: np.ndarray,
    end: np.ndarray,
    horizon: Horizon,
    open_version: Callable[[pd.DataFrame], pd.DataFrame],
    modified_column: str | None,
    rng: np.random.Generator,
    with_history: bool = False,
) -> pd.DataFrame:
    """Rows of `frame` (closed state) as delivered: an open version, a closed version, or both.

    `start`/`end` are day numbers (end NO_DAY when never closed); `open_version` blanks what is not
    known while the record is open. `with_history`: records closed before the first delivered month come
    in the first delivery too, instead of being left out. Adds the `_period` column (the delivery month).
    """
    first, last = horizon.first_day, horizon.last_day
    closed_known = (end != NO_DAY) & (end <= last)
    keep = (start <= last) & ((end == NO_DAY) | (end >= first) | with_history)
    first_period = period_of(np.maximum(start, first))
    end_period = period_of(np.where(closed_known, np.maximum(end, first), first))
    needs_open = keep & (~closed_known | (end_period != first_period))

    closed = frame[keep & closed_known].copy()
    closed["_period"] = end_period[keep & closed_known]
    opened = open_version(frame[needs_open].copy())
    opened["_period"] = first_period[needs_open]
    if modified_column:
        minutes = rng.integers(7 * 60, 19 * 60, len(frame))
        closed[modified_column] = _stamp(end[keep & closed_known], minutes[keep & closed_known], first)
        opened[modified_column] = _stamp(start[needs_open], minutes[needs_open], first)
    return pd.concat([opened, closed], ignore_index=True)


def _stamp(days: np.ndarray, minutes: np.ndarray, first: int) -> np.ndarray:
    """A working-hours timestamp on that day (initial-load records: the first delivered day)."""
    day = to_datetime64(np.maximum(days, first)).astype("datetime64[m]")
    return day + minutes.astype("timedelta64[m]")


def as_events(frame: pd.DataFrame, day: np.ndarray, horizon: Horizon) -> pd.DataFrame:
    """Facts delivered in the month they happen, within the delivered months."""
    keep = (day >= horizon.first_day) & (day <= horizon.last_day)
    out = frame[keep].copy()
    out["_period"] = period_of(day[keep])
    return out


def dates(days: np.ndarray) -> np.ndarray:
    return to_datetime64(np.asarray(days, dtype=np.int64))


def dates_until(days: np.ndarray, horizon: Horizon) -> np.ndarray:
    """Dates, empty where unknown at the cut-off."""
    days = np.asarray(days, dtype=np.int64)
    return to_datetime64(np.where((days == NO_DAY) | (days > horizon.last_day), NO_DAY, days))
