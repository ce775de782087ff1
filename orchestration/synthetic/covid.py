"""The 2020 lockdowns: how much of the usual hiring and of Bruxelles Formation's information sessions went
ahead on a given day.

The joint activity report shows them in its figures: cohort 2019 (measured in 2020) went to work less
often (59.9 % against 66-67 %, at least one month 52.4 % against 57-59 %) and, among those who did, more
within three months (54.4 % against 48-50 %), since later jobs fell into the lockdown; invitations to
information sessions fell to 8,808 in 2020 (11.9-13.4 thousand before).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from orchestration.synthetic.timeline import day_number

# (first day, last day, share of hiring kept, share of information sessions kept)
_PERIODS = [
    (date(2020, 3, 16), date(2020, 6, 30), 0.30, 0.15),  # first lockdown
    (date(2020, 7, 1), date(2020, 10, 31), 0.80, 0.85),  # reopening
    (date(2020, 11, 1), date(2020, 12, 31), 0.70, 0.60),  # second lockdown
    (date(2021, 1, 1), date(2021, 3, 31), 0.85, 0.90),
]


def _kept(days: np.ndarray, column: int) -> np.ndarray:
    days = np.asarray(days, dtype=np.int64)
    out = np.ones(len(days))
    for period in _PERIODS:
        inside = (days >= day_number(period[0])) & (days <= day_number(period[1]))
        out[inside] = period[column]
    return out


def hiring_kept(days: np.ndarray) -> np.ndarray:
    """Probability that a hire planned on each day still happens."""
    return _kept(days, 2)


def sessions_kept(days: np.ndarray) -> np.ndarray:
    """Probability that an information session planned on each day still takes place."""
    return _kept(days, 3)
