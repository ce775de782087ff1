"""A killed ingestion leaves no partial batch and the next run completes it; two ingestions at once both
complete (they queue on the build file instead of failing on DuckDB's lock)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from dagster import DagsterInstance

from orchestration.config import Settings
from orchestration.contract.datasets import dataset
from orchestration.definitions import write_instance_config
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.defects import produced_at_for, sample_frame
from orchestration.synthetic.writer import write_delivery
from tests.ingest.conftest import query

ROOT = Path(__file__).resolve().parents[2]
STAGIAIRES = dataset("bf", "stagiaires")
PERIODS = ("2024-01", "2024-02", "2024-03")

# Runs ingestion, but stops for good right after the second delivery's raw rows are inserted, inside
# its transaction, and tells the test so: the test then kills the process with SIGKILL.
_KILLED_CHILD = """
import sys, time
from pathlib import Path
from dagster import DagsterInstance

from orchestration.config import Settings
from orchestration.ingest import run

original = run.write_rows

def write_then_hang(con, dataset, batch_id, prepared):
    original(con, dataset, batch_id, prepared)
    if batch_id == 2:
        Path(sys.argv[1]).touch()
        time.sleep(600)

run.write_rows = write_then_hang
run.ingest_landing(Settings.from_env())
"""

_DAGSTER_CHILD = """
from dagster import DagsterInstance
from orchestration.definitions import defs

result = defs.resolve_job_def("ingest_landing").execute_in_process(instance=DagsterInstance.get())
print("SUCCESS" if result.success else "FAILURE")
"""


def _write_deliveries(settings: Settings, rows: int = 50) -> None:
    for period in PERIODS:
        frame = sample_frame(STAGIAIRES, period, rows)
        write_delivery(settings.landing_dir, STAGIAIRES, period, frame, produced_at_for(period))


def test_killed_run_leaves_no_partial_batch(settings: Settings, tmp_path: Path) -> None:
    _write_deliveries(settings)
    marker = tmp_path / "inside-transaction"
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_CHILD, str(marker)], cwd=ROOT, env=os.environ.copy()
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, "the ingestion ended before reaching the second delivery"
            assert time.monotonic() < deadline
            time.sleep(0.1)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert query(settings, "SELECT batch_id, status FROM audit.deliveries") == [(1, "LOADED")]
    assert query(settings, "SELECT DISTINCT batch_id FROM raw.bf__stagiaires") == [(1,)]

    resumed = ingest_landing(settings)
    assert [o.status for o in resumed] == ["LOADED", "LOADED"]
    assert query(settings, "SELECT count(*), count(DISTINCT batch_id) FROM raw.bf__stagiaires") == [(150, 3)]


def test_two_ingestions_at_once_both_complete(settings: Settings, tmp_path: Path) -> None:
    _write_deliveries(settings, rows=500)
    home = tmp_path / "dagster_home"
    write_instance_config(home)
    # Create the instance's storage once: two first-time starts would race on its SQLite schema.
    DagsterInstance.from_config(str(home)).dispose()
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _DAGSTER_CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=300)[0] for child in children]
    assert [c.returncode for c in children] == [0, 0]
    assert all(out.strip().endswith("SUCCESS") for out in outputs), outputs
    assert query(settings, "SELECT count(*), count(DISTINCT file_name) FROM audit.deliveries") == [(3, 3)]
    assert query(settings, "SELECT count(*) FROM raw.bf__stagiaires") == [(1500,)]
