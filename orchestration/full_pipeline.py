"""The whole pipeline once: ingest → dbt build → validate → publish, as one Dagster run.

`build_and_publish` selects the raw, dbt and gate assets; `run_full` executes it in this process
against the instance the UI shows and returns 0 only when a publication happened.
"""

from __future__ import annotations

import os

import click
import dagster as dg
import duckdb

from orchestration.assets.dbt import DBT_ASSETS, DBT_RESOURCE
from orchestration.assets.gate import GATE_ASSETS, GATE_GROUP, PUBLICATION_KEY
from orchestration.assets.raw import BUILD_RUN_TAG, RAW_ASSETS, RAW_GROUP
from orchestration.config import Settings
from orchestration.validation.runner import loaded_batch_ids

build_and_publish = dg.define_asset_job(
    "build_and_publish",
    selection=dg.AssetSelection.groups(RAW_GROUP)
    | dg.AssetSelection.assets(*DBT_ASSETS)
    | dg.AssetSelection.groups(GATE_GROUP),
    description="Ingest new deliveries, rebuild the dbt models, validate the marts, publish if they pass.",
    config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
    # every raw asset materialises in this job, new delivery or not: the dbt step always runs
    tags={BUILD_RUN_TAG: "true"},
)

# The same without the ingestion: after a code change or a failed build, from what is already ingested.
rebuild_and_publish = dg.define_asset_job(
    "rebuild_and_publish",
    selection=dg.AssetSelection.assets(*DBT_ASSETS) | dg.AssetSelection.groups(GATE_GROUP),
    description="Rebuild the dbt models from the deliveries already loaded, validate, publish if they pass.",
    config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
)

FULL_DEFS = dg.Definitions(
    assets=[*RAW_ASSETS, *DBT_ASSETS, *GATE_ASSETS],
    jobs=[build_and_publish, rebuild_and_publish],
    resources={"dbt": DBT_RESOURCE},
)


def _published_id(result: dg.ExecuteInProcessResult) -> int | None:
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        if materialization.asset_key == PUBLICATION_KEY:
            value = materialization.metadata.get("publication_id")
            return int(value.value) if value is not None else None  # type: ignore[arg-type]
    return None


def _ingested_something(result: dg.ExecuteInProcessResult) -> bool:
    """Whether a raw table changed in the run (every raw asset materialises in `build_and_publish`)."""
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        changed = materialization.metadata.get("table_changed")
        if materialization.asset_key.path[0] == RAW_GROUP and changed is not None and changed.value:
            return True
    return False


def run_full(settings: Settings, defs: dg.Definitions = FULL_DEFS) -> int:
    """Run `build_and_publish` once; 0 only when a new publication replaced the published file."""
    from orchestration.dagster_home import prepare_dagster_home

    os.environ.setdefault("WAREHOUSE_LANDING_DIR", str(settings.landing_dir))
    os.environ.setdefault("WAREHOUSE_DATA_DIR", str(settings.data_dir))
    settings.ensure_folders()
    prepare_dagster_home(settings)
    job = defs.resolve_job_def(build_and_publish.name)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
    if result.success and not _ingested_something(result):
        click.echo("no new delivery ingested: the marts were rebuilt from the deliveries already loaded")
    docs = settings.data_docs_dir / "index.html"
    publication_id = _published_id(result)
    if result.success and publication_id is not None:
        click.echo(f"published: publication {publication_id} at {settings.published_db}")
        click.echo(f"Data Docs: {docs.as_uri()}")
        return 0
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data is not None:
            error = event.step_failure_data.error
            user = event.step_failure_data.user_failure_data
            if user is not None and user.description:
                message = user.description
            else:
                # Dagster wraps the step's own exception ("Error occurred while executing op ..."): its
                # cause says what went wrong, e.g. the build file locked by another process
                cause = error.cause if error is not None and error.cause is not None else error
                message = cause.message.strip() if cause is not None else ""
            click.echo(f"step {event.step_key} failed: {message}", err=True)
    if not _has_loaded_delivery(settings):
        click.echo(
            f"no delivery is loaded: the cut-off and the marts need at least one. Put the exports in "
            f"{settings.landing_dir} as the landing contract says (<source>/<dataset>/ with a manifest); a "
            "refused one says why in audit.deliveries",
            err=True,
        )
    if docs.exists():
        click.echo(f"Data Docs: {docs.as_uri()}", err=True)
    click.echo(f"nothing published; {settings.published_db} is unchanged", err=True)
    return 1


def _has_loaded_delivery(settings: Settings) -> bool:
    if not settings.build_db.exists():
        return False
    try:
        con = duckdb.connect(str(settings.build_db), read_only=True)
    except duckdb.IOException:  # held by another process: the failed step has said so
        return True
    try:
        return bool(loaded_batch_ids(con))
    except duckdb.CatalogException:  # ingestion never ran: no audit.deliveries
        return False
    finally:
        con.close()
