"""Figures the spec allows, however unusual, are published: the gate reports them as warnings and does
not refuse the publication. Hand-made deliveries through the real ingestion, a real `dbt build` (with
the `points` reading of the absenteeism target set in a copy of the project's seeds) and real GX
validation; staff numbers are drawn at run time."""

from __future__ import annotations

import random
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from orchestration.config import PROJECT_ROOT, Settings
from orchestration.contract.datasets import dataset
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.writer import write_delivery
from orchestration.validation.runner import ValidationRun, validate
from tests.gate.conftest import deliver_budget, rows, run_dbt_build

RH_PERSONNEL = dataset("actiris", "rh_personnel")
RH_ABSENCES = dataset("actiris", "rh_absences")


def _project_with_points_reading(root: Path) -> Path:
    """A copy of the dbt project and its seeds whose absenteeism target reads `previous − 2.0`."""
    shutil.copytree(PROJECT_ROOT / "seeds", root / "seeds")
    shutil.copytree(
        PROJECT_ROOT / "dbt_project", root / "dbt_project", ignore=shutil.ignore_patterns("target", "logs")
    )
    settings = root / "seeds" / "indicator_settings.csv"
    text = settings.read_text(encoding="utf-8")
    assert "absenteeism_target_reading,relative," in text
    reading = "absenteeism_target_reading,"
    settings.write_text(text.replace(f"{reading}relative,", f"{reading}points,"), encoding="utf-8")
    return root / "dbt_project"


def _deliver_budget(landing: Path) -> None:
    """One article whose only earlier complete year executed nothing by January: its January share is
    0, so January 2025 has no projection, nor has its programme (no article of it has one)."""
    for month in range(1, 13):
        executed = 0.0 if month == 1 else (2_999.99 if month == 12 else month * 250.0)
        deliver_budget(landing, month, "LIQ", [("ONE", executed, 3_000.0)], year=2024)
    deliver_budget(landing, 1, "LIQ", [("ONE", 10.0, 3_000.0)])


def _deliver_staff(landing: Path, matricule: str) -> None:
    """One person at full time in December 2024 (no absence: a rate of 0 %) and January 2025, when two
    of their absence spells overlap: 22 + 5 absent workdays out of 22."""
    for period, produced in (("2024-12", datetime(2025, 1, 3, 8)), ("2025-01", datetime(2025, 2, 3, 8))):
        row = {
            "matricule": matricule,
            "mois": period,
            "direction": "D1",
            "categorie_fonction": "ACCOMPAGNEMENT_DIRECT",
            "etp": 1.0,
            "statut": "STATUTAIRE",
        }
        frame = pd.DataFrame([row], columns=RH_PERSONNEL.header)
        write_delivery(landing, RH_PERSONNEL, period, frame, produced)
    spells = [
        ("A1", "2025-01-01", "2025-01-31", "MALADIE"),
        ("A2", "2025-01-13", "2025-01-17", "ACCIDENT_VIE_PRIVEE"),
    ]
    rows = [
        {
            "id_absence": absence,
            "matricule": matricule,
            "date_debut": start,
            "date_fin": end,
            "type_absence": kind,
            "date_modification": pd.Timestamp("2025-01-31 12:00"),
        }
        for absence, start, end, kind in spells
    ]
    frame = pd.DataFrame(rows, columns=RH_ABSENCES.header)
    write_delivery(landing, RH_ABSENCES, "2025-01", frame, datetime(2025, 2, 3, 8))


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    root = tmp_path_factory.mktemp("spec_figures")
    settings = Settings(landing_dir=root / "landing", data_dir=root / "data")
    _deliver_budget(settings.landing_dir)
    _deliver_staff(settings.landing_dir, f"{random.Random().randint(10**6, 10**7 - 1)}")
    settings.ensure_folders()
    outcomes = ingest_landing(settings)
    assert {str(o.status) for o in outcomes} == {"LOADED"}, outcomes
    assert sum(o.rows_quarantined for o in outcomes) == 0
    return settings, _project_with_points_reading(root / "project")


def _warned(run: ValidationRun) -> dict[str, list[str]]:
    warned: dict[str, list[str]] = {}
    for result in run.results:
        warned.setdefault(result.table, []).extend(failure.description for failure in result.warnings)
    return {table: lines for table, lines in warned.items() if lines}


def test_unusual_figures_of_the_spec_are_published_with_warnings(delivered: tuple[Settings, Path]) -> None:
    settings, project = delivered
    run_dbt_build(settings.data_dir, project)

    # The figures, as the spec defines them.
    assert rows(
        settings.build_db,
        "select projected_year_end_eur, budget_articles, articles_without_projection "
        "from marts.budget_execution_programme where fiscal_year = 2025",
    ) == [(None, 1, 1)]
    assert rows(
        settings.build_db,
        "select planned_workdays, absence_workdays, absenteeism_rate_pct "
        "from marts.absenteeism_monthly where month = date '2025-01-01'",
    ) == [(Decimal("22.00"), Decimal("27.00"), Decimal("122.73"))]
    yearly = rows(
        settings.build_db,
        "select year, absenteeism_rate_pct, previous_rate_pct, target_reading, target_rate_pct, meets_target "
        "from marts.absenteeism_yearly where directorate = 'D1' order by year",
    )
    rates = [(year, float(rate), previous) for year, rate, previous, *_ in yearly]
    assert rates == [(2024, 0.0, None), (2025, 122.73, 0.0)]
    reading, target, meets = yearly[1][3:]
    assert (reading, float(target), meets) == ("points", -2.0, False)  # 0.00 - 2.0: below zero

    run = validate(settings)
    assert run.success, run.failure_report()
    warned = _warned(run)
    # A rate above 100 % (overlapping spells) is reported, and nothing else is.
    assert set(warned) == {"marts.absenteeism_monthly", "marts.absenteeism_yearly"}, warned
    for lines in warned.values():
        assert any("is a percentage (0-100)" in line for line in lines), lines
        assert any("absence_workdays ≤ planned_workdays" in line for line in lines), lines


def test_marts_left_empty_by_the_cutoff_are_published_with_a_warning(
    delivered: tuple[Settings, Path], tmp_path: Path
) -> None:
    """With the cut-off set before the staff's months, the absenteeism marts hold no row: the spec's
    answer, not a failed build."""
    built, project = delivered
    settings = Settings(landing_dir=built.landing_dir, data_dir=tmp_path / "data")
    settings.ensure_folders()
    ingest_landing(settings)
    run_dbt_build(settings.data_dir, project, cutoff="2024-11-30")
    assert rows(settings.build_db, "select count(*) from marts.absenteeism_monthly") == [(0,)]
    assert rows(settings.build_db, "select count(*) from marts.staff_deployment")[0][0] > 0

    run = validate(settings)
    assert run.success, run.failure_report()
    warned = _warned(run)
    assert set(warned) == {"marts.absenteeism_monthly", "marts.absenteeism_yearly"}, warned
    for lines in warned.values():
        assert any("row(s)" in line and "(observed 0)" in line for line in lines), lines
