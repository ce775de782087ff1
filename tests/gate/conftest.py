"""A small real warehouse for the gate: synthetic deliveries (national register numbers drawn at run
time by the generator), real ingestion, a real `dbt build`; each test gets its own copy of the data folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.config import PROJECT_ROOT, Settings
from orchestration.contract.datasets import dataset
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.generate import generate
from orchestration.synthetic.writer import write_delivery

DBT = Path(sys.executable).with_name("dbt")
TEST_KEY = "gate-test-pseudonym-key"


def run_dbt_build(
    data_dir: Path, project_dir: Path = PROJECT_ROOT / "dbt_project", cutoff: str | None = None
) -> None:
    """`dbt build` of `project_dir` (the project's own, or a copy) on `data_dir`; `cutoff` sets
    WAREHOUSE_CUTOFF, which is otherwise left out."""
    env = {k: v for k, v in os.environ.items() if k != "WAREHOUSE_CUTOFF"}
    env["WAREHOUSE_DATA_DIR"] = str(data_dir)
    if cutoff is not None:
        env["WAREHOUSE_CUTOFF"] = cutoff
    result = subprocess.run(
        [
            str(DBT),
            "build",
            "--quiet",
            "--target-path",
            str(data_dir / "dbt_target"),
            "--log-path",
            str(data_dir / "dbt_logs"),
        ],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]


@pytest.fixture(scope="session", autouse=True)
def _pseudonym_key() -> Iterator[None]:
    previous = os.environ.get("WAREHOUSE_PSEUDONYM_KEY")
    os.environ["WAREHOUSE_PSEUDONYM_KEY"] = TEST_KEY
    yield
    if previous is None:
        os.environ.pop("WAREHOUSE_PSEUDONYM_KEY", None)
    else:
        os.environ["WAREHOUSE_PSEUDONYM_KEY"] = previous


def deliver_budget(
    landing: Path, month: int, credit_type: str, lines: list[tuple[str, float, float]], year: int = 2025
) -> None:
    """A hand-made budget export of a month of `year`: one row per (article, executed, credit)."""
    rows = [
        {
            "exercice": year,
            "mois": month,
            "article_budgetaire": article,
            "libelle_article": f"Article {article}",
            "programme": "FORMATION",
            "type_credit": credit_type,
            "credit_initial": credit,
            "credit_ajuste": credit,
            "montant_cumule": executed,
        }
        for article, executed, credit in lines
    ]
    budget = dataset("actiris", "budget")
    write_delivery(landing, budget, f"{year}-{month:02d}", pd.DataFrame(rows), datetime(year, month, 28, 8))


def build_landing(landing: Path, first: tuple[int, int], last: tuple[int, int]) -> None:
    generate(landing, scale=0.002, seed=7, first=first, last=last, show_progress=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Two years of deliveries at a small scale, ingested, built, validated and published once."""
    from orchestration.publish.publication import publish
    from orchestration.validation.audit import record_validation
    from orchestration.validation.runner import validate

    root = tmp_path_factory.mktemp("gate_built")
    settings = Settings(landing_dir=root / "landing", data_dir=root / "data")
    build_landing(settings.landing_dir, (2023, 1), (2024, 12))
    settings.ensure_folders()
    ingest_landing(settings)
    run_dbt_build(settings.data_dir)
    run = validate(settings)
    assert run.success, run.failure_report()
    record_validation(settings.build_db, run)
    publish(settings)
    return settings


@pytest.fixture
def warehouse(built: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of the build file and of the first publication, the environment pointing at it."""
    settings = Settings(landing_dir=built.landing_dir, data_dir=tmp_path / "data")
    settings.ensure_folders()
    shutil.copy2(built.build_db, settings.build_db)
    shutil.copy2(built.published_db, settings.published_db)
    monkeypatch.setenv("WAREHOUSE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("WAREHOUSE_LANDING_DIR", str(settings.landing_dir))
    return settings


def execute(settings: Settings, *statements: str) -> None:
    """Tamper with the build file, as a faulty model would."""
    con = duckdb.connect(str(settings.build_db))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()


def published_id(settings: Settings) -> int | None:
    if not settings.published_db.exists():
        return None
    con = duckdb.connect(str(settings.published_db), read_only=True)
    try:
        row = con.execute("select max(publication_id) from audit.publications").fetchone()
    finally:
        con.close()
    return int(row[0]) if row and row[0] is not None else None


def rows(path: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    """A query on a DuckDB file, read-only."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
