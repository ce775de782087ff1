"""What a BI author and an auditor do in the browser, as users would: Explore's save, SQL Lab's run.

The author builds a chart in Explore on a warehouse dataset (viz type from the quick switcher, the
dataset's metric dragged onto the metric control), runs it and saves it through the Save modal into a
new dashboard; the auditor types statements into SQL Lab's editor and runs them. Selectors are the
`data-test` attributes of Superset's frontend. Every step leaves a screenshot in artifacts/.
"""

from __future__ import annotations

import json
import time

import duckdb
from playwright.sync_api import Page

from tests.superset.conftest import SCREENSHOTS, login_page

CHART_NAME = "Absentéisme global (test author UI)"
DASHBOARD_NAME = "Author's dashboard (test UI)"
REFUSED = "does not allow for DDL/DML"  # the message SQL Lab shows in its results pane
WRITES = ["DELETE FROM marts.budget_execution", "CREATE TABLE marts.auditor_note AS SELECT 1 AS x"]


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _published_file_state(server) -> tuple[int, int, float]:
    """Rows of the mart the auditor tries to delete, tables in the file, and the file's mtime."""
    path = server.settings.published_db
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT count(*) FROM marts.budget_execution").fetchone()[0]
        tables = con.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0]
    return int(rows), int(tables), path.stat().st_mtime


def _is_chart_creation(url: str, method: str) -> bool:
    return method == "POST" and url.split("?")[0].rstrip("/").endswith("/api/v1/chart")


def build_and_save_chart(page: Page, url: str, dataset_id: int) -> dict:
    """Explore: Big Number, the dataset's absenteeism_rate metric, run, save into a new dashboard."""
    page.goto(f"{url}/explore/?datasource_type=table&datasource_id={dataset_id}")
    switcher = page.locator('[data-test="fast-viz-switcher"]')
    switcher.locator(":scope > div", has_text="Big Number").click()
    metric = page.locator('[data-test="DatasourcePanelDragOption"]', has_text="Taux d'absentéisme").first
    metric.drag_to(page.get_by_text("Drop a column/metric here or click").first)
    page.locator('[data-test="run-query-button"]').wait_for()
    _shot(page, "author-1-explore-metric-picked")
    with page.expect_response(lambda r: "/api/v1/chart/data" in r.url and r.request.method == "POST") as ran:
        page.locator('[data-test="run-query-button"]').click()
    assert ran.value.status == 200, ran.value.text()[:500]
    page.wait_for_selector('[data-test="big-number-header"], .header-line')
    _shot(page, "author-2-explore-ran")
    page.locator('[data-test="query-save-button"]').click()
    page.locator('[data-test="new-chart-name"]').fill(CHART_NAME)
    # The dashboard select creates a dashboard from a new name typed into it.
    # The dashboard select offers a new dashboard for a name typed in, once it has loaded its list.
    dashboards = page.locator('[data-test="save-chart-modal-select-dashboard-form"] input').first
    with page.expect_response(lambda r: "/api/v1/dashboard/?q=" in r.url):
        dashboards.click()
    dashboards.press_sequentially(DASHBOARD_NAME, delay=30)
    page.locator(f'.ant-select-item-option[title="{DASHBOARD_NAME}"]').click()
    _shot(page, "author-3-save-modal")
    with page.expect_response(lambda r: _is_chart_creation(r.url, r.request.method)) as saved:
        page.locator('[data-test="btn-modal-save"]').click()
    assert saved.value.status == 201, saved.value.text()[:500]
    page.wait_for_selector('[data-test="new-chart-name"]', state="detached")
    _shot(page, "author-4-saved")
    return dict(saved.value.json())


