"""The dbt assets in Dagster: groups by layer, raw ingestion upstream of staging, tests as checks, pool;
a real run reports every dbt test as a check and each mart's row count and columns."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
from dbt.cli.main import dbtRunner

from orchestration.assets.dbt import (
    DBT_ASSETS,
    DBT_PROJECT,
    DBT_RESOURCE,
    MANIFEST_SIGNATURE_FILE,
    dbt_docs_dir,
    docs_are_current,
    prepare_manifest,
    project_signature,
    warehouse_dbt_assets,
)
from orchestration.assets.raw import DUCKDB_POOL, RAW_ASSETS, raw_asset_key
from orchestration.config import Settings
from orchestration.contract.datasets import DATASETS
from orchestration.dbt_build import delivery_selection
from tests.dbt.conftest import TEST_KEY, Warehouse

STAGING_OF = {
    ("actiris", "demandeurs"): "stg_actiris__registrations",
    ("actiris", "actions"): "stg_actiris__actions",
    ("actiris", "decisions_disponibilite"): "stg_actiris__availability_decisions",
    ("actiris", "offres_emploi"): "stg_actiris__vacancies",
    ("actiris", "mises_en_relation"): "stg_actiris__matches",
    ("actiris", "occupations"): "stg_actiris__employment_spells",
    ("actiris", "budget"): "stg_actiris__budget_lines",
    ("actiris", "rh_personnel"): "stg_actiris__staff_months",
    ("actiris", "rh_absences"): "stg_actiris__staff_absences",
    ("bf", "demandes_formation"): "stg_bf__training_applications",
    ("bf", "invitations_seances"): "stg_bf__session_invitations",
    ("bf", "stagiaires"): "stg_bf__training_participations",
    ("vdab", "opleidingen"): "stg_vdab__training_participations",
}
MARTS = {
    "employment_rate_trajectory",
    "budget_execution",
    "budget_execution_programme",
    "absenteeism_monthly",
    "absenteeism_yearly",
    "staff_deployment",
    "guarantee_clocks",
    "solutions_volume",
    "availability_control",
    "vacancies_matching",
    "training_applicants",
    "training_referrals",
    "shared_strategic_indicators",
}


def _graph() -> dg.Definitions:
    return dg.Definitions(assets=[*RAW_ASSETS, *DBT_ASSETS], resources={"dbt": DBT_RESOURCE})


def test_every_raw_dataset_feeds_exactly_its_staging_model() -> None:
    graph = _graph().resolve_asset_graph()
    for ds in DATASETS:
        key = dg.AssetKey(["staging", STAGING_OF[(ds.source, ds.name)]])
        raw_parents = {p for p in graph.get(key).parent_keys if p.path[0] == "raw"}
        assert raw_parents == {raw_asset_key(ds)}, key
    # the cut-off moves with the demandeurs deliveries only; no audit table in the graph
    cutoff = graph.get(dg.AssetKey(["intermediate", "int_cutoff"]))
    assert cutoff.parent_keys == {dg.AssetKey(["raw", "actiris__demandeurs"])}
    assert not [k for k in graph.get_all_asset_keys() if k.path[0] == "audit"]


def test_a_delivery_selection_is_what_dagster_rebuilds_after_that_delivery() -> None:
    """The dbt selection the benchmark times per dataset (dbt's own `ls`) against the Dagster graph."""
    graph = _graph().resolve_asset_graph()
    runner = dbtRunner()
    for ds in DATASETS:
        downstream = dg.AssetSelection.assets(raw_asset_key(ds)).downstream(include_self=False).resolve(graph)
        result = runner.invoke(
            ["ls", "--quiet", "--resource-type", "model", "--output", "name"]
            + ["--select", *delivery_selection(raw_asset_key(ds).path[-1])]
            + ["--project-dir", str(DBT_PROJECT.project_dir), "--profiles-dir", str(DBT_PROJECT.profiles_dir)]
            + ["--target-path", str(DBT_PROJECT.project_dir / DBT_PROJECT.target_path)]
        )
        assert result.success, ds
        assert set(result.result) == {key.path[-1] for key in downstream}, ds


def test_groups_follow_the_folders_and_marts_are_pinned() -> None:
    graph = _graph().resolve_asset_graph()
    groups: dict[str, set[str]] = {}
    for key in graph.get_all_asset_keys():
        groups.setdefault(graph.get(key).group_name, set()).add(key.path[-1])
    assert groups["marts"] == MARTS
    assert groups["staging"] == set(STAGING_OF.values())
    assert "int_employment_spells_merged" in groups["intermediate"]
    assert "public_holidays" in groups["reference"]
    assert all(key.path[0] == graph.get(key).group_name for key in warehouse_dbt_assets.keys)


def test_dbt_tests_are_asset_checks_and_the_build_shares_the_ingestion_pool() -> None:
    checks = {(c.asset_key.path[-1], c.name) for c in warehouse_dbt_assets.check_specs}
    assert ("budget_execution", "accepted_values_budget_execution_credit_type__ENG__LIQ") in checks
    # not_null on mart columns is a contract constraint (the build refuses a NULL), not a check
    assert not [name for asset, name in checks if asset in MARTS and name.startswith("not_null_")]
    assert {asset for asset, _ in checks} >= MARTS
    assert warehouse_dbt_assets.op.pool == DUCKDB_POOL
    eager = {
        key: warehouse_dbt_assets.specs_by_key[key].automation_condition for key in warehouse_dbt_assets.keys
    }
    assert all(condition is not None for condition in eager.values())


def test_the_dbt_step_reports_checks_mart_metadata_and_docs(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real Dagster run of the dbt assets on a copy of the hand-made warehouse."""
    built = warehouse.copy_to(tmp_path)
    monkeypatch.setenv("WAREHOUSE_DATA_DIR", str(built.data_dir))
    monkeypatch.setenv("WAREHOUSE_PSEUDONYM_KEY", TEST_KEY)
    (tmp_path / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as instance:
        result = dg.materialize(
            [warehouse_dbt_assets], resources={"dbt": DBT_RESOURCE}, instance=instance, raise_on_error=False
        )
    assert result.success
    materialised = {
        event.asset_key: event.step_materialization_data.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    for mart in MARTS:
        metadata = materialised[dg.AssetKey(["marts", mart])]
        (rows,) = built.one(f'select count(*) from marts."{mart}"')
        columns = built.rows(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [mart],
        )
        assert metadata["dagster/row_count"].value == rows, mart
        schema = metadata["dagster/column_schema"].value
        assert [(c.name, c.type) for c in schema.columns] == columns, mart
    # the contract's not_null constraints reach the column schema Dagster shows
    budget = materialised[dg.AssetKey(["marts", "budget_execution"])]["dagster/column_schema"].value
    nullable = {c.name: c.constraints.nullable for c in budget.columns}
    assert nullable["over_credit"] is False and nullable["projected_year_end_eur"] is True
    evaluations = {
        (e.asset_key.path[-1], e.check_name): e.passed for e in result.get_asset_check_evaluations()
    }
    assert evaluations[("budget_execution", "accepted_values_budget_execution_credit_type__ENG__LIQ")] is True
    assert len(evaluations) == len(warehouse_dbt_assets.check_specs)
    # the docs site was built from this project and is not rebuilt until the project changes
    assert (dbt_docs_dir(Settings.from_env()) / "index.html").exists()
    assert docs_are_current(Settings.from_env())


def test_a_manifest_older_than_the_project_is_parsed_again() -> None:
    # After a pull or an edit, Dagster must not run dbt with a manifest that lacks the new nodes.
    signature = DBT_PROJECT.manifest_path.parent / MANIFEST_SIGNATURE_FILE
    prepare_manifest(DBT_PROJECT)
    assert signature.read_text(encoding="utf-8") == project_signature()
    parsed_at = DBT_PROJECT.manifest_path.stat().st_mtime_ns
    prepare_manifest(DBT_PROJECT)
    assert DBT_PROJECT.manifest_path.stat().st_mtime_ns == parsed_at  # current: not parsed again
    signature.write_text("a project that has changed since", encoding="utf-8")
    prepare_manifest(DBT_PROJECT)
    assert DBT_PROJECT.manifest_path.stat().st_mtime_ns > parsed_at
    assert signature.read_text(encoding="utf-8") == project_signature()
