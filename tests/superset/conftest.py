"""One real Superset server for the whole session, on a free port, over a real publication.

The publication is built by the real pipeline (synthetic deliveries at scale 0.01, ingestion, dbt,
the validation gate, the atomic publication) in a temporary data folder; Superset is prepared and
started by `start_superset`, exactly as the main command does; the browser is Debian's chromium.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml
from playwright.sync_api import Browser, Page, sync_playwright

from orchestration.config import PROJECT_ROOT, Settings
from orchestration.superset import Login, logins, start_superset, superset_url
from orchestration.superset.client import SupersetClient
from orchestration.superset.paths import BUNDLE_DIR

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
WAREHOUSE = Path(sys.executable).with_name("warehouse")


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    charts: dict[str, str]  # chart uuid -> chart name
    filters: list[dict]  # the native filters' configuration


def bundle_dashboards() -> list[Dashboard]:
    dashboards = []
    for path in sorted((BUNDLE_DIR / "dashboards").glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        charts = {
            item["meta"]["uuid"]: item["meta"]["sliceName"]
            for item in document["position"].values()
            if isinstance(item, dict) and item.get("type") == "CHART"
        }
        filters = document["metadata"].get("native_filter_configuration", [])
        dashboards.append(Dashboard(document["slug"], document["dashboard_title"], charts, filters))
    return dashboards


@dataclass
class Server:
    url: str
    settings: Settings
    logins: dict[str, Login]
    process: subprocess.Popen

    def client(self, key: str) -> SupersetClient:
        login = self.logins[key]
        return SupersetClient(self.url, login.username, login.password)


def published_rows(settings: Settings, sql: str) -> list[tuple]:
    """A query's rows on the published file, read-only."""
    with duckdb.connect(str(settings.published_db), read_only=True) as con:
        return con.execute(sql).fetchall()


def chart_data(client, table: str, query: dict) -> list[dict]:
    """The rows Superset's chart data API answers for one query on a dataset."""
    payload = {
        "datasource": {"id": client.dataset_id(table), "type": "table"},
        "queries": [query],
        "result_format": "json",
        "result_type": "full",
    }
    response = client.post("/api/v1/chart/data", payload)
    assert response.status_code == 200, (table, response.text[:500])
    (result,) = response.json()["result"]
    return list(result["data"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A data folder whose published file the real pipeline built at scale 0.01."""
    root = tmp_path_factory.mktemp("superset-warehouse")
    settings = Settings(landing_dir=root / "landing", data_dir=root / "data")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("WAREHOUSE_")},
        "WAREHOUSE_LANDING_DIR": str(settings.landing_dir),
        "WAREHOUSE_DATA_DIR": str(settings.data_dir),
        "WAREHOUSE_PSEUDONYM_KEY": "superset-test-key",
    }
    generate = [str(WAREHOUSE), "generate", "--landing", str(settings.landing_dir)]
    generate += ["--scale", "0.01", "--seed", "1", "--quiet"]
    subprocess.run(generate, env=env, check=True, capture_output=True)
    build = (
        "import sys; from orchestration.config import Settings; "
        "from orchestration.full_pipeline import run_full; sys.exit(run_full(Settings.from_env()))"
    )
    result = subprocess.run([sys.executable, "-c", build], env=env, capture_output=True, text=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    assert settings.published_db.exists()
    return settings


@pytest.fixture(scope="session")
def server(published: Settings) -> Iterator[Server]:
    port = _free_port()
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("WAREHOUSE_SUPERSET_")}
    os.environ["WAREHOUSE_SUPERSET_WORKERS"] = "2"
    try:
        process = start_superset(published, port=port)
    finally:
        os.environ.pop("WAREHOUSE_SUPERSET_WORKERS", None)
        os.environ.update(saved)
    try:
        accounts = {login.key: login for login in logins(published)}
        yield Server(superset_url(port), published, accounts, process)
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Debian's chromium, never a browser downloaded by playwright: if it is missing, the tests fail.
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `make system-deps`"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def login_page(browser: Browser, server: Server, key: str) -> Page:
    """A fresh browser context logged in through Superset's login form."""
    context = browser.new_context(viewport={"width": 1600, "height": 1300})
    page = context.new_page()
    page.set_default_timeout(60_000)
    login = server.logins[key]
    page.goto(f"{server.url}/login/")
    page.fill("#username", login.username)
    page.fill("#password", login.password)
    page.press("#password", "Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    return page
