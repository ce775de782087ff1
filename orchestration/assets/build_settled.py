"""Whether the build the gate would validate is one state: no asset upstream of the marts is older than
one of its own inputs.

Under Dagster's automation the cascade after a delivery runs as several runs, one tick apart: a mart
rebuilt from a new `int_solutions` while `guarantee_clocks` still waits for its own rebuild is half a
build. Validating and publishing it would show readers two states at once (design invariant: readers
never see half a build), so the gate waits until every asset is newer than its inputs. One run that
builds everything in order (`warehouse run`, `build_and_publish`) is settled by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import dagster as dg

if TYPE_CHECKING:  # Dagster does not export the class of `repository_def.asset_graph`
    from dagster._core.definitions.assets.graph.asset_graph import AssetGraph


def upstream_keys(graph: AssetGraph, targets: Iterable[dg.AssetKey]) -> set[dg.AssetKey]:
    """The targets and every asset they depend on, however far up."""
    found: set[dg.AssetKey] = set()
    pending = [key for key in targets if graph.has(key)]
    while pending:
        key = pending.pop()
        if key in found:
            continue
        found.add(key)
        # every parent the graph knows, executable in this job or not: its latest materialisation counts
        pending.extend(p for p in graph.get(key).parent_keys if graph.has(p))
    return found


def older_than_inputs(
    graph: AssetGraph, materialized_at: Mapping[dg.AssetKey, float | None], keys: Iterable[dg.AssetKey]
) -> list[str]:
    """`asset (older than input)` for each asset materialised before one of its inputs' latest
    materialisation (assets never materialised in this instance are no evidence either way)."""
    stale = []
    for key in sorted(keys):
        own = materialized_at.get(key)
        if own is None:
            continue
        newer = sorted(
            p.to_user_string() for p in graph.get(key).parent_keys if (materialized_at.get(p) or 0.0) > own
        )
        if newer:
            stale.append(f"{key.to_user_string()} (older than {', '.join(newer)})")
    return stale


def unsettled(instance: dg.DagsterInstance, graph: AssetGraph, targets: Iterable[dg.AssetKey]) -> list[str]:
    """The assets upstream of `targets` still waiting to be rebuilt from a newer input. `graph`: the whole
    code location's (a run's own asset graph holds only a few levels above what it selected)."""
    keys = upstream_keys(graph, targets)
    events = instance.get_latest_materialization_events(keys)
    materialized_at = {key: (event.timestamp if event else None) for key, event in events.items()}
    return older_than_inputs(graph, materialized_at, keys)
