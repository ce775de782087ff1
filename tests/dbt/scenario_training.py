"""Hand-made deliveries for the training marts (shared strategic indicators 1-6).

Cut-off 31 December 2021 (the one actiris/demandeurs delivery is for 2021-12): cohort 2019 is closed with
its indicator 3, cohort 2020 is closed but its indicator 3 is not, cohort 2021 is open. Who is who, and
the figures they lead to, are in tests/dbt/test_training_marts.py. National register numbers are made at
run time by the caller; nothing personal is committed.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from orchestration.contract.datasets import dataset
from tests.dbt.conftest import deliver as deliver_to
from tests.dbt.conftest import occupation

DEMANDEURS = dataset("actiris", "demandeurs")
OCCUPATIONS = dataset("actiris", "occupations")
STAGIAIRES = dataset("bf", "stagiaires")
OPLEIDINGEN = dataset("vdab", "opleidingen")
INVITATIONS = dataset("bf", "invitations_seances")
APPLICATIONS = dataset("bf", "demandes_formation")

BIRTHS: dict[str, date] = {who: date(1980 + i, 1 + i % 12, 1 + i) for i, who in enumerate("ABCDEFGHIJKLMN")}


def bf_participation(
    pid: str, niss: str, kind: str, domain: str, start: str, end: str | None, status: str
) -> dict[str, Any]:
    return {
        "id_participation": pid,
        "niss": niss,
        "code_domaine": domain,
        "type_formation": kind,
        "centre": "BF Bureau et Services",
        "date_debut": start,
        "date_fin": end,
        "statut_fin": status,
        "certifie": status == "TERMINE",
        "date_modification": pd.Timestamp(end or start) + pd.Timedelta(hours=12),
    }


def _vdab(
    pid: str, insz: str, kind: str, domain: str, start: str, end: str | None, status: str
) -> dict[str, Any]:
    return {
        "deelname_id": pid,
        "insz": insz,
        "studiegebied": domain,
        "opleidingstype": kind,
        "startdatum": start,
        "einddatum": end,
        "uitstroomstatus": status,
        "attest": status == "GESLAAGD",
        "laatst_gewijzigd": pd.Timestamp(end or start) + pd.Timedelta(hours=12),
    }


def _spell(oid: str, niss: str, start: str, end: str | None, contract: str) -> dict[str, Any]:
    return occupation(oid, niss, start, end, contract, "2021-12-20 08:00")


def write_training_scenario(landing: Path, people: dict[str, str]) -> None:
    deliver = partial(deliver_to, landing)
    p = people

    # The cut-off: the last day of the latest demandeurs period delivered, 2021-12.
    deliver(
        DEMANDEURS,
        "2021-12",
        [
            {
                "id_dossier": "R1",
                "niss": p["A"],
                "date_naissance": "1980-01-01",
                "sexe": "F",
                "code_ins_commune": "21004",
                "niveau_etudes": "S3",
                "nationalite": "BE",
                "langue": "FR",
                "type_inscription": "DEI_ALLOC",
                "code_ins_cpas": None,
                "date_inscription": "2021-12-01",
                "date_sortie": None,
                "motif_sortie": None,
                "date_modification": pd.Timestamp("2021-12-01 09:00"),
            }
        ],
        "2022-01-04T08:00:00",
    )

    deliver(
        STAGIAIRES,
        "2021-12",
        [
            # A: two trainings ending on 28 Feb 2019; the later start (A2, further training) represents A.
            bf_participation("A1", p["A"], "QUALIFIANTE", "BF04", "2018-09-03", "2019-02-28", "TERMINE"),
            bf_participation("A2", p["A"], "PERFECTIONNEMENT", "BF05", "2019-01-07", "2019-02-28", "TERMINE"),
            # C-H: qualifying (ICT) ending on 30 June 2019: window 1 July 2019 - 30 June 2020.
            bf_participation("C1", p["C"], "QUALIFIANTE", "BF04", "2019-01-07", "2019-06-30", "TERMINE"),
            bf_participation("D1", p["D"], "QUALIFIANTE", "BF04", "2019-01-07", "2019-06-30", "ABANDON"),
            bf_participation("E1", p["E"], "QUALIFIANTE", "BF04", "2019-01-07", "2019-06-30", "TERMINE"),
            bf_participation("F1", p["F"], "QUALIFIANTE", "BF05", "2019-01-07", "2019-06-30", "TERMINE"),
            bf_participation("G1", p["G"], "QUALIFIANTE", "BF04", "2019-01-07", "2019-06-30", "TERMINE"),
            bf_participation("H1", p["H"], "QUALIFIANTE", "BF04", "2019-01-07", "2019-06-30", "TERMINE"),
            # H: an in-company training (FPI-E) starting on the window's last day, still running.
            bf_participation("H2", p["H"], "FPI_E", "BF08", "2020-06-30", None, "EN_COURS"),
            # I: a language course (not vocational) followed by an internship spell.
            bf_participation("I1", p["I"], "LANGUES", "BF14", "2019-03-04", "2019-06-30", "TERMINE"),
            # K, L: ending on 29 Feb 2020: window through 28 Feb 2021.
            bf_participation("K1", p["K"], "QUALIFIANTE", "BF04", "2019-09-02", "2020-02-29", "TERMINE"),
            bf_participation("L1", p["L"], "QUALIFIANTE", "BF04", "2019-09-02", "2020-02-29", "TERMINE"),
            # M: cohort 2021, still open at the cut-off. N: running, no cohort.
            bf_participation("M1", p["M"], "QUALIFIANTE", "BF04", "2020-10-05", "2021-03-31", "TERMINE"),
            bf_participation("N1", p["N"], "QUALIFIANTE", "BF04", "2021-09-01", None, "EN_COURS"),
        ],
        "2022-01-04T08:00:00",
    )
    deliver(
        OPLEIDINGEN,
        "2021-12",
        [
            # B: vocational training ending in March, then a language course dropped out in October:
            # B counts once, with the language course (ended last).
            _vdab("B1", p["B"], "BEROEPSOPLEIDING", "ICT", "2019-01-07", "2019-03-29", "GESLAAGD"),
            _vdab("B2", p["B"], "TAALOPLEIDING", "NEDL", "2019-04-01", "2019-10-31", "VOORTIJDIG_GESTOPT"),
            # J: further training, then an in-company training (IBO) in the window, still running.
            _vdab("J1", p["J"], "BIJSCHOLING", "ICT", "2019-09-02", "2019-11-15", "GESLAAGD"),
            _vdab("J2", p["J"], "IBO", "ELEK", "2020-01-06", None, "LOPEND"),
        ],
        "2022-01-04T08:00:00",
    )
    deliver(
        OCCUPATIONS,
        "2021-12",
        [
            # A: 28 days from the window's first day (1 March 2019); employed on 1 March 2020 (CDI).
            _spell("OA1", p["A"], "2019-03-01", "2019-03-28", "CDD"),
            _spell("OA2", p["A"], "2020-02-20", None, "CDI"),
            # B: a job after the language course (not vocational: no work_* count).
            _spell("OB1", p["B"], "2019-12-01", "2020-03-31", "CDD"),
            # C: a job starting on the end day itself: not in the window.
            _spell("OC1", p["C"], "2019-06-30", "2019-09-30", "CDD"),
            # D: 27 days from 30 Sep 2019 (end + 3 months): work, not a month of it.
            _spell("OD1", p["D"], "2019-09-30", "2019-10-26", "INTERIM"),
            # E: from 1 Oct 2019 (just after end + 3 months) to 30 Sep 2020: not employed on 1 Oct 2020.
            _spell("OE1", p["E"], "2019-10-01", "2020-09-30", "CDD"),
            # F: from 30 Dec 2019 (end + 6 months, still 3-6m), running: employed on 30 Dec 2020.
            _spell("OF1", p["F"], "2019-12-30", None, "CDI"),
            # G: from 31 Dec 2019 (6-12m) through 31 Jan 2021: employed on 31 Dec 2020.
            _spell("OG1", p["G"], "2019-12-31", "2021-01-31", "CDD"),
            # I: an internship (STAGE) in the window.
            _spell("OI1", p["I"], "2019-08-01", "2019-12-31", "STAGE"),
            # K: 28 Feb 2021, the window's last day (29 Feb 2020 + 12 months, clipped): 6-12m.
            _spell("OK1", p["K"], "2021-02-28", "2021-06-30", "CDD"),
            # L: 1 March 2021, a day too late.
            _spell("OL1", p["L"], "2021-03-01", "2021-06-30", "CDD"),
            # M: cohort 2021 (open): a job that must not show yet.
            _spell("OM1", p["M"], "2021-04-01", None, "CDI"),
        ],
        "2022-01-04T08:00:00",
    )

    def invitation(iid: str, who: str, day: str, domain: str, channel: str, present: bool) -> dict[str, Any]:
        return {
            "id_invitation": iid,
            "niss": p[who],
            "date_invitation": day,
            "code_domaine": domain,
            "canal": channel,
            "present": present,
        }

    deliver(
        INVITATIONS,
        "2022-01",
        [
            invitation("IS1", "A", "2019-03-04", "BF04", "CARREFOUR", True),
            invitation("IS2", "C", "2019-12-31", "BF05", "CARREFOUR", False),  # BF05 is ict too
            invitation("IS3", "D", "2020-01-01", "BF01", "EN_LIGNE", True),
            invitation("IS4", "E", "2019-06-01", "BF14", "CARREFOUR", True),
            invitation("IS5", "F", "2022-01-10", "BF04", "CARREFOUR", True),  # after the cut-off
        ],
        "2022-01-31T08:00:00",
    )

    def application(aid: str, who: str, day: str, organisme: str, referrer: str) -> dict[str, Any]:
        return {
            "id_demande": aid,
            "niss": p[who],
            "date_demande": day,
            "code_domaine": "BF04",
            "organisme": organisme,
            "prescripteur": referrer,
        }

    deliver(
        APPLICATIONS,
        "2022-01",
        [
            application("DF1", "A", "2019-01-10", "BF", "ACTIRIS"),
            application("DF2", "A", "2019-05-10", "BF", "ACTIRIS"),
            application("DF3", "A", "2019-06-10", "BF", "CARREFOUR"),
            application("DF4", "C", "2019-02-10", "PARTENAIRE", "ACTIRIS"),
            application("DF5", "D", "2020-03-03", "BF", "EN_LIGNE"),
            application("DF6", "E", "2022-01-12", "BF", "EN_LIGNE"),  # after the cut-off
        ],
        "2022-01-31T08:00:00",
    )
