"""Actiris' vacancies and the matches proposed on them. A vacancy filled through Actiris is filled by a
simulated job seeker whose registration ends for work at that moment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.contract.reference import read_seed
from orchestration.synthetic.careers import Careers
from orchestration.synthetic.economy import enterprise_numbers, nace_codes
from orchestration.synthetic.jobseekers import dossier_ids, ids
from orchestration.synthetic.timeline import Horizon
from orchestration.synthetic.versions import dates, dates_until, two_versions

VACANCIES_PER_YEAR = 48_000  # Actiris received 35,063 directly in 2019 and more through partners
CHANNELS = np.array(["DIRECT", "PARTENARIAT", "SELECT", "AVIATO"])
STATUSES = np.array(["POURVUE_ACTIRIS", "POURVUE_AUTRE", "ANNULEE", "EXPIREE"])
PARTNERSHIPS = np.array(["PS-CONSTRUCTION", "PS-HORECA", "PS-TIC", "PS-LOGISTIQUE", "PS-SANTE", "PS-PUBLIC"])
ORIGINS = np.array(["IA", "CONSEILLER", "CANDIDATURE"])
_PERIPHERY = {"Brabant flamand", "Brabant wallon"}


def _workplaces(rng: np.random.Generator, n: int) -> np.ndarray:
    # the municipalities of 2020, as the population weights are (the mergers of 2025 have none)
    rows = [r for r in read_seed("municipalities") if r["inhabitants_2020"]]
    codes = np.array([r["municipality_ins"] for r in rows])
    brussels = np.array([r["work_region"] == "BRU" for r in rows])
    near = np.array([r["province_fr"] in _PERIPHERY for r in rows])
    people = np.array([int(r["inhabitants_2020"]) for r in rows], dtype=float)
    # Three quarters in Brussels; outside, the periphery weighs most.
    weight = np.where(brussels, people / people[brussels].sum() * 0.75, 0.0)
    outside = people * np.where(near, 6.0, 1.0) * ~brussels
    weight += outside / outside.sum() * 0.25
    return codes[rng.choice(len(codes), n, p=weight / weight.sum())]


def _open_episode_on(careers: Careers, days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random registration open on each day (episodes are sorted by start); -1 where none found."""
    start, end = careers.episodes["start"], careers.episodes["end"]
    found = np.full(len(days), -1, np.int64)
    hi = np.searchsorted(start, days, side="right")
    lo = np.searchsorted(start, days - 1100)
    todo = np.flatnonzero(hi > lo)
    for _ in range(25):
        if not len(todo):
            break
        pick = lo[todo] + (rng.random(len(todo)) * (hi[todo] - lo[todo])).astype(np.int64)
        ok = end[pick] >= days[todo]
        found[todo[ok]] = pick[ok]
        todo = todo[~ok]
    return found


