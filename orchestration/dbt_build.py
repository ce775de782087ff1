"""What a production dbt build runs and what moves the cut-off, without importing Dagster.

Shared by the Dagster dbt assets (`orchestration.assets.dbt`) and the dbt benchmark, which times the
same build in a plain process.
"""

import shutil
from datetime import UTC, datetime
from pathlib import Path

from orchestration.contract.datasets import dataset
from orchestration.ingest.schema import raw_table_name

# Unit tests check the SQL logic on fixed inputs: they run in CI (tests/dbt builds with them), not on
# every production build (dbt Labs' advice); data tests run every time and become asset checks.
PRODUCTION_BUILD_ARGS = ("--exclude", "test_type:unit")

# The cut-off (int_cutoff) reads audit.deliveries for actiris/demandeurs: that raw asset moves it.
CUTOFF_DATASET = ("actiris", "demandeurs")
CUTOFF_MODEL = "int_cutoff"


def delivery_selection(source_table: str) -> list[str]:
    """The dbt selection of what a new delivery of one raw table (`actiris__demandeurs`) rebuilds: the
    models downstream of its source, and of the cut-off when it moves it (the Dagster asset graph maps
    int_cutoff onto the demandeurs raw asset)."""
    selection = [f"source:raw.{source_table}+"]
    if source_table == raw_table_name(dataset(*CUTOFF_DATASET)):
        selection.append(f"{CUTOFF_MODEL}+")
    return selection


# Each build's dbt target (manifest, run results, compiled SQL, logs: about 19 MB at scale 0.01) is kept
# for the latest few builds only, under the data folder: dagster-dbt's default, a new folder in the
# repository's dbt_project/target per run, grows without end.
RUN_TARGETS_KEPT = 5


def run_target(data_dir: Path, run_id: str) -> Path:
    """A new target folder for one dbt build under `data_dir/dbt_runs`, the older ones pruned so that
    with this one the latest RUN_TARGETS_KEPT remain."""
    folder = data_dir.resolve() / "dbt_runs"  # dagster-dbt reads a relative path from the project
    folder.mkdir(parents=True, exist_ok=True)
    earlier = sorted(path for path in folder.iterdir() if path.is_dir())  # named by their start time
    for old in earlier[: max(0, len(earlier) - RUN_TARGETS_KEPT + 1)]:
        shutil.rmtree(old, ignore_errors=True)
    return folder / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{run_id[:8]}"
