"""Shared fixtures: a temporary landing and data folder, and a read-only look at the build file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from orchestration.config import Settings

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
