"""Arrival automation: a sensor on complete deliveries, and a monthly schedule as a safety net.

The sensor never opens the build file (a running ingestion holds DuckDB's lock); it compares the
manifests present, each with its modification time and size, with those seen at the previous tick, kept
in its cursor (on its first tick, with those present when the latest ingesting run started: `warehouse
start` has just ingested them). A manifest rewritten under its old name (a mended or replaced delivery)
is new to it.
Ingestion itself decides what is new from `audit.deliveries`, so a repeated or missed request only
costs an idle run.
"""

import base64
import hashlib
import json
import os
import zlib
from collections.abc import Iterator

import dagster as dg
from dagster import SensorEvaluationContext

from orchestration.assets.raw import RAW_GROUP, raw_asset_key
from orchestration.config import Settings
from orchestration.contract.datasets import DATASETS, DATASETS_BY_NAME
from orchestration.ingest.discovery import manifest_paths

ingest_job = dg.define_asset_job(
    "ingest_landing",
    selection=dg.AssetSelection.groups(RAW_GROUP),
    description="Ingest every complete, not yet seen delivery of the landing folder into raw.*.",
    # Every event stays in Dagster's event log; the terminal only shows warnings and errors.
    config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
)


def _encode(manifests: dict[str, str]) -> str:
    return base64.b64encode(zlib.compress(json.dumps(manifests, sort_keys=True).encode("utf-8"))).decode(
        "ascii"
    )


def _decode(cursor: str | None) -> dict[str, str]:
    """The manifests of the cursor, each with its stamp."""
    if not cursor:
        return {}
    manifests = json.loads(zlib.decompress(base64.b64decode(cursor)))
    if isinstance(manifests, list):  # a cursor of names alone, from before the stamps: asked once more
        return dict.fromkeys(manifests, "")
    return dict(manifests)


def _stamp(stat: os.stat_result) -> str:
    """What changes when a manifest is written again, without reading it."""
    return f"{stat.st_mtime_ns}:{stat.st_size}"


# The jobs that ingest the landing folder (this module's job, and the whole pipeline's).
INGESTING_JOBS = (ingest_job.name, "build_and_publish")


def _last_ingestion_start(instance: dg.DagsterInstance) -> float | None:
    """When the latest successful run of an ingesting job started (seconds since the epoch)."""
    starts = [
        record.start_time
        for job in INGESTING_JOBS
        for record in instance.get_run_records(
            filters=dg.RunsFilter(job_name=job, statuses=[dg.DagsterRunStatus.SUCCESS]), limit=1
        )
        if record.start_time is not None
    ]
    return max(starts, default=None)


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts ingestion of the datasets whose delivery became complete (its manifest arrived).",
)
def landing_sensor(context: SensorEvaluationContext) -> Iterator[dg.RunRequest | dg.SkipReason]:
    landing = Settings.from_env().landing_dir
    stats = {p.relative_to(landing).as_posix(): p.stat() for p in manifest_paths(landing)}
    present = {name: _stamp(stat) for name, stat in stats.items()}
    seen = _decode(context.cursor)
    if not context.cursor:
        # The first tick (a new Dagster home, as after `warehouse start`): a manifest already there
        # when an ingesting run started was ingested by it; re-requesting it would cost an idle run
        # holding the build file's lock.
        started = _last_ingestion_start(context.instance)
        if started is not None:
            seen = {name: present[name] for name, stat in stats.items() if stat.st_mtime < started}
    new = sorted(name for name, stamp in present.items() if seen.get(name) != stamp)
    if not new:
        if present and not context.cursor:
            context.update_cursor(_encode(present))
        yield dg.SkipReason(f"no new manifest in {landing}")
        return
    datasets = {tuple(name.split("/")[:2]) for name in new}
    keys = [raw_asset_key(DATASETS_BY_NAME[d]) for d in sorted(datasets) if d in DATASETS_BY_NAME]  # type: ignore[index]
    if not keys:
        # filed in a folder no dataset owns: any raw asset's ingestion records it as rejected
        keys = [raw_asset_key(DATASETS[0])]
    yield dg.RunRequest(
        # The stamps make a manifest rewritten under its old name a new request, not a repeated key.
        run_key=hashlib.sha256("\n".join(f"{n} {present[n]}" for n in new).encode("utf-8")).hexdigest(),
        asset_selection=keys,
        tags={"warehouse/new_deliveries": str(len(new))},
    )
    context.update_cursor(_encode(present))


monthly_ingest_schedule = dg.ScheduleDefinition(
    name="monthly_ingest",
    job=ingest_job,
    cron_schedule="0 6 2 * *",  # the 2nd at 06:00: monthly exports arrive in the first days
    execution_timezone="Europe/Brussels",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Monthly ingestion of whatever arrived, in case a sensor tick was missed.",
)
