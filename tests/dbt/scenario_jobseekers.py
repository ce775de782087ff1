"""Hand-made deliveries for the job seekers' marts (guarantee clocks, availability control, vacancies and
matching, solutions volume), every figure chosen at a boundary of indicators.md.

Cut-off: 31 March 2026 (the latest actiris/demandeurs period delivered is 2026-03); the first delivered
period is October 2023. People are letters; their national register numbers are made up at run time.
Each dataset is delivered after the last date it holds (a later date would be quarantined).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from orchestration.contract.datasets import dataset
from orchestration.contract.identifiers import enterprise_check_digits
from tests.dbt.conftest import deliver, make_niss, occupation

DEMANDEURS = dataset("actiris", "demandeurs")
ACTIONS = dataset("actiris", "actions")
DECISIONS = dataset("actiris", "decisions_disponibilite")
OFFRES = dataset("actiris", "offres_emploi")
MATCHES = dataset("actiris", "mises_en_relation")
OCCUPATIONS = dataset("actiris", "occupations")
STAGIAIRES = dataset("bf", "stagiaires")
OPLEIDINGEN = dataset("vdab", "opleidingen")

Row = dict[str, Any]


@dataclass(frozen=True)
class Person:
    born: date
    sex: str = "F"
    education: str = "S3"
    nationality: str = "BE"
    commune: str = "21004"


# Who is who (registration ids and what happens to them are in `registrations` below).
PEOPLE: dict[str, Person] = {
    "A": Person(date(1990, 5, 17)),  # 33 on 10 January 2024: interview on day 15, a job after 360 days
    "B": Person(date(1985, 2, 2)),  # 38: interview on day 16 (and a cancelled one on day 3)
    "C": Person(date(1984, 1, 1), sex="M", commune="21001"),  # 31 October 2023: offer on 29 February
    "D": Person(date(1984, 1, 1), sex="M", commune="21001"),  # 31 October 2023: offer on 1 March
    "E": Person(date(1994, 3, 1), sex="M", education="SUP", nationality="FR"),  # 30 on registration day
    "F": Person(date(1994, 3, 2), sex="M", education="SUP", nationality="FR"),  # 29 on registration day
    "G": Person(date(2001, 6, 15), sex="X", education="P", nationality="MA", commune="21015"),  # FPI_E
    "H": Person(date(2002, 1, 1), sex="X", education="P", nationality="MA", commune="21015"),  # IBO
    "I": Person(date(1970, 1, 1), education="S2", commune="21009"),  # 15-day window open at the cut-off
    "J": Person(date(1970, 1, 1), education="S2", commune="21009"),  # 15-day window ends on the cut-off
    "K": Person(date(2004, 5, 1)),  # leaves for studies on the 6-month window's last day
    "L": Person(date(1980, 6, 6)),  # stock: registered before the first delivered period
    "M": Person(date(1980, 6, 6)),  # first DEI in 2023; a job on its exit day, a training after it
    "N": Person(date(1999, 1, 1)),  # a STAGE spell: an internship
    "O": Person(date(1980, 6, 6)),  # DE_OCCUPE only: no clock, no solution
}


def make_people(rng: random.Random) -> dict[str, str]:
    """A national register number per letter (made up at run time, never committed)."""
    return {who: make_niss(rng, person.born) for who, person in PEOPLE.items()}


def enterprise_number(body8: int) -> str:
    return f"{body8:08d}{enterprise_check_digits(body8):02d}"


def registration(
    people: dict[str, str],
    rid: str,
    who: str,
    start: str,
    end: str | None = None,
    reason: str | None = None,
    kind: str = "DEI_ALLOC",
) -> Row:
    person = PEOPLE[who]
    return {
        "id_dossier": rid,
        "niss": people[who],
        "date_naissance": person.born.isoformat(),
        "sexe": person.sex,
        "code_ins_commune": person.commune,
        "niveau_etudes": person.education,
        "nationalite": person.nationality,
        "langue": "FR",
        "type_inscription": kind,
        "code_ins_cpas": None,
        "date_inscription": start,
        "date_sortie": end,
        "motif_sortie": reason,
        "date_modification": pd.Timestamp(end or start) + pd.Timedelta(hours=9),
    }


def write_registrations(landing: Path, people: dict[str, str]) -> None:
    def reg(*args: Any, **kwargs: Any) -> Row:
        return registration(people, *args, **kwargs)

    deliver(
        landing,
        DEMANDEURS,
        "2023-10",
        [
            reg("RL", "L", "2023-09-15"),
            reg("RC", "C", "2023-10-31"),
            reg("RD", "D", "2023-10-31"),
        ],
        "2023-11-03T08:00:00",
    )
    deliver(landing, DEMANDEURS, "2023-11", [reg("RM", "M", "2023-11-01")], "2023-12-03T08:00:00")
    deliver(
        landing,
        DEMANDEURS,
        "2024-01",
        [
            reg("RA", "A", "2024-01-10"),
            reg("RB", "B", "2024-01-10"),
            reg("RO", "O", "2024-01-10", kind="DE_OCCUPE"),
            reg("RM", "M", "2023-11-01", "2024-01-31", "EMPLOI"),
        ],
        "2024-02-03T08:00:00",
    )
    deliver(landing, DEMANDEURS, "2024-02", [reg("RN", "N", "2024-02-01")], "2024-03-03T08:00:00")
    deliver(
        landing,
        DEMANDEURS,
        "2024-03",
        [reg("RE", "E", "2024-03-01"), reg("RF", "F", "2024-03-01")],
        "2024-04-03T08:00:00",
    )
    deliver(
        landing,
        DEMANDEURS,
        "2024-04",
        [reg("RG", "G", "2024-04-15"), reg("RH", "H", "2024-04-15")],
        "2024-05-03T08:00:00",
    )
    deliver(landing, DEMANDEURS, "2024-05", [reg("RK", "K", "2024-05-01")], "2024-06-03T08:00:00")
    deliver(
        landing,
        DEMANDEURS,
        "2024-11",
        [reg("RK", "K", "2024-05-01", "2024-11-01", "ETUDES")],
        "2024-12-03T08:00:00",
    )
    deliver(
        landing,
        DEMANDEURS,
        "2026-03",
        [reg("RI", "I", "2026-03-20"), reg("RJ", "J", "2026-03-16")],
        "2026-04-03T08:00:00",
    )


def write_actions(landing: Path) -> None:
    def action(aid: str, rid: str, kind: str, day: str, cancelled: bool = False) -> Row:
        return {
            "id_action": aid,
            "id_dossier": rid,
            "type_action": kind,
            "date_action": day,
            "organisme_cible": None,
            "canal": "AGENCE",
            "annule": cancelled,
        }

    deliver(
        landing,
        ACTIONS,
        "2024-03",
        [
            action("A1", "RA", "ENTRETIEN_1", "2024-01-25"),  # day 15: on time
            action("A2", "RB", "ENTRETIEN_1", "2024-01-26"),  # day 16: late
            action("A3", "RB", "ENTRETIEN_1", "2024-01-13", cancelled=True),  # counts for nothing
            action("A4", "RC", "OFFRE_STAGE", "2024-02-29"),  # last day of the 4-month window
            action("A5", "RD", "OFFRE_EMPLOI", "2024-03-01"),  # one day after it
            action("A6", "RD", "PAI", "2023-11-02"),  # not an offer
        ],
        "2024-04-03T08:00:00",
    )
    deliver(
        landing,
        ACTIONS,
        "2026-03",
        [
            action("A7", "RI", "ENTRETIEN_1", "2026-03-25"),  # window open at the cut-off: not counted
            action("A8", "RJ", "ENTRETIEN_1", "2026-03-31"),  # window ends on the cut-off: on time
        ],
        "2026-04-03T08:00:00",
    )


def write_spells_and_trainings(landing: Path, people: dict[str, str]) -> None:
    def spell(oid: str, who: str, start: str, end: str | None, contract: str) -> Row:
        return occupation(oid, people[who], start, end, contract, "2025-02-01 08:00")

    deliver(
        landing,
        OCCUPATIONS,
        "2025-01",
        [
            spell("O1", "E", "2024-06-01", "2024-12-31", "CDD"),
            spell("O2", "F", "2024-06-01", "2024-06-30", "INTERIM"),
            spell("O3", "M", "2024-01-31", None, "CDI"),  # on the day M's registration ends: still open
            spell("O4", "N", "2024-02-10", "2024-05-10", "STAGE"),
            spell("O5", "A", "2025-01-05", None, "CDI"),
            spell("O6", "O", "2024-02-01", None, "CDI"),  # O is no DEI job seeker
        ],
        "2025-02-03T08:00:00",
    )
    deliver(
        landing,
        STAGIAIRES,
        "2024-10",
        [
            {
                "id_participation": "P1",
                "niss": people["G"],
                "code_domaine": "BF01",
                "type_formation": "FPI_E",
                "centre": "C01",
                "date_debut": "2024-10-15",  # last day of G's 6-month window
                "date_fin": None,
                "statut_fin": "EN_COURS",
                "certifie": False,
                "date_modification": pd.Timestamp("2024-10-15 10:00"),
            },
            {
                "id_participation": "P2",
                "niss": people["M"],
                "code_domaine": "BF01",
                "type_formation": "QUALIFIANTE",
                "centre": "C01",
                "date_debut": "2024-02-01",  # the day after M's registration ended
                "date_fin": "2024-06-30",
                "statut_fin": "TERMINE",
                "certifie": True,
                "date_modification": pd.Timestamp("2024-07-01 10:00"),
            },
        ],
        "2024-11-03T08:00:00",
    )
    deliver(
        landing,
        OPLEIDINGEN,
        "2024-10",
        [
            {
                "deelname_id": "P1",
                "insz": people["H"],
                "studiegebied": "BOUW",
                "opleidingstype": "IBO",
                "startdatum": "2024-10-16",  # one day after H's 6-month window
                "einddatum": None,
                "uitstroomstatus": "LOPEND",
                "attest": False,
                "laatst_gewijzigd": pd.Timestamp("2024-10-16 10:00"),
            }
        ],
        "2024-11-03T08:00:00",
    )


def write_decisions(landing: Path) -> None:
    def decision(did: str, kind: str, start: str, decided: str | None, appeal: bool = False) -> Row:
        return {
            "id_decision": did,
            "id_dossier": "RA",
            "type_procedure": kind,
            "date_debut_procedure": start,
            "date_decision": decided,
            "resultat": "POSITIF" if decided else None,
            "recours": appeal,
        }

    # A procedure pending in June 2025, delivered again once decided in July: the later delivery wins.
    deliver(
        landing,
        DECISIONS,
        "2025-06",
        [decision("D8", "REEVALUATION", "2025-06-02", None)],
        "2025-07-03T08:00",
    )
    deliver(
        landing,
        DECISIONS,
        "2025-07",
        [decision("D8", "REEVALUATION", "2025-06-02", "2025-07-01")],
        "2025-08-03T08:00:00",
    )
    deliver(
        landing,
        DECISIONS,
        "2026-03",
        [
            decision("D1", "EVALUATION", "2025-03-03", "2025-04-02"),  # 30 days: on time
            decision("D2", "EVALUATION", "2025-03-03", "2025-04-03", appeal=True),  # 31 days: late
            decision("D3", "EVALUATION", "2025-12-31", "2026-01-30"),  # 30 days, before the reform: on time
            decision("D4", "EVALUATION", "2026-01-01", "2026-01-31"),  # 30 days, reform (21): late
            decision("D5", "EVALUATION", "2026-01-05", "2026-01-26"),  # 21 days: on time
            decision("D6", "SANCTION_ADMIN", "2026-03-01", None),  # pending 30 days at the cut-off: not late
            decision("D7", "SANCTION_ADMIN", "2026-02-28", None),  # pending 31 days: late
        ],
        "2026-04-03T08:00:00",
    )


def write_vacancies_and_matches(landing: Path) -> None:
    def vacancy(
        vid: str, received: str, nace: str, place: str, channel: str, positions: int, status: str
    ) -> Row:
        return {
            "id_offre": vid,
            "numero_bce": enterprise_number(4012_3456),
            "date_reception": received,
            "code_nace": nace,
            "code_isco": "1111",
            "lieu_code_ins": place,
            "canal": channel,
            "id_partenariat": "PART01" if channel == "PARTENARIAT" else None,
            "nb_postes": positions,
            "statut": status,
            "date_cloture": None if status == "OUVERTE" else "2024-03-31",
            "date_modification": pd.Timestamp("2024-03-31 18:00"),
        }

    deliver(
        landing,
        OFFRES,
        "2024-03",
        [
            vacancy("V1", "2024-03-01", "47110", "21004", "DIRECT", 2, "POURVUE_ACTIRIS"),  # G, Brussels
            vacancy("V2", "2024-03-02", "62010", "11002", "DIRECT", 1, "OUVERTE"),  # J, Antwerpen (VLA)
            vacancy("V3", "2024-03-31", "47190", "21004", "DIRECT", 1, "EXPIREE"),  # G, Brussels
            vacancy("V4", "2024-03-05", "10110", "57081", "PARTENARIAT", 4, "ANNULEE"),  # C, Tournai (WAL)
        ],
        "2024-04-03T08:00:00",
    )

    def match(
        mid: str, vid: str, rid: str, day: str, origin: str, result: str, result_day: str | None
    ) -> Row:
        return {
            "id_match": mid,
            "id_offre": vid,
            "id_dossier": rid,
            "date_match": day,
            "origine": origin,
            "resultat": result,
            "date_resultat": result_day,
        }

    deliver(
        landing,
        MATCHES,
        "2024-03",
        [
            # RA (10 January): M1 and M2 on the same day, the smaller id is the first match (55 days)
            match("M1", "V1", "RA", "2024-03-05", "IA", "EMBAUCHE", "2024-03-10"),
            match("M2", "V2", "RA", "2024-03-05", "CONSEILLER", "SANS_SUITE", "2024-03-15"),
            # RB (10 January): first matched on V2 on 4 March (54 days), then on V1
            match("M3", "V2", "RB", "2024-03-04", "IA", "REFUS_EMPLOYEUR", "2024-03-08"),
            match("M4", "V1", "RB", "2024-03-06", "CANDIDATURE", "EN_COURS", None),
        ],
        "2024-04-03T08:00:00",
    )


def write_jobseekers_scenario(landing: Path, people: dict[str, str]) -> None:
    """Every delivery of the scenario (see tests/dbt/test_jobseekers_marts.py for the figures)."""
    write_registrations(landing, people)
    write_actions(landing)
    write_spells_and_trainings(landing, people)
    write_decisions(landing)
    write_vacancies_and_matches(landing)
