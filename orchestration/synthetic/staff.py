"""Actiris' staff: monthly staff snapshots and absence spells (about 1,650 people, 10-12 % absenteeism:
45 % of lost days in spells under a month, 35 % between a month and a year)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.synthetic.timeline import Horizon, period_of
from orchestration.synthetic.versions import dates, dates_until, two_versions

HEADCOUNT = 1_650
MIN_STAFF = 40  # small scales keep every directorate staffed
# Directorate, share of staff, share of it in direct guidance of job seekers and employers.
DIRECTORATES = (
    ("Chercheurs d'emploi", 0.34, 0.85),
    ("Employeurs", 0.14, 0.70),
    ("Contrôle de la disponibilité", 0.10, 0.75),
    ("Partenariats et réseau", 0.08, 0.45),
    ("Langues et compétences", 0.08, 0.65),
    ("Informatique", 0.10, 0.0),
    ("Ressources humaines et finances", 0.10, 0.0),
    ("Direction générale et view.brussels", 0.06, 0.0),
)
ABSENCE_TYPES = np.array(["MALADIE", "ACCIDENT_TRAVAIL", "ACCIDENT_VIE_PRIVEE", "AUTRE"])
# Spells a year per person and their length in calendar days, per class (short, medium, long).
_SPELL_RATE = (3.4, 0.17, 0.017)
_SPELL_DAYS = ((1, 11), (31, 150), (366, 600))


def _staff(rng: np.random.Generator, horizon: Horizon, scale: float) -> pd.DataFrame:
    """Employment periods: the initial staff and, for every leaver, a replacement."""
    size = max(MIN_STAFF, int(round(HEADCOUNT * scale)))
    begin = horizon.first_day - 3 * 365
    # Each post belongs to a directorate (at least two posts each, the rest by share) and is filled
    # again when its holder leaves, with a short handover: no directorate is ever left empty.
    shares = np.array([d[1] for d in DIRECTORATES])
    floor = np.repeat(np.arange(len(DIRECTORATES)), 2)
    post_directorate = np.concatenate(
        [floor, rng.choice(len(DIRECTORATES), size - len(floor), p=shares / shares.sum())]
    )
    horizon_end = horizon.last_day + 1
    people = []
    current = begin - rng.integers(0, 20 * 365, size)
    post = np.arange(size)
    for _ in range(12):  # a few generations of replacements cover any horizon up to decades
        tenure = rng.exponential(14 * 365, len(current)).astype(np.int64) + 180
        leave = current + tenure
        people.append((current, leave, post))
        leaving = leave < horizon_end
        if not leaving.any():
            break
        current = leave[leaving] - rng.integers(0, 30, int(leaving.sum()))
        post = post[leaving]
    hires = np.concatenate([h for h, _, _ in people])
    leaves = np.concatenate([lv for _, lv, _ in people])
    posts = np.concatenate([p for _, _, p in people])
    keep = leaves >= begin
    hires, leaves, posts = hires[keep], leaves[keep], posts[keep]
    n = len(hires)
    directorate = post_directorate[posts]
    guidance = rng.random(n) < np.array([d[2] for d in DIRECTORATES])[directorate]
    category = np.where(
        guidance, "ACCOMPAGNEMENT_DIRECT", np.where(rng.random(n) < 0.12, "MANAGEMENT", "SUPPORT")
    )
    numbers = rng.choice(np.arange(1_000_000, 9_999_999), n, replace=False)
    return pd.DataFrame(
        {
            "matricule": numbers.astype(str),
            "hire": hires,
            "leave": leaves,
            "direction": np.array([d[0] for d in DIRECTORATES])[directorate],
            "categorie_fonction": category,
            "etp": np.array([1.0, 0.8, 0.5, 0.9, 0.75])[rng.choice(5, n, p=[0.78, 0.10, 0.07, 0.03, 0.02])],
            "statut": np.where(rng.random(n) < 0.58, "STATUTAIRE", "CONTRACTUEL"),
        }
    )


def _monthly_snapshots(staff: pd.DataFrame, horizon: Horizon) -> pd.DataFrame:
    months = horizon.month_starts(horizon.first_day)
    month_ends = np.append(months[1:] - 1, horizon.last_day)
    frames = []
    for first, last in zip(months, month_ends, strict=True):
        present = staff[(staff["hire"] <= last) & (staff["leave"] >= first)]
        period = str(period_of(np.array([first]))[0])
        frames.append(present.assign(mois=period, _period=period))
    snapshot = pd.concat(frames, ignore_index=True)
    return snapshot[["matricule", "mois", "direction", "categorie_fonction", "etp", "statut", "_period"]]


def _absence_spells(staff: pd.DataFrame, horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    """Non-overlapping spells per person within their employment."""
    begin = horizon.first_day - 3 * 365
    rows: list[tuple[str, int, int, str]] = []
    for matricule, hire, leave in zip(staff["matricule"], staff["hire"], staff["leave"], strict=True):
        first, last = max(hire, begin), min(leave, horizon.last_day + 400)
        years = (last - first) / 365.25
        if years <= 0:
            continue
        spells = []
        for rate, (low, high) in zip(_SPELL_RATE, _SPELL_DAYS, strict=True):
            count = rng.poisson(rate * years)
            for _ in range(count):
                spells.append((int(rng.integers(first, last)), int(rng.integers(low, high))))
        spells.sort()
        free_from = first
        for start, length in spells:
            start = max(start, free_from)
            end = min(start + length - 1, leave)
            if start > end:
                continue
            kind = ABSENCE_TYPES[rng.choice(4, p=[0.85, 0.03, 0.05, 0.07])]
            rows.append((matricule, start, end, kind))
            free_from = end + 1 + int(rng.integers(5, 60))
    frame = pd.DataFrame(rows, columns=["matricule", "start", "end", "type_absence"])
    return frame.sort_values(["start", "matricule"], kind="stable").reset_index(drop=True)


def staff_datasets(
    horizon: Horizon, scale: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    staff = _staff(rng, horizon, scale)
    snapshots = _monthly_snapshots(staff, horizon)
    spells = _absence_spells(staff, horizon, rng)
    start, end = spells["start"].to_numpy(), spells["end"].to_numpy()
    absences = pd.DataFrame(
        {
            "id_absence": "AB" + pd.Series(np.arange(1, len(spells) + 1)).astype(str).str.zfill(8),
            "matricule": spells["matricule"],
            "date_debut": dates(start),
            "date_fin": dates_until(end, horizon),
            "type_absence": spells["type_absence"],
            "date_modification": pd.NaT,
        }
    )

    def running(rows: pd.DataFrame) -> pd.DataFrame:
        rows["date_fin"] = pd.NaT
        return rows

    return snapshots, two_versions(absences, start, end, horizon, running, "date_modification", rng)
