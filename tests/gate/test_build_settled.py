"""The gate's "one state" test on a real Dagster instance: an asset rebuilt before one of its inputs'
latest materialisation holds the validation back, however far upstream it is; a complete run does not."""

import dagster as dg
from dagster import AssetExecutionContext

from orchestration.assets.build_settled import unsettled

SEEN: list[list[str]] = []


@dg.asset(key=["raw", "deliveries"])
def deliveries() -> None: ...


@dg.asset(key=["staging", "model"], deps=[deliveries])
def staged() -> None: ...


@dg.asset(key=["marts", "mart"], deps=[staged])
def mart() -> None: ...


@dg.asset(key=["gate", "validation"], deps=[mart])
def gate(context: AssetExecutionContext) -> None:
    SEEN.append(unsettled(context.instance, DEFS.resolve_asset_graph(), [mart.key]))


DEFS = dg.Definitions(assets=[deliveries, staged, mart, gate])
JOB = DEFS.resolve_implicit_global_asset_job_def()


def materialize(instance: dg.DagsterInstance, *keys: str) -> None:
    selection = [dg.AssetKey.from_user_string(k) for k in keys] if keys else None
    assert JOB.execute_in_process(instance=instance, asset_selection=selection).success


def test_the_gate_waits_for_every_asset_upstream_to_be_newer_than_its_inputs() -> None:
    SEEN.clear()
    with dg.instance_for_test() as instance:
        materialize(instance)
        assert SEEN[-1] == []  # one run built everything in order
        # a new delivery, and automation rebuilt the staging model but not yet the mart
        materialize(instance, "raw/deliveries")
        materialize(instance, "staging/model")
        materialize(instance, "gate/validation")
        assert SEEN[-1] == ["marts/mart (older than staging/model)"]
        # the delivery alone, nothing rebuilt: two levels up is found too
        materialize(instance, "marts/mart")
        materialize(instance, "raw/deliveries")
        materialize(instance, "gate/validation")
        assert SEEN[-1] == ["staging/model (older than raw/deliveries)"]
        materialize(instance, "staging/model", "marts/mart", "gate/validation")
        assert SEEN[-1] == []
