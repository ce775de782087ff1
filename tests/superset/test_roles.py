"""What each role may and may not do, through Superset's own API and SQL Lab, against the real server."""

from __future__ import annotations

import json

import duckdb

from orchestration.superset.dbt_docs import stale_datasets
from orchestration.superset.paths import BUNDLE_DIR
from orchestration.superset.server import prepare
from tests.superset.conftest import bundle_dashboards

WRITES = [
    "DELETE FROM marts.budget_execution",
    "CREATE TABLE marts.auditor_note AS SELECT 1 AS x",
    "UPDATE marts.staff_deployment SET target_pct = 0",
]


def _dashboard_id(client, slug: str) -> int:
    response = client.get(f"/api/v1/dashboard/{slug}")
    response.raise_for_status()
    return int(response.json()["result"]["id"])


def _chart_payload(dataset_id: int, name: str) -> dict:
    params = {
        "viz_type": "big_number_total",
        "datasource": f"{dataset_id}__table",
        "metric": "absenteeism_rate",
        "adhoc_filters": [],
        "y_axis_format": ".2f",
    }
    return {
        "slice_name": name,
        "viz_type": "big_number_total",
        "datasource_id": dataset_id,
        "datasource_type": "table",
        "params": json.dumps(params),
    }


def test_auditor_reads_in_sql_lab_and_every_write_is_refused(server):
    auditor = server.client("auditor")
    database = auditor.database_id()
    read = auditor.sql(database, "SELECT count(*) AS n FROM marts.budget_execution")
    assert read.status_code == 200, read.text
    (row,) = read.json()["data"]
    with duckdb.connect(str(server.settings.published_db), read_only=True) as con:
        before = con.execute("SELECT count(*) FROM marts.budget_execution").fetchone()[0]
        tables_before = con.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0]
    assert row["n"] == before > 0
    for statement in WRITES:
        response = auditor.sql(database, statement)
        assert response.status_code >= 400, f"{statement!r} was accepted: {response.text[:300]}"
        assert "DML_NOT_ALLOWED_ERROR" in response.text, response.text[:300]
    with duckdb.connect(str(server.settings.published_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.budget_execution").fetchone()[0] == before
        assert con.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0] == tables_before


def test_auditor_sql_lab_reaches_no_file_beside_the_published_one(server, tmp_path):
    """SQL Lab's reads that DuckDB would take from the file system: the landing folder's raw numbers,
    the build file, the secrets, a copy written out, and the setting that would allow them."""
    auditor = server.client("auditor")
    database = auditor.database_id()
    settings = server.settings
    landing_csv = next(settings.landing_dir.rglob("demandeurs_*.csv"))
    secrets = next((settings.data_dir / "secrets").iterdir())
    copy = tmp_path / "copied.csv"
    statements = [
        f"SELECT count(*) FROM read_csv('{landing_csv}')",
        f"SELECT * FROM read_text('{secrets}')",
        f"SELECT count(*) FROM glob('{settings.landing_dir}/**')",
        f"ATTACH '{settings.build_db}' AS build (READ_ONLY)",
        f"COPY marts.budget_execution TO '{copy}'",
        "SET enable_external_access = true",
    ]
    for statement in statements:
        response = auditor.sql(database, statement)
        assert response.status_code >= 400, f"{statement!r} was accepted: {response.text[:300]}"
    assert not copy.exists()
    still = auditor.sql(database, "SELECT count(*) AS n FROM marts.budget_execution")
    assert still.status_code == 200 and still.json()["data"][0]["n"] > 0, still.text[:300]


def test_auditor_views_every_dashboard_but_edits_none(server):
    auditor = server.client("auditor")
    for dashboard in bundle_dashboards():
        dashboard_id = _dashboard_id(auditor, dashboard.slug)
        change = {"dashboard_title": "changed by an auditor"}
        response = auditor.put(f"/api/v1/dashboard/{dashboard_id}", change)
        assert response.status_code in (403, 404), response.text[:300]
    dataset_id = auditor.dataset_id("absenteeism_monthly")
    created = auditor.post("/api/v1/chart/", _chart_payload(dataset_id, "auditor chart"))
    assert created.status_code == 403, created.text[:300]
    titles = {d["dashboard_title"] for d in server.client("admin").list_all("dashboard")}
    assert "changed by an auditor" not in titles


def test_viewer_has_no_sql_lab_and_cannot_create(server):
    viewer = server.client("viewer")
    admin = server.client("admin")
    response = viewer.sql(admin.database_id(), "SELECT 1")
    assert response.status_code in (401, 403), response.text[:300]
    dataset_id = admin.dataset_id("absenteeism_monthly")
    created = viewer.post("/api/v1/chart/", _chart_payload(dataset_id, "viewer chart"))
    assert created.status_code == 403, created.text[:300]
    dashboard = viewer.post("/api/v1/dashboard/", {"dashboard_title": "viewer dashboard"})
    assert dashboard.status_code == 403, dashboard.text[:300]


def test_author_creates_on_the_datasets_but_edits_no_bundle_dashboard(server):
    # Building and saving through Explore's UI is tested in test_ui_workflows.py; here, the API's verdicts.
    author = server.client("author")
    dataset_id = author.dataset_id("absenteeism_monthly")
    created = author.post("/api/v1/chart/", _chart_payload(dataset_id, "Absentéisme (test author API)"))
    assert created.status_code == 201, created.text[:300]
    for item in bundle_dashboards():
        dashboard_id = _dashboard_id(author, item.slug)
        change = {"dashboard_title": "changed by an author"}
        response = author.put(f"/api/v1/dashboard/{dashboard_id}", change)
        assert response.status_code == 403, response.text[:300]


def test_bundle_import_is_idempotent(server):
    admin = server.client("admin")
    before = {kind: len(admin.list_all(kind)) for kind in ("dashboard", "chart", "dataset", "database")}
    prepare(server.settings)
    after = {kind: len(admin.list_all(kind)) for kind in ("dashboard", "chart", "dataset", "database")}
    assert after == before
    bundle_datasets = list((BUNDLE_DIR / "datasets").rglob("*.yaml"))
    assert after["database"] == 1 and after["dataset"] == len(bundle_datasets) == 13


def test_database_is_read_only_and_dml_is_off(server):
    admin = server.client("admin")
    database = admin.get(f"/api/v1/database/{admin.database_id()}/connection").json()["result"]
    assert database["allow_dml"] is False
    extra = json.loads(database["extra"])
    assert extra["engine_params"]["connect_args"]["read_only"] is True
    assert database["sqlalchemy_uri"] == f"duckdb:///{server.settings.published_db}"


def test_dataset_descriptions_follow_dbt():
    assert stale_datasets() == []
