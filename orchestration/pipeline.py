"""`warehouse run`: the pipeline once, as a Dagster run recorded in the instance the UI shows."""

from __future__ import annotations

import os

import click
import dagster as dg

from orchestration.config import Settings
from orchestration.dagster_home import prepare_dagster_home


def run_pipeline(settings: Settings) -> int:
    """Ingest every complete delivery; 0 when the run succeeded. Later stages join this job."""
    os.environ.setdefault("WAREHOUSE_LANDING_DIR", str(settings.landing_dir))
    os.environ.setdefault("WAREHOUSE_DATA_DIR", str(settings.data_dir))
    settings.ensure_folders()
    prepare_dagster_home(settings)
    from orchestration.definitions import defs

    job = defs.resolve_job_def("ingest_landing")
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure:
                click.echo(
                    f"step {event.step_key} failed: {event.event_specific_data.error.message}", err=True
                )
        return 1
    _print_summary(settings)
    return 0


def _print_summary(settings: Settings) -> None:
    import duckdb

    with duckdb.connect(str(settings.build_db), read_only=True) as con:
        rows = con.execute(
            "select status, count(*), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0) "
            "from audit.deliveries group by status order by status"
        ).fetchall()
    click.echo("deliveries in audit.deliveries:")
    for status, deliveries, loaded, quarantined in rows:
        click.echo(
            f"  {status:<11} {deliveries:>6} files {loaded:>12,} rows loaded {quarantined:>8,} quarantined"
        )
