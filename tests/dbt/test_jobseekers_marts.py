"""The job seekers' marts built for real from hand-made deliveries (tests/dbt/scenario_jobseekers.py):
ingest, `dbt build` of the four marts and everything upstream, then every value worked out by hand.

Cut-off 31 March 2026 (latest actiris/demandeurs period 2026-03); first delivered period October 2023.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from tests.dbt.conftest import Warehouse, ingested, run_dbt
from tests.dbt.scenario_jobseekers import make_people, write_jobseekers_scenario

MARTS = ("guarantee_clocks", "availability_control", "vacancies_matching", "solutions_volume")
DELIVERIES = 19
HUNDRED = Decimal("100.00")


def d(text: str) -> Decimal:
    return Decimal(text)


@pytest.fixture(scope="module")
def jobseekers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    root = tmp_path_factory.mktemp("dbt_jobseekers")
    landing, data = root / "landing", root / "data"
    landing.mkdir()
    people = make_people(random.Random())
    write_jobseekers_scenario(landing, people)
    with ingested(landing, data) as outcomes:
        assert [o.status for o in outcomes] == ["LOADED"] * DELIVERIES
        # `buildable`: tests whose every parent is built here (not those of other marts' seeds)
        selection = " ".join(f"+{mart}" for mart in MARTS)
        run_dbt(["build", "--select", selection, "--indirect-selection", "buildable"], data)
        yield Warehouse(data, people, {})


def test_every_row_loads_and_the_cutoff_is_the_last_demandeurs_period(jobseekers: Warehouse) -> None:
    assert jobseekers.one("select sum(rows_quarantined), count(*) from audit.deliveries") == (0, DELIVERIES)
    assert jobseekers.one("select cutoff_date, first_registration_period from intermediate.int_cutoff") == (
        date(2026, 3, 31),
        date(2023, 10, 1),
    )


# --- guarantee_clocks ------------------------------------------------------------------------------------

CLOCKS = """
    select
        registration_month, age_band, sex, education_level, nationality_group, commune_ins, commune_name_nl,
        registrations,
        first_interview_on_time, first_interview_due, first_interview_on_time_pct,
        offer_by_month_4, offer_due, offer_by_month_4_pct,
        youth_solution_6m, youth_due, youth_solution_6m_pct,
        solution_12m, solution_due_12m, solution_12m_pct
    from marts.guarantee_clocks
