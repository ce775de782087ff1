"""Training datasets of Bruxelles Formation (participations, applications, information sessions) and
VDAB Brussel (participations), from the simulated trainings. Both providers' participations come from
one builder configured with each provider's vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.contract.reference import read_seed
from orchestration.synthetic.careers import TRAINING_TYPES, Careers
from orchestration.synthetic.covid import sessions_kept
from orchestration.synthetic.jobseekers import ids
from orchestration.synthetic.people import format_niss_with_separators
from orchestration.synthetic.timeline import Horizon
from orchestration.synthetic.versions import as_events, dates, dates_until, two_versions

# Bruxelles Formation centres and partners, as the export names them (ISO-8859-1 text).
BF_CENTRES = np.array(
    [
        "BF Métiers urbains",
        "BF Construction",
        "BF Logistique",
        "BF Technologies & Industrie",
        "BF Bureau et Services",
        "BF Langues",
        "BF Management",
        "BF Tremplin",
        "BF Espaces numériques",
        "Partenaire - Interface3",
        "Partenaire - Mission locale d'Anderlecht",
        "Partenaire - Centre d'Économie sociale",
        "Partenaire - École de Promotion sociale",
        "Partenaire - ISP Forêt",
    ]
)
# Shared training domains of the types that have one fixed domain.
_FIXED_DOMAIN = {"literacy": "basic_skills", "basic_skills": "basic_skills", "language": "languages"}
_FIXED_DOMAIN |= {"orientation": "orientation", "pre_training": "basic_skills"}


@dataclass(frozen=True)
class Provider:
    name: str
    id_prefix: str
    columns: dict[str, str]  # generic name -> the provider's column name
    types: dict[str, str]  # harmonised training type -> the provider's code
    finished: str
    dropped: str
    running: str
    niss_with_separators: float  # share of rows printing the national number as 85.07.30-033.28


BF = Provider(
    name="BF",
    id_prefix="BF",
    columns={
        "id": "id_participation", "niss": "niss", "domain": "code_domaine", "type": "type_formation",
        "centre": "centre", "start": "date_debut", "end": "date_fin", "status": "statut_fin",
        "certificate": "certifie", "modified": "date_modification",
    },
    types={
        "qualifying": "QUALIFIANTE", "further_training": "PERFECTIONNEMENT",
        "specific_competences": "COMPETENCES_SPECIFIQUES", "training_through_employment": "FORMATION_EMPLOI",
        "in_company": "FPI_E", "literacy": "ALPHA", "basic_skills": "BASE", "pre_training": "PREFORMATION",
        "language": "LANGUES", "orientation": "ORIENTATION",
    },
    finished="TERMINE",
    dropped="ABANDON",
    running="EN_COURS",
    niss_with_separators=0.5,
)  # fmt: skip

VDAB = Provider(
    name="VDAB",
    id_prefix="VD",
    columns={
        "id": "deelname_id", "niss": "insz", "domain": "studiegebied", "type": "opleidingstype",
        "start": "startdatum", "end": "einddatum", "status": "uitstroomstatus", "certificate": "attest",
        "modified": "laatst_gewijzigd",
    },
    types={
        "qualifying": "BEROEPSOPLEIDING", "further_training": "BIJSCHOLING",
        "specific_competences": "BIJSCHOLING", "training_through_employment": "BEROEPSOPLEIDING",
        "in_company": "IBO", "literacy": "BASISVAARDIGHEDEN", "basic_skills": "BASISVAARDIGHEDEN",
        "pre_training": "BASISVAARDIGHEDEN", "language": "TAALOPLEIDING", "orientation": "ORIENTATIE",
    },
    finished="GESLAAGD",
    dropped="VOORTIJDIG_GESTOPT",
    running="LOPEND",
    niss_with_separators=0.0,
)  # fmt: skip


def _domain_codes(provider: str, harmonised_types: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    mapping = [r for r in read_seed("training_domain_map") if r["provider"] == provider]
    by_domain: dict[str, list[str]] = {}
    for row in mapping:
        by_domain.setdefault(row["training_domain"], []).append(row["provider_domain_code"])
    vocational = np.array(
        [
            r["provider_domain_code"]
            for r in mapping
            if r["training_domain"] not in set(_FIXED_DOMAIN.values())
        ]
    )
    out = vocational[rng.integers(0, len(vocational), len(harmonised_types))].astype(object)
    for kind, domain in _FIXED_DOMAIN.items():
        out[harmonised_types == kind] = by_domain[domain][0]
    return out


def participations(
    careers: Careers, provider: Provider, horizon: Horizon, rng: np.random.Generator
) -> pd.DataFrame:
    t, p = careers.trainings, careers.population
    mine = t["vdab"] == (provider.name == "VDAB")
    order = np.flatnonzero(mine)[np.argsort(t["start"][mine], kind="stable")]
    person, start, end, dropped = t["person"][order], t["start"][order], t["end"][order], t["dropped"][order]
    harmonised = TRAINING_TYPES[t["type"][order]]
    n = len(order)
    niss = p.niss[person].astype(object)
    printed = rng.random(n) < provider.niss_with_separators
    niss[printed] = format_niss_with_separators(p.niss[person][printed])
    c = provider.columns
    columns = {
        c["id"]: ids(provider.id_prefix, n),
        c["niss"]: niss,
        c["domain"]: _domain_codes(provider.name, harmonised, rng),
        c["type"]: np.array([provider.types[h] for h in harmonised]),
        c["start"]: dates(start),
        c["end"]: dates_until(end, horizon),
        c["status"]: np.where(dropped, provider.dropped, provider.finished),
        c["certificate"]: ~dropped & (rng.random(n) < 0.8),
        c["modified"]: pd.NaT,
    }
    if "centre" in c:
        columns[c["centre"]] = BF_CENTRES[rng.integers(0, len(BF_CENTRES), n)]
    frame = pd.DataFrame(columns)

    def running(rows: pd.DataFrame) -> pd.DataFrame:
        rows[c["end"]] = pd.NaT
        rows[c["status"]] = provider.running
        rows[c["certificate"]] = False
        return rows

    return two_versions(frame, start, end, horizon, running, c["modified"], rng)


def applications_and_invitations(
    careers: Careers, horizon: Horizon, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bruxelles Formation applications (most BF trainees applied first, and others who did not start)
    and invitations to information sessions, most ahead of an application."""
    t, e, p = careers.trainings, careers.episodes, careers.population
    # About a quarter of the trainees reach their training without an application (short courses, a
    # partner's own intake): the joint report counts 18-19 thousand trainees a year for 12.5-15 thousand
    # applicants.
    bf = ~t["vdab"] & (rng.random(len(t["vdab"])) < 0.77)
    trainee_person = t["person"][bf]
    trainee_day = t["start"][bf] - rng.integers(15, 121, int(bf.sum()))
    trainee_type = TRAINING_TYPES[t["type"][bf]]
    # Applicants who never start: registered job seekers, at some point of their episode (with the
    # invitations below, calibrated on indicators 5 and 6 of the joint report, 12.5-15 k a year).
    n_extra = int(len(trainee_person) * 0.17)
    episode = rng.integers(0, len(e["start"]), n_extra)
    extra_day = e["start"][episode] + (
        rng.random(n_extra) * (e["end"][episode] - e["start"][episode])
    ).astype(np.int64)
    person = np.concatenate([trainee_person, e["person"][episode]])
    day = np.concatenate([trainee_day, extra_day])
    kinds = np.concatenate([trainee_type, TRAINING_TYPES[rng.integers(0, 4, n_extra)]])
    order = np.argsort(day, kind="stable")
    person, day, kinds = person[order], day[order], kinds[order]
    n = len(day)
    domain = _domain_codes("BF", kinds, rng)
    applications = pd.DataFrame(
        {
            "id_demande": ids("DF", n),
            "niss": p.niss[person],
            "date_demande": dates(day),
            "code_domaine": domain,
            "organisme": np.where(rng.random(n) < 0.82, "BF", "PARTENAIRE"),
            "prescripteur": np.array(["ACTIRIS", "CARREFOUR", "EN_LIGNE", "CPAS", "MISSION_LOCALE", "AUTRE"])[
                rng.choice(6, n, p=[0.40, 0.22, 0.18, 0.07, 0.08, 0.05])
            ],
        }
    )
    # Information sessions ahead of the application; few took place during the 2020 lockdowns.
    session_day = day - rng.integers(5, 46, n)
    invited = rng.random(n) < 0.85 * sessions_kept(session_day)
    i_day = session_day[invited]
    i_order = np.argsort(i_day, kind="stable")
    m = int(invited.sum())
    invitations = pd.DataFrame(
        {
            "id_invitation": ids("IS", m),
            "niss": p.niss[person[invited]][i_order],
            "date_invitation": dates(i_day[i_order]),
            "code_domaine": domain[invited][i_order],
            "canal": np.array(["CARREFOUR", "AGENCE_ACTIRIS", "EN_LIGNE", "AUTRE"])[
                rng.choice(4, m, p=[0.35, 0.35, 0.20, 0.10])
            ],
            "present": rng.random(m) < 0.74,
        }
    )
    return as_events(applications, day, horizon), as_events(invitations, i_day[i_order], horizon)
