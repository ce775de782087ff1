"""A warehouse that receives only some of the exports (the budget and staff ones, say, before the job
seeker exports flow) publishes the marts built from them: a mart must hold rows only once every dataset
it reads has loaded rows. Real generator, ingestion, dbt build and GX validation."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.config import Settings
from orchestration.ingest.run import ingest_landing
from orchestration.validation.runner import validate
from orchestration.validation.specs import MART_SPECS
from tests.gate.conftest import build_landing, deliver_budget, execute, run_dbt_build

KEPT = {"actiris/budget", "actiris/rh_personnel", "actiris/rh_absences"}


def _raw_lineage(manifest: dict, node: str) -> set[str]:
    """The landing datasets (source/dataset) upstream of a dbt node, through every model."""
    found: set[str] = set()
    stack, seen = [node], set()
    while stack:
        current = stack.pop()
        for parent in manifest["nodes"].get(current, {}).get("depends_on", {}).get("nodes", []):
            if parent in seen:
                continue
            seen.add(parent)
            source = manifest["sources"].get(parent)
            if source is not None and source["source_name"] == "raw":
                found.add(source["name"].replace("__", "/", 1))
            stack.append(parent)
    return found


def test_each_mart_spec_names_the_datasets_dbt_builds_it_from() -> None:
    from orchestration.assets.dbt import DBT_PROJECT

    manifest = json.loads(DBT_PROJECT.manifest_path.read_text(encoding="utf-8"))
    models = {
        f"{node['schema']}.{node['name']}": unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }
    for spec in MART_SPECS:
        assert set(spec.datasets) == _raw_lineage(manifest, models[spec.table]), spec.table


@pytest.fixture(scope="module")
def budget_and_staff_only(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("partial")
    settings = Settings(landing_dir=root / "landing", data_dir=root / "data")
    build_landing(settings.landing_dir, (2024, 1), (2024, 6))
    for folder in settings.landing_dir.glob("*/*"):
        if f"{folder.parent.name}/{folder.name}" not in KEPT:
            shutil.rmtree(folder)
    settings.ensure_folders()
    outcomes = ingest_landing(settings)
    assert {f"{o.source}/{o.dataset}" for o in outcomes} == KEPT
    run_dbt_build(settings.data_dir)
    return settings


def test_marts_of_missing_exports_may_be_empty(budget_and_staff_only: Settings, tmp_path: Path) -> None:
    settings = Settings(landing_dir=budget_and_staff_only.landing_dir, data_dir=tmp_path / "data")
    settings.ensure_folders()
    shutil.copy2(budget_and_staff_only.build_db, settings.build_db)

    run = validate(settings)
    assert run.success, run.failure_report()
    rows = {result.table: result.rows for result in run.results}
    for table in ("marts.budget_execution", "marts.staff_deployment", "marts.absenteeism_monthly"):
        assert rows[table] > 0, table
    for table in ("marts.guarantee_clocks", "marts.vacancies_matching", "marts.training_referrals"):
        assert rows[table] == 0, table

    # The budget was delivered: an empty budget mart is a failed build (and so is the programme mart,
    # whose rows no longer sum articles).
    execute(settings, "delete from marts.budget_execution")
    run = validate(settings)
    failed = {result.table: result for result in run.results if not result.success}
    assert set(failed) == {"marts.budget_execution", "marts.budget_execution_programme"}, run.failure_report()
    (failure,) = [f for f in failed["marts.budget_execution"].failures if "row(s)" in f.description]
    assert failure.expectation == "expect_table_row_count_to_be_between"
    assert "(observed 0)" in failure.description and "actiris/budget" in failure.description


def test_budget_articles_far_over_their_credit_are_published(tmp_path: Path) -> None:
    """An article may be executed 50 times over its credit: the gate checks such a rate by recomputing
    it, and publishes it. February's export has not arrived: the gap is reported as a warning, and what
    was delivered is published."""
    settings = Settings(landing_dir=tmp_path / "landing", data_dir=tmp_path / "data")
    for month, over, under in ((1, 5_000.0, 100.0), (3, 5_000.0, 250.0)):
        deliver_budget(settings.landing_dir, month, "LIQ", [("A1", over, 100.0), ("A2", under, 8_000.0)])
    settings.ensure_folders()
    assert [str(o.status) for o in ingest_landing(settings)] == ["LOADED", "LOADED"]
    run_dbt_build(settings.data_dir)

    run = validate(settings)
    assert run.success, run.failure_report()
    warnings = run.warning_lines()
    assert len(warnings) == 2, warnings  # the article mart and the programme mart
    assert all("month_number series" in line and '"month_number": 3' in line for line in warnings), warnings
    (budget,) = [r for r in run.results if r.table == "marts.budget_execution"]
    assert budget.success and budget.failed == 0 and len(budget.warnings) == 1
    con = duckdb.connect(str(settings.build_db), read_only=True)
    try:
        rows = con.execute(
            "select month_number, budget_article, execution_rate_pct, over_credit "
            "from marts.budget_execution order by month_number, budget_article"
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        (1, "A1", Decimal("5000.00"), True),
        (1, "A2", Decimal("1.25"), False),
        (3, "A1", Decimal("5000.00"), True),
        (3, "A2", Decimal("3.13"), False),  # 250 / 8000 = 3.125 %, half up
    ]