"""


def clock(jobseekers: Warehouse, month: str, age_band: str, commune: str = "21004") -> tuple:
    rows = jobseekers.rows(
        CLOCKS + " where registration_month = ? and age_band = ? and commune_ins = ?",
        [date.fromisoformat(month), age_band, commune],
    )
    assert len(rows) == 1, rows
    return rows[0][6:]


def test_clocks_have_one_row_per_grain_and_flag_the_months_before_the_first_delivery(
    jobseekers: Warehouse,
) -> None:
    # 10 grain rows: O (DE_OCCUPE) is not counted, 15 registrations delivered, 14 DEI, all 14 in the mart.
    # L registered on 15 September 2023, before the first delivered period (October): its month has its
    # own row, flagged, and its first interview (never delivered) is late.
    assert jobseekers.one("select count(*), sum(registrations) from marts.guarantee_clocks") == (10, 14)
    flagged = jobseekers.rows(
        "select registration_month, registrations, first_interview_on_time, first_interview_due "
        "from marts.guarantee_clocks where is_before_first_delivery"
    )
    assert flagged == [(date(2023, 9, 1), 1, 0, 1)]
    assert jobseekers.one(
        "select min(registration_month) from marts.guarantee_clocks where not is_before_first_delivery"
    ) == (date(2023, 10, 1),)


def test_first_interview_on_day_15_is_on_time_day_16_is_late(jobseekers: Warehouse) -> None:
    # A: interview on day 15; B: on day 16 (its cancelled interview on day 3 counts for nothing).
    # A's job on 5 January 2025 is within 12 months (window to 10 January 2025); B has none.
    assert clock(jobseekers, "2024-01-01", "30-44") == (
        "Brussel",
        2,
        1, 2, d("50.00"),
        0, 2, d("0.00"),
        0, 0, None,
        1, 2, d("50.00"),
    )  # fmt: skip


def test_offer_window_of_31_october_ends_on_29_february(jobseekers: Warehouse) -> None:
    # C: OFFRE_STAGE on 29 February 2024 (the window's last day); D: OFFRE_EMPLOI on 1 March, a PAI.
    assert clock(jobseekers, "2023-10-01", "30-44", "21001") == (
        "Anderlecht",
        2,
        0, 2, d("0.00"),
        1, 2, d("50.00"),
        0, 0, None,
        0, 2, d("0.00"),
    )  # fmt: skip


def test_youth_means_under_30_on_the_registration_day(jobseekers: Warehouse) -> None:
    # E turns 30 on the registration day: not youth; F turns 30 the day after: youth. Both find a job
    # on 1 June 2024, within 6 and 12 months.
    e_row = jobseekers.rows(CLOCKS + " where registration_month = date '2024-03-01' and age_band = '30-44'")
    f_row = jobseekers.rows(CLOCKS + " where registration_month = date '2024-03-01' and age_band = '25-29'")
    profile = ("M", "SUP", "EU", "21004", "Brussel", 1, 0, 1, d("0.00"), 0, 1, d("0.00"))
    assert e_row == [(date(2024, 3, 1), "30-44", *profile, 0, 0, None, 1, 1, HUNDRED)]
    assert f_row == [(date(2024, 3, 1), "25-29", *profile, 1, 1, HUNDRED, 1, 1, HUNDRED)]


def test_in_company_training_on_the_window_last_day_is_a_youth_solution(jobseekers: Warehouse) -> None:
    # G: FPI_E (BF) starting 15 October 2024, the 6-month window's last day; H: IBO (VDAB) one day later,
    # within 12 months only.
    assert clock(jobseekers, "2024-04-01", "<25", "21015") == (
        "Schaarbeek",
        2,
        0, 2, d("0.00"),
        0, 2, d("0.00"),
        1, 2, d("50.00"),
        2, 2, HUNDRED,
    )  # fmt: skip


def test_return_to_studies_and_internship_spell_are_solutions(jobseekers: Warehouse) -> None:
    # K leaves for studies on 1 November 2024, the 6-month window's last day; N starts a STAGE spell.
    assert clock(jobseekers, "2024-05-01", "<25")[-6:] == (1, 1, HUNDRED, 1, 1, HUNDRED)
    assert clock(jobseekers, "2024-02-01", "25-29")[-6:] == (1, 1, HUNDRED, 1, 1, HUNDRED)
    # M's job starts on the day its registration ends (within 12 months of 1 November 2023).
    assert clock(jobseekers, "2023-11-01", "30-44")[-3:] == (1, 1, HUNDRED)


def test_open_windows_count_in_registrations_only(jobseekers: Warehouse) -> None:
    # J (16 March 2026): the 15-day window ends on the cut-off, closed, interviewed on it. I (20 March):
    # open, its interview is not counted. Every longer window is open: nothing due, rates NULL.
    assert clock(jobseekers, "2026-03-01", "45+", "21009") == (
        "Elsene",
        2,
        1, 1, HUNDRED,
        0, 0, None,
        0, 0, None,
        0, 0, None,
    )  # fmt: skip


def test_guarantee_targets_come_from_the_seed(jobseekers: Warehouse) -> None:
    assert jobseekers.one(
        "select distinct first_interview_on_time_target_pct, offer_by_month_4_target_pct, "
        "youth_solution_6m_target_pct, solution_12m_target_pct from marts.guarantee_clocks"
    ) == (HUNDRED, HUNDRED, HUNDRED, HUNDRED)


# --- availability_control --------------------------------------------------------------------------------


def test_availability_decisions_against_the_deadline_in_force(jobseekers: Warehouse) -> None:
    rows = jobseekers.rows(
        "select month, procedure_type, deadline_days_max, procedures, decided, decided_on_time, pending, "
        "pending_late, on_time_due, appeals, on_time_pct, on_time_target_pct "
        "from marts.availability_control order by month, procedure_type"
    )
    assert rows == [
        # 30 days on time, 31 days late (with an appeal)
        (date(2025, 3, 1), "EVALUATION", 30, 2, 2, 1, 0, 0, 2, 1, d("50.00"), HUNDRED),
        # pending in June's delivery, decided in July's: the later delivery wins (29 days)
        (date(2025, 6, 1), "REEVALUATION", 30, 1, 1, 1, 0, 0, 1, 0, HUNDRED, HUNDRED),
        # started the day before the reform: 30 days is on time
        (date(2025, 12, 1), "EVALUATION", 30, 1, 1, 1, 0, 0, 1, 0, HUNDRED, HUNDRED),
        # after the reform (21 days): 30 days late, 21 days on time
        (date(2026, 1, 1), "EVALUATION", 21, 2, 2, 1, 0, 0, 2, 0, d("50.00"), HUNDRED),
        # pending 31 days at the cut-off: late
        (date(2026, 2, 1), "SANCTION_ADMIN", 30, 1, 0, 0, 1, 1, 1, 0, d("0.00"), HUNDRED),
        # pending 30 days at the cut-off: not late yet, nothing due
        (date(2026, 3, 1), "SANCTION_ADMIN", 30, 1, 0, 0, 1, 0, 0, 0, None, HUNDRED),
    ]


# --- vacancies_matching ----------------------------------------------------------------------------------


def test_vacancies_by_section_channel_and_work_region(jobseekers: Warehouse) -> None:
    rows = jobseekers.rows(
        "select month, nace_section, nace_section_name_fr, channel, work_region, vacancies, positions, "
        "filled_by_actiris, matches, matches_ai, hires, hire_conversion_pct, "
        "days_registration_to_match_sum, matched_jobseekers "
        "from marts.vacancies_matching order by nace_section"
    )
    march = date(2024, 3, 1)
    assert rows == [
        (march, "C", "Industrie manufacturière", "PARTENARIAT", "WAL", 1, 4, 0, 0, 0, 0, None, 0, 0),
        # RA's first match: M1 (V1) and M2 (V2) the same day, the smaller id wins: 55 days
        (march, "G", "Commerce de gros et de détail; réparation de véhicules automobiles et de motocycles",
         "DIRECT", "BRU", 2, 3, 1, 2, 1, 1, d("50.00"), 55, 1),
        # RB's first match: M3 on V2, 54 days
        (march, "J", "Information et communication", "DIRECT", "VLA", 1, 1, 0, 2, 1, 0, d("0.00"), 54, 1),
    ]  # fmt: skip


# --- solutions_volume ------------------------------------------------------------------------------------


def test_solutions_volume_counts_persons_with_an_open_dei_registration(jobseekers: Warehouse) -> None:
    rows = jobseekers.rows(
        "select year, is_complete_year, persons_job, persons_training, persons_internship, persons_any, "
        "new_joiners_job, new_joiners_training, new_joiners_internship, new_joiners_any "
        "from marts.solutions_volume order by year"
    )
    assert rows == [
        (2023, True, 0, 0, 0, 0, 0, 0, 0, 0),
        # jobs: E, F and M (on its exit day; M first registered in 2023); trainings: G (FPI_E), H (IBO);
        # internships: G, H and N (STAGE). M's training after its exit and O's job (DE_OCCUPE) do not count.
        (2024, True, 3, 2, 3, 6, 2, 2, 3, 5),
        (2025, True, 1, 0, 0, 1, 0, 0, 0, 0),  # A's job, A first registered in 2024
        (2026, False, 0, 0, 0, 0, 0, 0, 0, 0),
    ]


def test_no_raw_identifier_reaches_the_marts(jobseekers: Warehouse) -> None:
    persons = {row[0] for row in jobseekers.rows("select person_id from intermediate.int_solutions")}
    assert persons and not persons & set(jobseekers.people.values())
