"""`run_full`: exit 0 only when a publication happened; otherwise non-zero with the reason."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.assets.gate import GATE_ASSETS, GATE_GROUP
from orchestration.config import PROJECT_ROOT, Settings
from orchestration.dbt_build import RUN_TARGETS_KEPT, run_target
from orchestration.full_pipeline import build_and_publish, run_full
from tests.gate.conftest import deliver_budget, execute, published_id

# The gate steps of `build_and_publish` only (ingestion and dbt are tested by their own suites).
GATE_ONLY = dg.Definitions(
    assets=GATE_ASSETS,
    jobs=[dg.define_asset_job("build_and_publish", selection=dg.AssetSelection.groups(GATE_GROUP))],
)


def test_the_full_job_selects_ingestion_dbt_and_the_gate() -> None:
    from orchestration.full_pipeline import FULL_DEFS

    job = FULL_DEFS.resolve_job_def(build_and_publish.name)
    keys = {key.path[0] for key in job.asset_layer.executable_asset_keys}
    assert {"raw", "staging", "intermediate", "marts", "gate"} <= keys


def test_exit_code_is_zero_only_when_published(
    warehouse: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_full(warehouse, GATE_ONLY) == 0
    out = capsys.readouterr().out
    assert f"published: publication 2 at {warehouse.published_db}" in out
    assert "Data Docs: file://" in out

    execute(warehouse, "insert into marts.absenteeism_yearly select * from marts.absenteeism_yearly limit 1")
    assert run_full(warehouse, GATE_ONLY) == 1
    err = capsys.readouterr().err
    assert "step gate__validation failed" in err and "marts__absenteeism_yearly" in err
    assert "key (year, directorate) unique" in err
    assert "nothing published" in err
    assert published_id(warehouse) == 2


def test_without_any_delivery_it_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from orchestration.full_pipeline import FULL_DEFS

    settings = Settings(landing_dir=tmp_path / "landing", data_dir=tmp_path / "data")
    settings.landing_dir.mkdir()
    monkeypatch.setenv("WAREHOUSE_LANDING_DIR", str(settings.landing_dir))
    monkeypatch.setenv("WAREHOUSE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    assert run_full(settings, FULL_DEFS) == 1
    err = capsys.readouterr().err
    assert "no delivery is loaded" in err and str(settings.landing_dir) in err
    assert "nothing published" in err


def test_exports_of_some_datasets_only_are_built_and_published(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The budget exports alone: the job `build_and_publish` ingests them, builds every model (the raw
    assets of the datasets without a delivery materialise too, or Dagster would skip the dbt step) and
    publishes; run again with nothing new, it rebuilds and publishes again."""
    from orchestration.full_pipeline import FULL_DEFS

    settings = Settings(landing_dir=tmp_path / "landing", data_dir=tmp_path / "data")
    for month in (1, 2):
        deliver_budget(settings.landing_dir, month, "ENG", [("A1", 1_000.0 * month, 12_000.0)])
    monkeypatch.setenv("WAREHOUSE_LANDING_DIR", str(settings.landing_dir))
    monkeypatch.setenv("WAREHOUSE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    in_repository = set((PROJECT_ROOT / "dbt_project" / "target").glob("warehouse_dbt-*"))
    assert run_full(settings, FULL_DEFS) == 0
    out = capsys.readouterr().out
    assert "no new delivery ingested" not in out
    assert f"published: publication 1 at {settings.published_db}" in out
    assert "Blocking asset check" not in caplog.text  # no step was skipped
    con = duckdb.connect(str(settings.published_db), read_only=True)
    try:
        published = con.execute(
            "select month_number, execution_rate_pct from marts.budget_execution"
        ).fetchall()
    finally:
        con.close()
    assert sorted(published) == [(1, Decimal("8.33")), (2, Decimal("16.67"))]
    assert run_full(settings, FULL_DEFS) == 0
    out = capsys.readouterr().out
    assert "no new delivery ingested: the marts were rebuilt" in out
    assert f"published: publication 2 at {settings.published_db}" in out
    # each build's dbt target is kept in the data folder, none in the repository
    targets = sorted((settings.data_dir / "dbt_runs").iterdir())
    assert len(targets) == 2 and all((t / "run_results.json").exists() for t in targets)
    assert set((PROJECT_ROOT / "dbt_project" / "target").glob("warehouse_dbt-*")) == in_repository


def test_only_the_latest_dbt_run_targets_are_kept(tmp_path: Path) -> None:
    for n in range(RUN_TARGETS_KEPT + 3):
        run_target(tmp_path, f"run{n:05d}").mkdir()
    kept = sorted(path.name[-8:] for path in (tmp_path / "dbt_runs").iterdir())
    assert kept == [f"run{n:05d}" for n in range(3, RUN_TARGETS_KEPT + 3)]


def test_a_failed_step_says_its_cause(warehouse: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    """Another process holding the build file (a notebook's connection) fails the run with DuckDB's own
    words on the step's line, not only Dagster's "Error occurred while executing op"."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_FILE, str(warehouse.build_db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        assert run_full(warehouse, GATE_ONLY) == 1
    finally:
        holder.kill()
        holder.wait()
    failed = [line for line in capsys.readouterr().err.splitlines() if line.startswith("step ")]
    assert failed and all("lock" in line.lower() for line in failed), failed


HOLD_THE_FILE = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(300)
"""
