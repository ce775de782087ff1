"""Shared fixtures: a temporary landing and data folder, a read-only look at the build file, and
hand-edited deliveries (valid sample rows with some fields' text replaced)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.config import Settings
from orchestration.contract.datasets import Dataset
from orchestration.contract.manifest import DeliveryName
from orchestration.synthetic.defects import patch_cell, produced_at_for, sample_frame
from orchestration.synthetic.writer import WrittenDelivery, encode_rows, write_file_then_manifest

TEST_KEY = "test-pseudonym-key"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    landing, data = tmp_path / "landing", tmp_path / "data"
    landing.mkdir()
    monkeypatch.setenv("WAREHOUSE_PSEUDONYM_KEY", TEST_KEY)
    monkeypatch.setenv("WAREHOUSE_LANDING_DIR", str(landing))
    monkeypatch.setenv("WAREHOUSE_DATA_DIR", str(data))
    return Settings(landing_dir=landing, data_dir=data)


@contextmanager
def build_db(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(settings.build_db), read_only=True)
    try:
        yield con
    finally:
        con.close()


def query(settings: Settings, sql: str, params: list[object] | None = None) -> list[tuple]:
    with build_db(settings) as con:
        return con.execute(sql, params or []).fetchall()


def deliver_edited(
    landing: Path,
    ds: Dataset,
    cells: list[tuple[int, str, str]],
    produced_at: datetime | None = None,
    period: str = "2024-03",
    edit: Callable[[bytes], bytes] | None = None,
    records: int = 3,
) -> WrittenDelivery:
    """Three valid rows of the dataset with some fields' text replaced (row, column, text), then the
    file's bytes edited; `records`: the manifest's count."""
    data = encode_rows(ds, sample_frame(ds, period, 3, seed=11))
    for row, column, text in cells:
        data = patch_cell(ds, data, row, column, text)
    data = edit(data) if edit else data
    name = DeliveryName(ds.name, period, 1)
    return write_file_then_manifest(landing, ds, name, data, records, produced_at or produced_at_for(period))


def quarantined(settings: Settings, table: str) -> list[tuple[int, str, str]]:
    """(line, column, rule) of every quarantined row of `table` (source__dataset)."""
    return query(
        settings,
        "SELECT q.line_number, q.column_name, q.rule FROM audit.quarantine q "
        "JOIN audit.deliveries d USING (batch_id) WHERE d.source || '__' || d.dataset = ? ORDER BY ALL",
        [table],
    )
