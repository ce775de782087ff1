"""The dbt benchmark's reading of a real build (the test warehouse's `dbt build`): its steps per group and
its critical path, the chain of steps that set the build's wall time."""

from __future__ import annotations

import json

from orchestration.benchmarks.dbt_steps import STEP_GROUPS, critical_path, describe_path, step_summary
from tests.dbt.conftest import Warehouse


def _build_files(warehouse: Warehouse) -> tuple[dict, list[dict]]:
    target = warehouse.data_dir / "dbt_target"
    nodes = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    return nodes, results


def test_every_step_of_the_build_falls_in_one_group(warehouse: Warehouse) -> None:
    nodes, results = _build_files(warehouse)
    groups, slowest = step_summary(warehouse.data_dir / "dbt_target" / "run_results.json", nodes)
    assert set(groups) <= set(STEP_GROUPS)
    assert sum(count for count, _ in groups.values()) == sum(1 for r in results if r["unique_id"] in nodes)
    assert slowest and all(seconds >= 0 for seconds, _ in slowest)


def test_the_critical_path_is_a_chain_of_dependencies_ending_with_the_build(warehouse: Warehouse) -> None:
    nodes, results = _build_files(warehouse)
    path = critical_path(warehouse.data_dir / "dbt_target" / "run_results.json", nodes)
    assert len(path) >= 3, path
    # it ends with the last step to finish, and each link finished before the next one started
    last = max(results, key=lambda r: r["timing"][-1]["completed_at"] if r["timing"] else "")
    assert path[-1].unique_id == last["unique_id"]
    for earlier, later in zip(path, path[1:], strict=False):
        assert earlier.finished <= later.started + 0.01, (earlier, later)
        parents = nodes[later.unique_id]["depends_on"]["nodes"]
        if earlier.unique_id.startswith("test."):
            # a model waits for the data tests of its parents
            tested = nodes[earlier.unique_id]["depends_on"]["nodes"]
            assert not later.unique_id.startswith("test.")
            assert set(tested) & set(parents), (earlier, later)
        else:
            assert earlier.unique_id in parents, (earlier, later)
    assert "s of work" in describe_path(path)
