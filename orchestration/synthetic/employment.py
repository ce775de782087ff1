"""Actiris' `occupations`: the employment spells of the simulated people (social-security link)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.synthetic.careers import CONTRACTS, Careers
from orchestration.synthetic.economy import nace_codes
from orchestration.synthetic.jobseekers import ids
from orchestration.synthetic.timeline import Horizon
from orchestration.synthetic.versions import dates, dates_until, two_versions

WORK_REGIONS = np.array(["BRU", "VLA", "WAL", "ETR"])


def occupations(careers: Careers, horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    j, p = careers.jobs, careers.population
    order = np.lexsort((j["person"], j["start"]))
    person, start, end = j["person"][order], j["start"][order], j["end"][order]
    n = len(start)
    frame = pd.DataFrame(
        {
            "id_occupation": ids("O", n),
            "niss": p.niss[person],
            "date_debut": dates(start),
            "date_fin": dates_until(end, horizon),
            "type_contrat": CONTRACTS[j["contract"][order]],
            "regime": j["regime"][order],
            "code_nace": nace_codes(rng, n),
            "region_travail": WORK_REGIONS[rng.choice(4, n, p=[0.72, 0.16, 0.10, 0.02])],
            "date_modification": pd.NaT,
        }
    )

    def running(rows: pd.DataFrame) -> pd.DataFrame:
        rows["date_fin"] = pd.NaT
        return rows

    return two_versions(frame, start, end, horizon, running, "date_modification", rng)
