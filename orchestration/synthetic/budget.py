"""Actiris' budget: monthly cumulative snapshots of commitment (ENG) and payment (LIQ) credits per
article, about EUR 720-770 M a year; most articles end between 90 and 100 % and a few go over."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.synthetic.timeline import Horizon

# Article code, label (French, as delivered), programme, share of the year's credits, first year.
ARTICLES = (
    ("01.001.11.01.1111", "Rémunérations du personnel statutaire", "PERSONNEL", 0.105, 0),
    ("01.001.11.02.1112", "Rémunérations du personnel contractuel", "PERSONNEL", 0.052, 0),
    ("01.001.11.03.1131", "Cotisations patronales", "PERSONNEL", 0.018, 0),
    ("01.002.12.01.1211", "Frais de fonctionnement des bâtiments", "FONCTIONNEMENT", 0.022, 0),
    ("01.002.12.02.1211", "Informatique; licences et maintenance", "FONCTIONNEMENT", 0.020, 0),
    ("01.002.12.03.1211", "Communication et campagnes", "FONCTIONNEMENT", 0.006, 0),
    ("01.002.74.01.7422", "Investissements informatiques", "FONCTIONNEMENT", 0.010, 0),
    ("02.001.33.01.3300", "Subventions aux partenaires d'emploi", "ACCOMPAGNEMENT", 0.070, 0),
    ("02.001.33.02.3300", "Missions locales pour l'emploi", "ACCOMPAGNEMENT", 0.035, 0),
    ("02.001.33.03.3300", 'Garantie pour la jeunesse "Youth Guarantee"', "ACCOMPAGNEMENT", 0.028, 0),
    ("02.001.33.04.3300", "Maisons de l'emploi et CPAS", "ACCOMPAGNEMENT", 0.030, 0),
    ("02.001.33.05.3300", "Accompagnement des publics fragilisés", "ACCOMPAGNEMENT", 0.022, 2020),
    ("03.001.34.01.3410", "Activa.brussels", "AIDES_EMPLOI", 0.150, 0),
    ("03.001.34.02.3410", "Emplois ACS - agents contractuels subventionnés", "AIDES_EMPLOI", 0.180, 0),
    ("03.001.34.03.3410", "Stages de transition et stages First", "AIDES_EMPLOI", 0.040, 0),
    ("03.001.34.04.3410", "Prime de transition professionnelle", "AIDES_EMPLOI", 0.035, 0),
    ("03.001.34.05.3410", "Article 60 - aides aux CPAS", "AIDES_EMPLOI", 0.045, 0),
    ("04.001.33.01.3320", "Chèques formation et langues", "FORMATION", 0.030, 0),
    ("04.001.33.02.3320", "Formations professionnelles individuelles (FPI)", "FORMATION", 0.025, 0),
    ("04.001.33.03.3320", "Convention Bruxelles Formation et VDAB", "FORMATION", 0.022, 0),
    ("05.001.38.01.3810", "Fonds social européen - cofinancement", "FSE", 0.035, 0),
    ("05.001.38.02.3810", "Initiative pour l'emploi des jeunes", "FSE", 0.020, 0),
)
_TOTAL_2016 = 728_000_000.0
_GROWTH_PER_YEAR = 4_000_000.0


def _cumulative_share(programme: str, months: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Share of the year's final execution reached at each month end (12 values, ending at 1)."""
    m = months.astype(float)
    if programme == "PERSONNEL":
        share = np.where(m < 12, m / 13, 1.0)  # December pays the year-end bonus
    elif programme == "ACCOMPAGNEMENT":
        share = np.select(
            [m < 2, m < 9, m < 12], [0.03 * m, 0.45 + 0.01 * (m - 2), 0.80 + 0.02 * (m - 9)], 1.0
        )
    elif programme == "FSE":
        share = (m / 12) ** 2
    elif programme == "FORMATION":
        share = np.ceil(m / 3) * 3 / 12 * 0.9 + np.where(m == 12, 0.1, 0.0)
    else:
        share = m / 12
    noisy = share * rng.uniform(0.94, 1.06, 12)
    noisy[-1] = 1.0
    return np.minimum(np.maximum.accumulate(noisy), 1.0)


def budget_snapshots(horizon: Horizon, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    first_year, last_year = horizon.first[0], horizon.last[0]
    months = np.arange(1, 13)
    for year in range(first_year, last_year + 1):
        total = (_TOTAL_2016 + _GROWTH_PER_YEAR * (year - 2016)) * rng.uniform(0.99, 1.01)
        articles = [a for a in ARTICLES if year >= a[4]]
        total /= sum(a[3] for a in articles)  # shares of the articles open that year
        # A few articles a year end over their credit (a breach); a few well under it.
        over = set(rng.choice(len(articles), int(rng.integers(1, 4)), replace=False).tolist())
        for index, (code, label, programme, share, _since) in enumerate(articles):
            commitment = round(total * share * rng.uniform(0.97, 1.03), -3)
            adjusted_month = int(rng.integers(5, 8))  # the budget adjustment passes mid-year
            adjusted = round(commitment * rng.normal(1.0, 0.02), -3)
            if index in over:
                final_rate = 1.0 + rng.uniform(0.003, 0.06)
            elif rng.random() < 0.08:
                final_rate = rng.uniform(0.75, 0.90)
            else:
                final_rate = 0.90 + 0.0999 * rng.beta(5, 2)
            shares = _cumulative_share(programme, months, rng)
            for credit_type, factor in (("ENG", 1.0), ("LIQ", rng.uniform(0.93, 0.99))):
                initial = round(commitment * factor, 2)
                final_adjusted = round(adjusted * factor, 2)
                executed_final = (
                    final_adjusted * final_rate * (1.0 if credit_type == "ENG" else rng.uniform(0.96, 1.0))
                )
                for month in months:
                    period = f"{year:04d}-{month:02d}"
                    if (year, month) < horizon.first or (year, month) > horizon.last:
                        continue
                    rows.append(
                        (
                            year,
                            int(month),
                            code,
                            label,
                            programme,
                            credit_type,
                            initial,
                            final_adjusted if month >= adjusted_month else initial,
                            round(executed_final * shares[month - 1], 2),
                            period,
                        )
                    )
    return pd.DataFrame(
        rows,
        columns=[
            "exercice",
            "mois",
            "article_budgetaire",
            "libelle_article",
            "programme",
            "type_credit",
            "credit_initial",
            "credit_ajuste",
            "montant_cumule",
            "_period",
        ],
    )
