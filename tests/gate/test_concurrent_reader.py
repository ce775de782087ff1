"""Readers are never blocked and never see half a publication (design invariant 3).

A separate process hammers the published file read-only while this process runs the pipeline:
ingestion (holding the build file read-write), `dbt build`, validation and publication, then
validation and publication again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from orchestration.config import Settings
from orchestration.ingest.run import ingest_landing
from orchestration.publish.publication import publish
from orchestration.validation.audit import record_validation
from orchestration.validation.runner import validate
from tests.gate.conftest import run_dbt_build

READER = Path(__file__).with_name("reader.py")


def publish_once(settings: Settings, *, full: bool) -> int:
    if full:
        ingest_landing(settings)
        run_dbt_build(settings.data_dir)
    run = validate(settings)
    assert run.success, run.failure_report()
    record_validation(settings.build_db, run)
    return publish(settings).publication_id


def test_a_reader_never_errs_nor_sees_two_publications_during_runs(
    warehouse: Settings, tmp_path: Path
) -> None:
    stop = tmp_path / "stop"
    readers = {
        mode: subprocess.Popen(
            [sys.executable, str(READER), mode, str(warehouse.published_db), str(stop), str(tmp_path / mode)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode in ("fresh", "held")
    }
    try:
        time.sleep(1.0)  # let both start reading publication 1
        published = [publish_once(warehouse, full=i == 0) for i in range(2)]
        time.sleep(1.0)  # let the fresh reader open the last publication
    finally:
        stop.touch()
        outcomes = {mode: reader.communicate(timeout=60) for mode, reader in readers.items()}
    assert all(reader.returncode == 0 for reader in readers.values()), outcomes
    fresh, held = (json.loads((tmp_path / mode).read_text(encoding="utf-8")) for mode in ("fresh", "held"))

    assert published == [2, 3]
    for summary in (fresh, held):
        assert summary["error_count"] == 0, summary["errors"]
        assert summary["mixes"] == []
        assert summary["iterations"] > 100
    # New connections followed the publications; the connection held throughout kept reading the first.
    assert fresh["seen"] == [1, 2, 3]
    assert held["seen"] == [1]
