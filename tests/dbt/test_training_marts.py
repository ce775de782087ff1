"""The training marts on hand-made deliveries (tests/dbt/scenario_training.py), worked out by hand.

Cut-off 31 December 2021. Cohort 2019 is closed (31 Dec 2020) and so is its indicator 3 (31 Dec 2021);
cohort 2020 is closed, its indicator 3 is not; cohort 2021 is open. Targets: cohort 2019 is measured in
2020 (73 / 68 / 59 / 65 / 52 %), cohort 2020 in 2021 (no published target).
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.dbt.conftest import Warehouse, ingested, make_niss, run_dbt
from tests.dbt.scenario_training import BIRTHS, write_training_scenario

MARTS = ["+shared_strategic_indicators", "+training_referrals", "+training_applicants"]
# The models that move with the cut-off, for a rebuild with the cut-off set by hand.
CUTOFF_DEPENDENT = [
    "int_cutoff",
    "int_employment_spells_merged",
    "int_training_leavers",
    "int_training_leaver_outcomes",
    "shared_strategic_indicators",
]

COUNTS = (
    "leavers, vocational_leavers, positive_outflow, work_any, work_1m, work_sustained, "
    "first_job_0_3m, first_job_3_6m, first_job_6_12m"
)
RATES = (
    "positive_outflow_pct, work_any_pct, work_1m_pct, work_sustained_pct, "
    "first_job_0_3m_pct, first_job_3_6m_pct, first_job_6_12m_pct"
)
TARGETS = (
    "positive_outflow_target_pct, work_any_target_pct, work_1m_target_pct, "
    "work_sustained_target_pct, first_job_0_3m_target_pct"
)
GRAIN = "cohort_year, provider, training_type, training_domain"


def pct(*values: str | None) -> tuple[Decimal | None, ...]:
    return tuple(None if v is None else Decimal(v) for v in values)


@pytest.fixture(scope="module")
def training_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    root = tmp_path_factory.mktemp("training_warehouse")
    landing, data = root / "landing", root / "data"
    landing.mkdir()
    rng = random.Random()
    people = {who: make_niss(rng, born) for who, born in BIRTHS.items()}
    write_training_scenario(landing, people)
    with ingested(landing, data) as outcomes:
        assert [o.status for o in outcomes] == ["LOADED"] * 6
        run_dbt(["build", "--select", *MARTS], data)
        yield Warehouse(data, people, {})


def _rows(warehouse: Warehouse, columns: str) -> dict[tuple, tuple]:
    rows = warehouse.rows(f"select {GRAIN}, {columns} from marts.shared_strategic_indicators order by all")
    return {row[:4]: row[4:] for row in rows}


def test_every_quarantine_is_empty_and_the_cutoff_is_december_2021(training_warehouse: Warehouse) -> None:
    assert training_warehouse.one("select count(*) from audit.quarantine") == (0,)
    assert training_warehouse.one("select cutoff_date::varchar from intermediate.int_cutoff") == (
        "2021-12-31",
    )


def test_a_person_counts_once_with_the_participation_that_ended_last(training_warehouse: Warehouse) -> None:
    # A: two trainings end on 28 Feb 2019, the later start (A2) wins; B: the October course wins.
    chosen = training_warehouse.rows(
        "select participation_id, window_end_date::varchar from intermediate.int_training_leavers "
        "order by participation_id"
    )
    assert chosen == [
        ("A2", "2020-02-28"),
        ("B2", "2020-10-31"),
        ("C1", "2020-06-30"),
        ("D1", "2020-06-30"),
        ("E1", "2020-06-30"),
        ("F1", "2020-06-30"),
        ("G1", "2020-06-30"),
        ("H1", "2020-06-30"),
        ("I1", "2020-06-30"),
        ("J1", "2020-11-15"),
        ("K1", "2021-02-28"),  # 29 Feb 2020 + 12 months, clipped
        ("L1", "2021-02-28"),
        ("M1", "2022-03-31"),
    ]


def test_shared_indicator_counts(training_warehouse: Warehouse) -> None:
    assert _rows(training_warehouse, COUNTS) == {
        # A: a month of work from the window's first day, employed 12 months later.
        (2019, "BF", "further_training", "ict"): (1, 1, 1, 1, 1, 1, 1, 0, 0),
        # C (job on the end day), D (27 days), E (3-6m, gone a year later), F (3-6m on end + 6 months,
        # stays), G (6-12m, stays), H (FPI-E on the window's last day).
        (2019, "BF", "qualifying", "ict"): (6, 6, 4, 4, 3, 2, 0, 2, 1),
        # I: an internship spell after a language course; not vocational, so no work_* count.
        (2019, "BF", "language", "languages"): (1, 0, 1, 0, 0, 0, 0, 0, 0),
        # B: a job after the dropped-out language course (vocational training earlier in the year).
        (2019, "VDAB", "language", "languages"): (1, 0, 1, 0, 0, 0, 0, 0, 0),
        # J: an IBO in the window is a positive outflow, not work.
        (2019, "VDAB", "further_training", "ict"): (1, 1, 1, 0, 0, 0, 0, 0, 0),
        # K: a job on the window's last day (28 Feb 2021); L a day later. Indicator 3 not known yet.
        (2020, "BF", "qualifying", "ict"): (2, 2, 1, 1, 1, None, 0, 0, 1),
        # M: cohort 2021 is open: denominators only.
        (2021, "BF", "qualifying", "ict"): (1, 1, None, None, None, None, None, None, None),
    }


def test_shared_indicator_rates(training_warehouse: Warehouse) -> None:
    assert _rows(training_warehouse, RATES) == {
        (2019, "BF", "further_training", "ict"): pct("100", "100", "100", "100", "100", "0", "0"),
        (2019, "BF", "qualifying", "ict"): pct("66.67", "66.67", "50.00", "66.67", "0", "66.67", "33.33"),
        (2019, "BF", "language", "languages"): pct("100", None, None, None, None, None, None),
        (2019, "VDAB", "language", "languages"): pct("100", None, None, None, None, None, None),
        (2019, "VDAB", "further_training", "ict"): pct("100", "0", "0", None, None, None, None),
        (2020, "BF", "qualifying", "ict"): pct("50", "50", "50", None, "0", "0", "100"),
        (2021, "BF", "qualifying", "ict"): pct(None, None, None, None, None, None, None),
    }


def test_shared_indicator_targets_and_labels(training_warehouse: Warehouse) -> None:
    year_2020 = pct("73", "68", "59", "65", "52")
    assert _rows(training_warehouse, f"measured_year, domain_name_fr, domain_name_nl, {TARGETS}") == {
        (2019, "BF", "further_training", "ict"): (
            2020,
            "Informatique et numérique",
            "ICT en digitaal",
            *year_2020,
        ),
        (2019, "BF", "qualifying", "ict"): (2020, "Informatique et numérique", "ICT en digitaal", *year_2020),
        (2019, "BF", "language", "languages"): (
            2020,
            "Langues",
            "Talen",
            Decimal("73"),
            None,
            None,
            None,
            None,
        ),
        (2019, "VDAB", "language", "languages"): (
            2020,
            "Langues",
            "Talen",
            Decimal("73"),
            None,
            None,
            None,
            None,
        ),
        (2019, "VDAB", "further_training", "ict"): (
            2020,
            "Informatique et numérique",
            "ICT en digitaal",
            *year_2020,
        ),
        (2020, "BF", "qualifying", "ict"): (
            2021,
            "Informatique et numérique",
            "ICT en digitaal",
            *[None] * 5,
        ),
        (2021, "BF", "qualifying", "ict"): (
            2022,
            "Informatique et numérique",
            "ICT en digitaal",
            *[None] * 5,
        ),
    }
    closure = training_warehouse.rows(
        "select distinct cohort_year, cohort_closed, sustained_closed "
        "from marts.shared_strategic_indicators order by 1"
    )
    assert closure == [(2019, True, True), (2020, True, False), (2021, False, False)]


def test_training_referrals(training_warehouse: Warehouse) -> None:
    rows = training_warehouse.rows(
        "select year, channel, training_domain, domain_name_nl, year_complete, invitations, attended, "
        "invitations_year_target from marts.training_referrals order by all"
    )
    # IS5 (10 January 2022) lies after the cut-off.
    assert rows == [
        (2019, "CARREFOUR", "ict", "ICT en digitaal", True, 2, 1, 14000),
        (2019, "CARREFOUR", "languages", "Talen", True, 1, 1, 14000),
        (2020, "EN_LIGNE", "construction", "Bouw", True, 1, 1, 14500),
    ]


def test_training_applicants(training_warehouse: Warehouse) -> None:
    rows = training_warehouse.rows(
        "select year, organisme, prescripteur, year_complete, applicants, applications, applicants_in_year, "
        "applicants_year_target from marts.training_applicants order by all"
    )
    # A applied twice through Actiris and once through a Carrefour: once per row, once in the year.
    assert rows == [
        (2019, "BF", "ACTIRIS", True, 1, 2, 2, 15000),
        (2019, "BF", "CARREFOUR", True, 1, 1, 2, 15000),
        (2019, "PARTENAIRE", "ACTIRIS", True, 1, 1, 2, 15000),
        (2020, "BF", "EN_LIGNE", True, 1, 1, 1, 15000),
    ]


def test_no_raw_national_number_reaches_the_training_models(training_warehouse: Warehouse) -> None:
    persons = {
        row[0] for row in training_warehouse.rows("select person_id from intermediate.int_training_leavers")
    }
    assert len(persons) == 13 and not persons & set(training_warehouse.people.values())


def test_a_day_earlier_cutoff_reopens_cohort_2020(
    training_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data: Path = tmp_path_factory.mktemp("training_cut_earlier") / "data"
    (data / "build").mkdir(parents=True)
    shutil.copy(training_warehouse.build_db, data / "build" / "warehouse.duckdb")
    run_dbt(["run", "--select", *CUTOFF_DEPENDENT], data, {"WAREHOUSE_CUTOFF": "2021-12-30"})
    earlier = Warehouse(data, training_warehouse.people, {})
    closure = earlier.rows(
        "select distinct cohort_year, cohort_closed, sustained_closed "
        "from marts.shared_strategic_indicators order by 1"
    )
    assert closure == [(2019, True, False), (2020, False, False), (2021, False, False)]
    assert _rows(earlier, COUNTS)[(2019, "BF", "qualifying", "ict")] == (6, 6, 4, 4, 3, None, 0, 2, 1)
    assert _rows(earlier, COUNTS)[(2020, "BF", "qualifying", "ict")] == (2, 2, *[None] * 7)
