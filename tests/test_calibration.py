"""`warehouse calibrate` regroups the marts as a BI user would and compares them with the joint report."""

from __future__ import annotations

from pathlib import Path

import duckdb
from click.testing import CliRunner

from orchestration.calibration import DEFINITION_NOTES, compare
from orchestration.cli import main


def _published_file(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    # Two rows of cohort 2018 whose rates differ: the comparison must use SUM/SUM (70 %), not the mean.
    con.execute(
        """
        create table marts.shared_strategic_indicators as
        select * from (values
            (2018, 60, 100, 50, 80, 40, 35, 20, 10, 5, 5),
            (2018, 380, 500, 300, 420, 240, 240, 160, 40, 40, 80)
        ) as t(cohort_year, positive_outflow, leavers, work_any, vocational_leavers, work_1m,
               work_sustained, first_job_0_3m, first_job_3_6m, first_job_6_12m, spare)
        """
    )
    # Persons with a job in 2019 at scale 0.5: 22,000 / 0.5 = 44,000 against 44,397 published.
    con.execute(
        """
        create table marts.solutions_volume as
        select 2019 as year, 22000 as persons_job, 9000 as persons_training, 100 as persons_internship,
               29000 as persons_any, 5000 as new_joiners_job, 2000 as new_joiners_training,
               300 as new_joiners_internship, 7000 as new_joiners_any
        """
    )
    con.close()
    return path


def test_rates_are_regrouped_and_counts_scaled(tmp_path: Path) -> None:
    db = _published_file(tmp_path / "published.duckdb")
    found = {(c.measure, c.period): c for c in compare(db, scale=0.5)}

    outflow = found[("positive_outflow_pct", 2018)]
    assert outflow.warehouse == 100.0 * 440 / 600
    assert round(outflow.gap, 6) == round(100.0 * 440 / 600 - 72.8, 6)
    assert outflow.within_tolerance is True

    jobs = found[("persons_job", 2019)]
    assert jobs.warehouse == 44_000
    assert jobs.within_tolerance is True
    internships = found[("persons_internship", 2019)]
    assert internships.warehouse == 200 and internships.within_tolerance is False

    # Marts that are not in the file and periods the marts do not hold have no figure, never a zero.
    assert found[("invitations", 2018)].warehouse is None
    assert found[("positive_outflow_pct", 2016)].warehouse is None
    assert found[("work_sustained_pct", 2016)].within_tolerance is None


def test_the_command_prints_every_reference_figure(tmp_path: Path) -> None:
    db = _published_file(tmp_path / "published.duckdb")
    result = CliRunner().invoke(main, ["calibrate", "--db", str(db), "--scale", "0.5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    outflow_2018 = [x for x in lines if x.startswith("positive_outflow_pct") and "cohort 2018" in x]
    assert len(outflow_2018) == 1 and outflow_2018[0].endswith("ok")
    assert any(line.startswith("persons_internship") and line.endswith("OFF*") for line in lines)
    # A gap where the mart's definition differs from the report's says so, once.
    notes = [line for line in lines if line.startswith("* ")]
    assert notes == [f"* persons_internship: {DEFINITION_NOTES['persons_internship']}"]
    assert "1 off where the definitions differ (*)" in lines[-1]
    # 7 rates of cohort 2018 and the 8 solution counts of 2019 have a figure in this file.
    assert " of 15 figures within tolerance" in lines[-1]
