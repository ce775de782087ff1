"""Every mart value of the hand-made scenario (conftest.write_scenario), worked out by hand.

Calendar facts used below: April 2024 has 22 weekdays, Easter Monday (1 April) off: 21 workdays.
May 2024 has 23 weekdays, 1 May, Ascension (9 May) and Whit Monday (20 May) off: 20 workdays.
June 2024: 20 workdays. December 2023: 21 weekdays, Christmas (Monday 25) off: 20 workdays.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from tests.dbt.conftest import Warehouse, run_dbt


def d(text: str) -> Decimal:
    return Decimal(text)


# --- cut-off, staging, spells ---------------------------------------------------------------------------


def test_cutoff_is_the_last_day_of_the_latest_delivered_demandeurs_period(warehouse: Warehouse) -> None:
    # 2024-06 was delivered then corrected (both count as delivered); 2024-07 was rejected.
    assert warehouse.one(
        "select cutoff_date, first_registration_period, cutoff_origin from intermediate.int_cutoff"
    ) == (
        date(2024, 6, 30),
        date(2023, 1, 1),
        "actiris/demandeurs",
    )


def test_staging_keeps_the_latest_version_and_drops_superseded_and_rejected_rows(
    warehouse: Warehouse,
) -> None:
    registrations = dict(
        warehouse.rows("select registration_id, exit_date from staging.stg_actiris__registrations")
    )
    # R5 was only in the superseded June delivery, R9 only in the rejected July one.
    assert sorted(registrations) == ["R1", "R2", "R3", "R4", "R6", "R7", "R8"]
    assert registrations["R1"] == date(2023, 3, 31)  # April's delta replaced January's version
    assert registrations["R4"] == date(2024, 4, 1)
    absences = dict(warehouse.rows("select absence_id, end_date from staging.stg_actiris__staff_absences"))
    assert absences["X"] == date(2024, 5, 10)


def test_no_raw_identifier_reaches_the_models(warehouse: Warehouse) -> None:
    raw_values = [*warehouse.people.values(), *warehouse.staff.values()]
    persons = {row[0] for row in warehouse.rows("select person_id from staging.stg_actiris__registrations")}
    staff = {row[0] for row in warehouse.rows("select staff_id from staging.stg_actiris__staff_months")}
    assert len(persons) == 7 and len(staff) == 3
    assert not (persons | staff) & set(raw_values)
    assert all(len(value) == 64 for value in persons | staff)


def test_spells_merge_across_3_free_days_but_not_4(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        "select spell_kind, start_date, end_date, duration_days, source_spells "
        "from intermediate.int_employment_spells_merged order by start_date, spell_kind"
    )
    assert (
        "job",
        date(2023, 5, 1),
        date(2023, 5, 31),
        31,
        2,
    ) in rows  # B: 1-10 May and 14-31 May (3 free days)
    assert ("job", date(2023, 6, 1), date(2023, 6, 10), 10, 1) in rows  # F: 4 free days, two spells
    assert ("job", date(2023, 6, 15), date(2023, 6, 30), 16, 1) in rows
    assert ("job", date(2024, 4, 1), None, 91, 1) in rows  # B's running spell: 1 April - cut-off 30 June
    assert ("internship", date(2023, 7, 1), date(2023, 12, 31), 184, 1) in rows
    assert len(rows) == 8  # A 1, B 2, C 1, F 2, G 1 jobs; H 1 internship


# --- employment_rate_trajectory ------------------------------------------------------------------------


def test_trajectory_actiris_columns(warehouse: Warehouse) -> None:
    rows = {
        year: rest
        for year, *rest in warehouse.rows(
            "select year, jobseekers_dei_avg, outflows_to_work, outflows_sustained "
            "from marts.employment_rate_trajectory where region_code = 'BE10' and year between 2022 and 2025"
        )
    }
    # DEI registrations: A 10 Jan - 31 Mar 2023, F from 5 Jan, B from 1 Feb, G and H from 1 Mar 2023,
    # D 31 Mar - 1 Apr 2024 (C is DE_OCCUPE, not DEI; E was only in the superseded June delivery).
    # 2023 month ends: Jan A+F = 2, Feb A+F+B = 3, Mar F+B+G+H = 4 (A left on 31 March: not after it),
    # Apr-Dec 4 each: (2 + 3 + 4 + 9 x 4) / 12 = 45 / 12 = 3.75.
    assert rows[2023][0] == d("3.75")
    # 2024, January-June: 4 each month, plus D on 31 March: 25 / 6 = 4.1667.
    assert rows[2024][0] == d("4.17")
    # Outflows 2023: A (28-day spell starting exactly 30 days after leaving), B (merged 31-day spell).
    # F's spells do not merge (10 and 16 days), G's lasts 27 days, C is no DEI job seeker, H's is an
    # internship. Sustained: B employed on 30 April 2024 (running spell), A not on 29 April 2024.
    assert rows[2023][1:] == [2, 1]
    # 2024: B's running spell from 1 April (91 days to the cut-off); its 365th day is after the cut-off.
    assert rows[2024][1:] == [1, None]
    assert rows[2022] == [None, None, None]  # before the first delivered period
    assert rows[2025] == [None, None, None]  # after the cut-off's year


def test_trajectory_statbel_figures_and_target_line(warehouse: Warehouse) -> None:
    rows = {
        (year, region): rest
        for year, region, *rest in warehouse.rows(
            "select year, region_code, employment_rate_pct, target_rate_pct, gap_pp, required_pp_per_year, "
            "projected_rate_pct, on_track from marts.employment_rate_trajectory"
        )
    }
    assert min(year for year, _ in rows) == 2010 and max(year for year, _ in rows) == 2030
    assert len(rows) == 21 * 4
    # Brussels 2020 was not published: a gap, not an invented figure; same for Wallonia 2020 (low confidence).
    assert rows[(2020, "BE10")][0] is None and rows[(2020, "BE3")][0] is None
    # Brussels target line: 64.1 in 2024 to 70.0 in 2030, +5.9 / 6 a year.
    assert rows[(2023, "BE10")][1] is None
    assert rows[(2024, "BE10")][:4] == [d("64.10"), d("64.10"), d("0.00"), d("0.98")]  # 5.9 / 6 = 0.983
    assert rows[(2025, "BE10")][1] == d("65.08")  # 64.1 + 5.9 / 6
    assert rows[(2030, "BE10")][1] == d("70.00")
    assert rows[(2023, "BE10")][3] == d("0.50")  # (70 - 66.5) / 7
    # Least squares through 2019, 2021-2024 (61.7, 62.2, 65.2, 66.5, 64.1): mean year 2021.8, mean rate
    # 63.94, Sxy = 11.34, Sxx = 14.8, slope 0.76622; 2024: 63.94 + 2.2 x 0.76622 = 65.63; 2030: 70.22.
    assert rows[(2024, "BE10")][4] == d("65.63")
    assert rows[(2030, "BE10")][4] == d("70.22")
    assert rows[(2024, "BE10")][5] is True
    # Regions without a target: no target line, no verdict.
    assert rows[(2024, "BE")][1] is None and rows[(2024, "BE")][5] is None
    assert rows[(2024, "BE")][0] == d("72.30")


# --- budget_execution ------------------------------------------------------------------------------------


def test_budget_projection_with_and_without_earlier_years(warehouse: Warehouse) -> None:
    rows = {
        (year, month, article): rest
        for year, month, article, *rest in warehouse.rows(
            "select fiscal_year, month_number, budget_article, credit_adjusted_eur, executed_cumulative_eur, "
            "execution_rate_pct, projected_year_end_eur, projected_year_end_rate_pct, over_credit "
            "from marts.budget_execution"
        )
    }
    # A1, June 2023: the correction (4,500.00) replaced the first delivery (9,999.99). 2022 is complete
    # (12 snapshots, December 16,000 > 0) and reached 6,000 / 16,000 = 0.375 of December by June:
    # 4,500 / 0.375 = 12,000.00.
    assert rows[(2023, 6, "A1")] == [
        d("10000.00"),
        d("4500.00"),
        d("45.00"),
        d("12000.00"),
        d("120.00"),
        False,
    ]
    # A2: 2022 lacks December (incomplete): linear, 6,000 x 12 / 6 = 12,000.00; over its 5,000 credit.
    assert rows[(2023, 6, "A2")] == [
        d("5000.00"),
        d("6000.00"),
        d("120.00"),
        d("12000.00"),
        d("240.00"),
        True,
    ]
    # 2022 has no earlier year at all: linear.
    assert rows[(2022, 6, "A1")][3] == d("12000.00")
    assert rows[(2022, 12, "A1")][3] == d("16000.00")
    assert rows[(2022, 11, "A2")][3] == d("6000.00")  # 5,500 x 12 / 11
    assert len(rows) == 12 + 11 + 2


def test_a_null_in_a_not_null_mart_column_stops_the_mart_and_keeps_the_built_one(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """not_null on mart columns is a constraint of the enforced contract: DuckDB refuses the rows."""
    copy = warehouse.copy_to(tmp_path)
    built = copy.rows("select * from marts.budget_execution order by all")
    con = duckdb.connect(str(copy.build_db))
    con.execute(
        "update staging.stg_actiris__budget_lines set article_label = null where budget_article = 'A1'"
    )
    con.close()
    result = run_dbt(["run", "--select", "budget_execution"], copy.data_dir, expect_success=False)
    assert "NOT NULL constraint failed" in result.stdout and "article_label" in result.stdout
    assert copy.rows("select * from marts.budget_execution order by all") == built


def test_budget_programme_sums(warehouse: Warehouse) -> None:
    assert warehouse.one(
        "select budget_articles, credit_adjusted_eur, executed_cumulative_eur, execution_rate_pct, "
        "projected_year_end_eur, projected_year_end_rate_pct, over_credit "
        "from marts.budget_execution_programme where fiscal_year = 2023 and month_number = 6 "
        "and programme = 'FORMATION' and credit_type = 'ENG'"
    ) == (2, d("15000.00"), d("10500.00"), d("70.00"), d("24000.00"), d("160.00"), False)


# --- staff -------------------------------------------------------------------------------------------------


def test_absenteeism_monthly(warehouse: Warehouse) -> None:
    rows = {
        (month, directorate): rest
        for month, directorate, *rest in warehouse.rows(
            "select month, directorate, fte, planned_workdays, absence_workdays, absence_workdays_sickness, "
            "absence_workdays_work_accident, absence_workdays_private_accident, absence_workdays_other, "
            "absence_workdays_short, absence_workdays_medium, absence_workdays_long, absenteeism_rate_pct "
            "from marts.absenteeism_monthly"
        )
    }
    zero = d("0.00")
    # U: S2, 4-8 December 2023, 5 workdays at FTE 1.
    assert rows[(date(2023, 12, 1), "D1")] == [
        d("1.00"),
        d("20.00"),
        d("5.00"),
        d("5.00"),
        zero,
        zero,
        zero,
        d("5.00"),
        zero,
        zero,
        d("25.00"),
    ]
    # April D1: S1 0.5 + S2 1.0 FTE x 21 = 31.50. X (S1, 29 April - 10 May, 12 days: short): 29-30 April,
    # 2 x 0.5 = 1.00. Y (S2, from 15 April, running to the cut-off: 77 days, medium): 12 workdays x 1.
    assert rows[(date(2024, 4, 1), "D1")] == [
        d("1.50"),
        d("31.50"),
        d("13.00"),
        d("1.00"),
        d("12.00"),
        zero,
        zero,
        d("1.00"),
        d("12.00"),
        zero,
        d("41.27"),
    ]
    # April D2: Z (S3, 1 January 2023 - 29 April 2024, 485 days: long): 20 workdays (1 April off).
    assert rows[(date(2024, 4, 1), "D2")] == [
        d("1.00"),
        d("21.00"),
        d("20.00"),
        zero,
        zero,
        zero,
        d("20.00"),
        zero,
        zero,
        d("20.00"),
        d("95.24"),
    ]
    # May (corrected snapshot: S1 in D2 at 0.8). D1: Y all 20 workdays. D2: (0.8 + 1.0) x 20 = 36.00;
    # X's May part: 2, 3, 6, 7, 8, 10 May = 6 workdays x 0.8 = 4.80; V (1 May, a holiday) adds nothing;
    # W's person has no staff row.
    assert rows[(date(2024, 5, 1), "D1")] == [
        d("1.00"),
        d("20.00"),
        d("20.00"),
        zero,
        d("20.00"),
        zero,
        zero,
        zero,
        d("20.00"),
        zero,
        d("100.00"),
    ]
    assert rows[(date(2024, 5, 1), "D2")] == [
        d("1.80"),
        d("36.00"),
        d("4.80"),
        d("4.80"),
        zero,
        zero,
        zero,
        d("4.80"),
        zero,
        zero,
        d("13.33"),
    ]
    assert rows[(date(2024, 6, 1), "D1")][1:3] == [d("20.00"), d("20.00")]
    assert len(rows) == 6


def test_absenteeism_yearly_relative_target(warehouse: Warehouse) -> None:
    rows = {
        (year, directorate): rest
        for year, directorate, *rest in warehouse.rows(
            "select year, directorate, fte, planned_workdays, absence_workdays, absenteeism_rate_pct, "
            "previous_rate_pct, change_pp, change_relative_pct, target_rate_pct, meets_target "
            "from marts.absenteeism_yearly"
        )
    }
    assert rows[(2023, "D1")] == [d("1.00"), d("20.00"), d("5.00"), d("25.00"), None, None, None, None, None]
    assert rows[(2023, "ALL")] == rows[(2023, "D1")]
    # D1 2024: FTE (1.5 + 1 + 1) / 3; 13 + 20 + 20 = 53 over 31.5 + 20 + 20 = 71.5: 74.126 %.
    # Target 25 x 0.98 = 24.50; changes between the published rates: 74.13 - 25.00 = 49.13 points, +196.52 %.
    assert rows[(2024, "D1")] == [
        d("1.17"),
        d("71.50"),
        d("53.00"),
        d("74.13"),
        d("25.00"),
        d("49.13"),
        d("196.52"),
        d("24.50"),
        False,
    ]
    # D2 2024: FTE (1.0 + 1.8) / 2; 24.80 over 57.00; no 2023 row, no verdict.
    assert rows[(2024, "D2")] == [d("1.40"), d("57.00"), d("24.80"), d("43.51"), None, None, None, None, None]
    # ALL 2024: monthly totals 2.5, 2.8, 1.0 FTE; 77.80 over 128.50 = 60.545 %; (60.54 - 25.00) / 25.00 =
    # +142.16 %.
    assert rows[(2024, "ALL")] == [
        d("2.10"),
        d("128.50"),
        d("77.80"),
        d("60.54"),
        d("25.00"),
        d("35.54"),
        d("142.16"),
        d("24.50"),
        False,
    ]


def test_staff_deployment(warehouse: Warehouse) -> None:
    rows = {
        (month, directorate): rest
        for month, directorate, *rest in warehouse.rows(
            "select month, directorate, fte_total, fte_direct_guidance, direct_guidance_share_pct, "
            "target_pct, meets_target from marts.staff_deployment"
        )
    }
    april, may = date(2024, 4, 1), date(2024, 5, 1)
    assert rows[(april, "D1")] == [d("1.50"), d("0.50"), d("33.33"), d("65.00"), False]
    assert rows[(april, "D2")] == [d("1.00"), d("1.00"), d("100.00"), d("65.00"), True]
    assert rows[(april, "ALL")] == [d("2.50"), d("1.50"), d("60.00"), d("65.00"), False]
    assert rows[(may, "D1")] == [d("1.00"), d("0.00"), d("0.00"), d("65.00"), False]
    assert rows[(may, "ALL")] == [d("2.80"), d("1.80"), d("64.29"), d("65.00"), False]
    assert len(rows) == 2 + 3 + 3 + 2  # 2023-12 (D1, ALL), April, May, June (D1, ALL)


# --- the cut-off set by hand ---------------------------------------------------------------------------


def test_cutoff_set_by_hand_closes_the_figures_at_that_day(warehouse_cut_in_may: Warehouse) -> None:
    w = warehouse_cut_in_may
    assert w.one("select cutoff_date, cutoff_origin from intermediate.int_cutoff") == (
        date(2024, 5, 31),
        "override",
    )
    months = [row[0] for row in w.rows("select distinct month from marts.absenteeism_monthly order by 1")]
    assert months[-1] == date(2024, 5, 1)  # June ends after the cut-off
    # January-May 2024: F, B, G, H at every month end, D on 31 March: (4 x 5 + 1) / 5.
    assert w.one(
        "select jobseekers_dei_avg, outflows_to_work from marts.employment_rate_trajectory "
        "where region_code = 'BE10' and year = 2024"
    ) == (d("4.20"), 1)
