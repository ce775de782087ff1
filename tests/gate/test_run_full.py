"""`run_full`: exit 0 only when a publication happened; otherwise non-zero with the reason."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.assets.gate import GATE_ASSETS, GATE_GROUP
from orchestration.config import Settings
from orchestration.full_pipeline import build_and_publish, run_full
from tests.gate.conftest import execute, published_id

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
