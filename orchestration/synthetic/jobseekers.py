"""Actiris' job seeker datasets from the simulated careers: registrations, guidance actions and
availability-control decisions."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from orchestration.synthetic.careers import EXIT_REASONS, REGISTRATION_TYPES, Careers
from orchestration.synthetic.timeline import Horizon, day_number
from orchestration.synthetic.versions import NO_DAY, as_events, dates, dates_until, two_versions

ACTION_CHANNELS = np.array(["AGENCE", "PARTENAIRE", "EN_LIGNE", "CONTACT_CENTER"])
_CHANNEL_SHARES = [0.58, 0.15, 0.17, 0.10]
ASSESSMENTS = np.array(["BILAN_LANGUE", "BILAN_NUMERIQUE", "BILAN_COMPETENCES"])
OFFERS = np.array(["OFFRE_EMPLOI", "OFFRE_FORMATION", "OFFRE_STAGE"])
_REFORM_DAY = day_number(date(2026, 1, 1))


def ids(prefix: str, n: int, first: int = 1) -> np.ndarray:
    return (prefix + pd.Series(np.arange(first, first + n)).astype(str).str.zfill(9)).to_numpy()


def dossier_ids(careers: Careers) -> np.ndarray:
    return ids("D", len(careers.episodes["start"]))


def registrations(careers: Careers, horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    e, p = careers.episodes, careers.population
    person = e["person"]
    kind = REGISTRATION_TYPES[e["kind"]]
    frame = pd.DataFrame(
        {
            "id_dossier": dossier_ids(careers),
            "niss": p.niss[person],
            "date_naissance": dates(p.birth_day[person]),
            "sexe": p.sex[person],
            "code_ins_commune": p.commune[person],
            "niveau_etudes": p.education[person],
            "nationalite": p.nationality[person],
            "langue": p.language[person],
            "type_inscription": kind,
            # A CPAS refers the people of its own commune.
            "code_ins_cpas": np.where(kind == "DEI_CPAS", p.commune[person], None),
            "date_inscription": dates(e["start"]),
            "date_sortie": dates_until(e["end"], horizon),
            "motif_sortie": np.where(e["end"] <= horizon.last_day, EXIT_REASONS[e["reason"]], None),
            "date_modification": pd.NaT,
        }
    )

    def still_registered(rows: pd.DataFrame) -> pd.DataFrame:
        rows["date_sortie"] = pd.NaT
        rows["motif_sortie"] = None
        return rows

    # The initial load carries the whole registration history: "first DEI registration ever" (new joiners in
    # the volume of solutions) must see the registrations closed before the first delivered month.
    return two_versions(
        frame, e["start"], e["end"], horizon, still_registered, "date_modification", rng, with_history=True
    )


def guidance_actions(careers: Careers, horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    e, t = careers.episodes, careers.trainings
    n = len(e["start"])
    dossier = dossier_ids(careers)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []  # episode, day, type, target

    def add(
        mask: np.ndarray, day: np.ndarray, kinds: np.ndarray | str, target: np.ndarray | None = None
    ) -> None:
        index = np.flatnonzero(mask)
        kinds_arr = np.full(len(index), kinds, dtype=object) if isinstance(kinds, str) else kinds[index]
        targets = np.full(len(index), None, dtype=object) if target is None else target[index]
        parts.append((index, day[index], kinds_arr, targets))

    # The first interview: most within the 15-day guarantee, some later, a few never.
    first_delay = np.where(rng.random(n) < 0.82, rng.integers(0, 16, n), rng.integers(16, 76, n))
    interview = e["start"] + first_delay
    add(rng.random(n) < 0.93, interview, "ENTRETIEN_1")
    add(rng.random(n) < 0.65, interview + rng.integers(7, 61, n), "PAI")
    add(rng.random(n) < 0.25, e["start"] + rng.integers(10, 121, n), ASSESSMENTS[rng.integers(0, 3, n)])
    first_offer = e["start"] + 3 + rng.exponential(75, n).astype(np.int64)
    add(rng.random(n) < 0.75, first_offer, OFFERS[rng.choice(3, n, p=[0.60, 0.25, 0.15])])
    add(
        rng.random(n) < 0.40,
        first_offer + 10 + rng.exponential(90, n).astype(np.int64),
        OFFERS[rng.choice(3, n, p=[0.65, 0.25, 0.10])],
    )
    # Referral to the training provider ahead of each training.
    referral_day = np.full(n, NO_DAY, np.int64)
    target = np.full(n, None, dtype=object)
    referred = t["episode"]
    referral_day[referred] = t["start"] - rng.integers(10, 61, len(referred))
    target[referred] = np.where(t["vdab"], "VDAB", "BF")
    others = (referral_day == NO_DAY) & (rng.random(n) < 0.05)
    referral_day[others] = e["start"][others] + rng.integers(20, 200, int(others.sum()))
    target[others] = np.where(rng.random(int(others.sum())) < 0.5, "EFP", "PARTENAIRE")
    add(referral_day != NO_DAY, referral_day, "ORIENTATION_FORMATION", target)

    episode = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    kinds = np.concatenate([p[2] for p in parts])
    targets = np.concatenate([p[3] for p in parts])
    # An action happens while the person is registered (an interview on the exit day still counts).
    valid = (day >= e["start"][episode]) & (day <= e["end"][episode])
    episode, day, kinds, targets = episode[valid], day[valid], kinds[valid], targets[valid]
    order = np.lexsort((episode, day))
    episode, day, kinds, targets = episode[order], day[order], kinds[order], targets[order]
    m = len(day)
    frame = pd.DataFrame(
        {
            "id_action": ids("A", m),
            "id_dossier": dossier[episode],
            "type_action": kinds,
            "date_action": dates(day),
            "organisme_cible": targets,
            "canal": ACTION_CHANNELS[rng.choice(4, m, p=_CHANNEL_SHARES)],
            "annule": rng.random(m) < 0.03,
        }
    )
    return as_events(frame, day, horizon)


def availability_decisions(careers: Careers, horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    """Evaluations of benefit claimants after 8-14 months, re-evaluations after a negative one, and
    administrative sanction procedures; decided mostly within the legal deadline in force."""
    e = careers.episodes
    dossier = dossier_ids(careers)
    claimant = e["kind"] == 0
    n = len(e["start"])
    evaluation = e["start"] + rng.integers(240, 421, n)
    evaluated = claimant & (evaluation < e["end"]) & (rng.random(n) < 0.60)
    sanction = e["start"] + rng.integers(60, 500, n)
    sanctioned = claimant & (sanction < e["end"]) & (rng.random(n) < 0.05)

    episode = np.concatenate([np.flatnonzero(evaluated), np.flatnonzero(sanctioned)])
    begin = np.concatenate([evaluation[evaluated], sanction[sanctioned]])
    kind = np.concatenate(
        [np.full(int(evaluated.sum()), "EVALUATION"), np.full(int(sanctioned.sum()), "SANCTION_ADMIN")]
    )
    result, decided = _decide(rng, kind, begin)
    negative = (kind == "EVALUATION") & (result == "NEGATIF") & (rng.random(len(kind)) < 0.8)
    re_begin = decided[negative] + rng.integers(100, 200, int(negative.sum()))
    re_kind = np.full(int(negative.sum()), "REEVALUATION")
    re_result, re_decided = _decide(rng, re_kind, re_begin)
    episode = np.concatenate([episode, episode[negative]])
    begin = np.concatenate([begin, re_begin])
    kind = np.concatenate([kind, re_kind])
    result = np.concatenate([result, re_result])
    decided = np.concatenate([decided, re_decided])

    order = np.lexsort((episode, begin))
    episode, begin, kind, result, decided = (a[order] for a in (episode, begin, kind, result, decided))
    m = len(begin)
    appeal = np.where(result == "POSITIF", rng.random(m) < 0.01, rng.random(m) < 0.12)
    frame = pd.DataFrame(
        {
            "id_decision": ids("C", m),
            "id_dossier": dossier[episode],
            "type_procedure": kind,
            "date_debut_procedure": dates(begin),
            "date_decision": dates_until(decided, horizon),
            "resultat": np.where(decided <= horizon.last_day, result, None),
            "recours": appeal & (decided <= horizon.last_day),
        }
    )

    def pending(rows: pd.DataFrame) -> pd.DataFrame:
        rows["date_decision"] = pd.NaT
        rows["resultat"] = None
        rows["recours"] = False
        return rows

    return two_versions(frame, begin, decided, horizon, pending, None, rng)


def _decide(rng: np.random.Generator, kind: np.ndarray, begin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(kind)
    sanction = kind == "SANCTION_ADMIN"
    # The deadlines of the landing contract; the 2026 reform shortens them.
    deadline = np.where(begin >= _REFORM_DAY, np.where(sanction, 30, 21), np.where(sanction, 45, 30))
    on_time = rng.random(n) < 0.90
    delay = np.where(
        on_time, (deadline * rng.uniform(0.1, 1.0, n)).astype(np.int64), deadline + rng.integers(1, 46, n)
    )
    result = np.where(
        sanction,
        np.where(rng.random(n) < 0.7, "SANCTION", "POSITIF"),
        np.array(["POSITIF", "NEGATIF", "SANCTION"])[rng.choice(3, n, p=[0.78, 0.17, 0.05])],
    )
    return result, begin + delay
