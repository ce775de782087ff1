"""The gate as Dagster runs it: blocking checks per suite, publication only downstream of a pass."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.gate import GATE_ASSETS, GATE_GROUP, VALIDATION_KEY
from orchestration.config import Settings
from orchestration.validation.specs import SPECS
from tests.gate.conftest import execute, published_id

gate_job = dg.define_asset_job("gate_only", selection=dg.AssetSelection.groups(GATE_GROUP))
publication_job = dg.define_asset_job("publication_only", selection=["gate/publication"])
GATE_DEFS = dg.Definitions(assets=GATE_ASSETS, jobs=[gate_job, publication_job])
GATE_ONLY_PUBLICATION = GATE_DEFS.resolve_job_def("publication_only")


def materialized(result: dg.ExecuteInProcessResult) -> set[dg.AssetKey]:
    return {
        e.step_materialization_data.materialization.asset_key
        for e in result.get_asset_materialization_events()
    }


def test_a_failing_suite_is_a_failed_blocking_check_and_stops_the_run(warehouse: Settings) -> None:
    """(The passing path, publication included, is test_run_full's.)"""
    execute(
        warehouse,
        "update marts.absenteeism_monthly set absenteeism_rate_pct = 150 "
        "where month = date '2024-04-01' and directorate = (select min(directorate) "
        "from marts.absenteeism_monthly)",
    )
    job = GATE_DEFS.resolve_job_def("gate_only")
    with dg.DagsterInstance.ephemeral() as instance:
        blocked = job.execute_in_process(instance=instance, raise_on_error=False)

    assert not blocked.success
    assert materialized(blocked) == {VALIDATION_KEY}  # recorded, with its metadata; publication never ran
    checks = {e.check_name: e for e in blocked.get_asset_check_evaluations()}
    assert set(checks) == {spec.suite for spec in SPECS}
    failing = {name for name, e in checks.items() if not e.passed}
    assert failing == {"marts__absenteeism_monthly"}
    metadata = checks["marts__absenteeism_monthly"].metadata
    assert "absenteeism_rate_pct = absence_workdays / planned_workdays * 100" in metadata["failures"].value
    assert '"month": "2024-04-01"' in metadata["failures"].value
    assert metadata["data_docs"].value.startswith("file://")
    (failure,) = [e for e in blocked.all_events if e.is_step_failure]
    assert failure.step_key == "gate__validation"
    description = failure.step_failure_data.user_failure_data.description
    assert "marts__absenteeism_monthly" in description and "2024-04-01" in description
    assert published_id(warehouse) == 1  # the previous publication keeps serving


def test_half_a_build_is_not_published(warehouse: Settings) -> None:
    """A mart older than an input rebuilt since (automation's next run has not rebuilt it yet): the gate
    publishes nothing, without failing; once the mart is rebuilt and validated again, it publishes."""
    mart = dg.AssetKey(["marts", "guarantee_clocks"])
    parent = dg.AssetKey(["intermediate", "int_registration_guarantees"])
    publication = dg.AssetKey(["gate", "publication"])
    job = GATE_DEFS.resolve_job_def("gate_only")
    with dg.DagsterInstance.ephemeral() as instance:
        instance.report_runless_asset_event(dg.AssetMaterialization(mart))
        instance.report_runless_asset_event(dg.AssetMaterialization(parent))
        waiting = job.execute_in_process(instance=instance)
        assert waiting.success and materialized(waiting) == {VALIDATION_KEY}
        assert published_id(warehouse) == 1
        instance.report_runless_asset_event(dg.AssetMaterialization(mart))
        # the mart rebuilt after the validation: the validation must run again first
        assert materialized(GATE_ONLY_PUBLICATION.execute_in_process(instance=instance)) == set()
        settled = job.execute_in_process(instance=instance)
    assert materialized(settled) == {VALIDATION_KEY, publication}
    assert published_id(warehouse) == 2