def test_author_builds_and_saves_a_chart_in_explore(server, browser):
    author = server.client("author")
    dataset_id = author.dataset_id("absenteeism_monthly")
    page = login_page(browser, server, "author")
    try:
        saved = build_and_save_chart(page, server.url, dataset_id)
    finally:
        page.context.close()
    chart_id = int(saved["id"])
    # The chart exists, is the author's, sits on the new dashboard and answers the regrouped rate.
    chart = author.get(f"/api/v1/chart/{chart_id}")
    assert chart.status_code == 200, chart.text[:300]
    result = chart.json()["result"]
    assert result["slice_name"] == CHART_NAME
    assert result["viz_type"] == "big_number_total"
    assert [owner["id"] for owner in result["owners"]] == [_user_id(author)]
    assert [d["dashboard_title"] for d in result["dashboards"]] == [DASHBOARD_NAME]
    params = json.loads(result["params"])
    assert params["metric"] == "absenteeism_rate"
    data = author.get(f"/api/v1/chart/{chart_id}/data/")
    assert data.status_code == 200, data.text[:300]
    ((value,),) = [[row["absenteeism_rate"]] for row in data.json()["result"][0]["data"]]
    with duckdb.connect(str(server.settings.published_db), read_only=True) as con:
        expected = con.execute(
            "SELECT 100.0 * sum(absence_workdays) / sum(planned_workdays) FROM marts.absenteeism_monthly"
        ).fetchone()[0]
    assert expected is not None and abs(float(value) - float(expected)) < 1e-6


def _user_id(client) -> int:
    response = client.get("/api/v1/me/")
    response.raise_for_status()
    return int(response.json()["result"]["id"])


def open_sql_lab_tab(page: Page, url: str) -> None:
    """SQL Lab with a new query tab on the warehouse database (the only one offered)."""
    page.goto(f"{url}/sqllab/")
    page.locator('[data-test="add-tab-icon"]').first.click()
    page.locator(".ace_editor:visible").wait_for()
    page.get_by_text("Warehouse").first.wait_for()


def run_in_sql_lab(page: Page, sql: str) -> tuple[int, dict]:
    """Type the statement into the editor, as a user would, and press Run; the execute answer."""
    editor = page.locator(".ace_editor:visible")
    editor.locator(".ace_content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(sql)
    page.keyboard.press("Escape")  # close the autocompletion popup, if any
    typed = editor.evaluate("element => window.ace.edit(element).getValue()")
    assert typed == sql, typed
    with page.expect_response(lambda r: "/api/v1/sqllab/execute" in r.url) as answer:
        page.locator('[data-test="run-query-action"]:visible').click()
    return answer.value.status, dict(answer.value.json())


def _wait_for_text(page: Page, selector: str, text: str, timeout: float = 60) -> str:
    """Wait until the element shows the text (thousands separators ignored)."""
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = page.locator(selector).inner_text()
        if text in shown or text in "".join(c for c in shown if c not in ",\u202f\u00a0"):
            return shown
        page.wait_for_timeout(250)
    raise AssertionError(f"{text!r} never appeared in {selector}: {shown[:500]!r}")


def test_auditor_runs_a_select_and_a_refused_write_in_sql_lab(server, browser):
    rows, tables, mtime = _published_file_state(server)
    page = login_page(browser, server, "auditor")
    try:
        open_sql_lab_tab(page, server.url)
        status, body = run_in_sql_lab(page, "SELECT count(*) AS n FROM marts.budget_execution")
        assert status == 200, body
        assert body["data"] == [{"n": rows}]
        _wait_for_text(page, '[data-test="south-pane"]:visible', str(rows))
        _shot(page, "auditor-1-sql-lab-select")
        for number, statement in enumerate(WRITES, start=2):
            status, body = run_in_sql_lab(page, statement)
            assert status >= 400, body
            assert body["errors"][0]["error_type"] == "DML_NOT_ALLOWED_ERROR", body
            _wait_for_text(page, '[data-test="south-pane"]:visible', REFUSED)
            _shot(page, f"auditor-{number}-sql-lab-write-refused")
    finally:
        page.context.close()
    assert _published_file_state(server) == (rows, tables, mtime)
