"""The Dagster code location of the warehouse: `dagster dev -m orchestration.definitions`.

Run with DAGSTER_HOME pointing at a folder whose dagster.yaml limits the `duckdb_build` pool to one
step at a time (`write_instance_config` writes it; the `warehouse` CLI calls it before starting Dagster).
"""

from pathlib import Path

import dagster as dg

from orchestration.assets.dbt import DBT_ASSETS, DBT_AUTOMATION_SENSOR, DBT_RESOURCE
from orchestration.assets.gate import GATE_ASSETS, GATE_GROUP
from orchestration.assets.raw import DUCKDB_POOL, RAW_ASSETS
from orchestration.full_pipeline import build_and_publish, rebuild_and_publish
from orchestration.sensors import ingest_job, landing_sensor, monthly_ingest_schedule

INSTANCE_CONFIG = f"""\
# Written by orchestration.definitions.write_instance_config.
# Every writer of the DuckDB build file runs in the `{DUCKDB_POOL}` pool: one step at a time, across runs.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


def write_instance_config(dagster_home: Path) -> Path:
    """Create DAGSTER_HOME/dagster.yaml with the pool limit, unless the folder already has one."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    path = dagster_home / "dagster.yaml"
    if not path.exists():
        path.write_text(INSTANCE_CONFIG, encoding="utf-8")
    return path


# A new delivery materialises its raw asset (the landing sensor); the dbt models that depend on it
# follow (dbt_automation), then the validation gate and the publication after the marts.
gate_automation = dg.AutomationConditionSensorDefinition(
    "gate_automation",
    target=dg.AssetSelection.groups(GATE_GROUP),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Validates the marts once they are rebuilt, and publishes them if every suite passes.",
)

defs = dg.Definitions(
    assets=[*RAW_ASSETS, *DBT_ASSETS, *GATE_ASSETS],
    jobs=[ingest_job, build_and_publish, rebuild_and_publish],
    sensors=[landing_sensor, DBT_AUTOMATION_SENSOR, gate_automation],
    schedules=[monthly_ingest_schedule],
    resources={"dbt": DBT_RESOURCE},
)
