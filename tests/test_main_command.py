"""The README's main command, end to end: `warehouse start` on an empty landing folder generates
deliveries, ingests, builds, validates and publishes them through a real Dagster run, then serves
Dagster's UI until interrupted; and none of the national or staff numbers it delivered is found in
anything it wrote outside the landing folder."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from tests.privacy_scan import delivered_identifiers, leaks_in_files, leaks_in_tables


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["data"]


def _read_only_when_free(path: Path, timeout: float = 300) -> duckdb.DuckDBPyConnection:
    """A read-only connection once no process writes the file: a run the daemon started before the
    server stopped (an ingestion requested by the landing sensor) may still hold the lock."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


def test_start_generates_builds_and_serves_dagster(tmp_path: Path) -> None:
    port, superset_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "WAREHOUSE_LANDING_DIR": str(tmp_path / "landing"),
        "WAREHOUSE_DATA_DIR": str(tmp_path / "data"),
        "WAREHOUSE_SCALE": "0.01",
        "WAREHOUSE_DAGSTER_PORT": str(port),
        "WAREHOUSE_SUPERSET_PORT": str(superset_port),
    }
    env.pop("WAREHOUSE_PSEUDONYM_KEY", None)  # the main job must create its own key file
    log = (tmp_path / "start.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "start"],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 420
        assets = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                assets = _graphql(port, "{ assetNodes { assetKey { path } } }")["assetNodes"]
                break
            except OSError:
                time.sleep(2)
        # The URLs and logins are printed once Superset answers too.
        while time.monotonic() < deadline and "no login" not in (tmp_path / "start.log").read_text():
            time.sleep(2)
        output = (tmp_path / "start.log").read_text()
        assert assets is not None, f"Dagster never answered on port {port}:\n{output[-3000:]}"
        keys = {"/".join(a["assetKey"]["path"]) for a in assets}
        assert {"raw/actiris__demandeurs", "raw/bf__stagiaires", "raw/vdab__opleidingen"} <= keys
        assert f"http://127.0.0.1:{port}" in output and "no login" in output
        assert "Warning" not in output, output  # a newcomer's start prints no warning

        runs = _graphql(port, "{ runsOrError { ... on Runs { results { jobName status } } } }")
        statuses = [(r["jobName"], r["status"]) for r in runs["runsOrError"]["results"]]
        assert ("build_and_publish", "SUCCESS") in statuses
        assert "published: publication 1" in output and "Data Docs (validations)" in output
        with urllib.request.urlopen(f"http://127.0.0.1:{superset_port}/health", timeout=10) as response:
            assert response.read() == b"OK"
        assert f"http://127.0.0.1:{superset_port}" in output

        assert (tmp_path / "data" / "secrets" / "pseudonym.key").stat().st_mode & 0o077 == 0
        assert len(list((tmp_path / "landing").rglob("*.manifest.json"))) == 13 * 120
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    # Ctrl-C stopped Dagster too (its own process group): nothing answers on its port any more
    with pytest.raises(OSError):
        _graphql(port, "{ version }")

    with _read_only_when_free(tmp_path / "data" / "build" / "warehouse.duckdb") as con:
        loaded, statuses = con.execute(
            "select sum(rows_loaded), list(distinct status) from audit.deliveries"
        ).fetchone()
    assert loaded > 50_000 and statuses == ["LOADED"]
    with duckdb.connect(str(tmp_path / "data" / "published" / "warehouse.duckdb"), read_only=True) as con:
        schemas = {s for (s,) in con.execute("select distinct schema_name from duckdb_schemas()").fetchall()}
        marts = con.execute("select count(*) from marts.budget_execution").fetchone()[0]
    assert {"marts", "audit"} <= schemas and not {"raw", "staging", "intermediate"} & schemas
    assert marts > 0

    # privacy end to end: tables, logs, dbt's target, the Data Docs, Dagster's and Superset's storage
    identifiers = delivered_identifiers(tmp_path / "landing")
    counts = len(identifiers.national), len(identifiers.staff)  # counts only: a failure prints no number
    assert counts[0] > 1_000 and counts[1] > 10, counts
    written = [*(tmp_path / "data").rglob("*"), tmp_path / "start.log"]
    assert len(written) > 100 and any(p.name == "superset.db" for p in written)
    assert leaks_in_files(written, identifiers) == []
    for database in (tmp_path / "data").rglob("*.duckdb"):
        assert leaks_in_tables(database, identifiers) == []
    # the scan finds what it looks for: the landing itself, and a table holding both kinds of number
    assert leaks_in_files((tmp_path / "landing").rglob("*.csv"), identifiers)
    national, staff = min(identifiers.national), min(identifiers.staff)
    dotted = f"{national[:2]}.{national[2:4]}.{national[4:6]}-{national[6:9]}.{national[9:]}"
    as_number = int(next(n for n in sorted(identifiers.national) if not n.startswith("0")))
    with duckdb.connect(str(tmp_path / "leak.duckdb")) as con:
        con.execute("create table t (reason varchar, who varchar, kept bigint)")
        values = [f"line 3: {dotted} is not valid", f" {staff}", as_number]
        con.execute("insert into t values (?, ?, ?)", values)
        con.execute("create view v as select kept * 1 as kept from t")
    assert leaks_in_tables(tmp_path / "leak.duckdb", identifiers) == [
        f"{tmp_path / 'leak.duckdb'}: main.t.reason: 1 value(s)",
        f"{tmp_path / 'leak.duckdb'}: main.t.who: 1 value(s)",
        f"{tmp_path / 'leak.duckdb'}: main.t.kept: 1 value(s)",
        f"{tmp_path / 'leak.duckdb'}: main.v.kept: 1 value(s)",
    ]