def vacancies_and_matches(
    careers: Careers, horizon: Horizon, scale: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    first = horizon.simulation_start + 365 * 6  # two years of history before the first delivery
    days = np.arange(first, horizon.last_day + 1)
    days = days[(days + 3) % 7 < 5]
    n = rng.poisson(VACANCIES_PER_YEAR * scale * (horizon.last_day - first) / 365.25)
    received = np.sort(rng.choice(days, n))
    status = rng.choice(4, n, p=[0.22, 0.28, 0.10, 0.40])
    closed = received + np.where(status == 3, rng.integers(60, 92, n), rng.integers(10, 121, n))
    channel = rng.choice(4, n, p=[0.68, 0.10, 0.16, 0.06])
    employers = enterprise_numbers(rng, max(50, int(9_000 * scale)))
    isco = np.array([r["isco_code"] for r in read_seed("isco08_unit_groups")])
    dossier = dossier_ids(careers)

    # Hires through Actiris: a registration ending "to work" around the time the vacancy closes.
    e = careers.episodes
    to_work = np.flatnonzero(e["reason"] == 0)
    to_work = to_work[np.argsort(e["end"][to_work], kind="stable")]
    filled = np.flatnonzero(status == 0)
    target = received[filled] + rng.integers(15, 91, len(filled))
    position = np.minimum(
        np.searchsorted(e["end"][to_work], target) + rng.integers(0, 3, len(filled)), len(to_work) - 1
    )
    hired = to_work[position]
    hire_day = e["end"][hired]
    hire_match = np.maximum(
        np.maximum(hire_day - rng.integers(5, 31, len(filled)), received[filled]), e["start"][hired]
    )
    hire_match = np.minimum(hire_match, hire_day)
    closed[filled] = np.maximum(hire_day, received[filled])

    # Other matches: proposed by the model, by counsellors, or applications.
    per_vacancy = rng.poisson(2.2, n)
    owner = np.repeat(np.arange(n), per_vacancy)
    match_day = received[owner] + (rng.random(len(owner)) * (closed[owner] - received[owner])).astype(
        np.int64
    )
    episode = _open_episode_on(careers, match_day, rng)
    keep = episode >= 0
    owner, match_day, episode = owner[keep], match_day[keep], episode[keep]
    m = len(owner)
    result = np.array(["REFUS_EMPLOYEUR", "REFUS_CANDIDAT", "SANS_SUITE"])[
        rng.choice(3, m, p=[0.35, 0.15, 0.50])
    ]
    result_day = match_day + rng.integers(3, 41, m)

    all_owner = np.concatenate([filled, owner])
    all_day = np.concatenate([hire_match, match_day])
    all_episode = np.concatenate([hired, episode])
    all_result = np.concatenate([np.full(len(filled), "EMBAUCHE"), result])
    all_result_day = np.concatenate([hire_day, result_day])
    origin = ORIGINS[rng.choice(3, len(all_owner), p=[0.35, 0.40, 0.25])]
    # Matches are delivered from the first delivered month on (earlier ones belong to no delivery).
    order = np.lexsort((all_owner, all_day))
    order = order[all_day[order] >= horizon.first_day]
    vacancy_ids = ids("V", n)
    matches = pd.DataFrame(
        {
            "id_match": ids("M", len(order)),
            "id_offre": vacancy_ids[all_owner[order]],
            "id_dossier": dossier[all_episode[order]],
            "date_match": dates(all_day[order]),
            "origine": origin[order],
            "resultat": np.where(all_result_day[order] <= horizon.last_day, all_result[order], "EN_COURS"),
            "date_resultat": dates_until(all_result_day[order], horizon),
        }
    )

    def in_progress(rows: pd.DataFrame) -> pd.DataFrame:
        rows["resultat"] = "EN_COURS"
        rows["date_resultat"] = pd.NaT
        return rows

    matches = two_versions(matches, all_day[order], all_result_day[order], horizon, in_progress, None, rng)

    vacancies = pd.DataFrame(
        {
            "id_offre": vacancy_ids,
            "numero_bce": employers[rng.integers(0, len(employers), n)],
            "date_reception": dates(received),
            "code_nace": nace_codes(rng, n),
            "code_isco": isco[rng.integers(0, len(isco), n)],
            "lieu_code_ins": _workplaces(rng, n),
            "canal": CHANNELS[channel],
            "id_partenariat": np.where(
                channel == 1, PARTNERSHIPS[rng.integers(0, len(PARTNERSHIPS), n)], None
            ),
            "nb_postes": np.where(rng.random(n) < 0.82, 1, rng.integers(2, 6, n)),
            "statut": np.where(closed <= horizon.last_day, STATUSES[status], "OUVERTE"),
            "date_cloture": dates_until(closed, horizon),
            "date_modification": pd.NaT,
        }
    )

    def still_open(rows: pd.DataFrame) -> pd.DataFrame:
        rows["statut"] = "OUVERTE"
        rows["date_cloture"] = pd.NaT
        return rows

    vacancies = two_versions(vacancies, received, closed, horizon, still_open, "date_modification", rng)
    return vacancies, matches
