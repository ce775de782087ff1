"""Every role opens every dashboard in a real browser: every chart answers, without error, with data."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, Response

from tests.superset.conftest import SCREENSHOTS, Dashboard, bundle_dashboards, login_page

DASHBOARDS = bundle_dashboards()
ROLES = ["admin", "author", "auditor", "viewer"]
CHART = '[data-test="chart-grid-component"]'
# What Superset draws in a chart that failed or came back empty.
ERROR_MARKS = '.ant-alert-error, [data-test="error-alert"], [role="alert"]'
EMPTY_MARKS = "text=/No results|No data/i"


@dataclass
class ChartAnswers:
    """The chart data responses of one dashboard load, by chart id."""

    by_chart: dict[int, list[tuple[int, dict]]] = field(default_factory=dict)

    def record(self, response: Response) -> None:
        if "/api/v1/chart/data" not in response.url:
            return
        form_data = parse_qs(urlparse(response.url).query).get("form_data")
        if not form_data:
            return  # a native filter's own query for its values
        chart_id = int(json.loads(form_data[0])["slice_id"])
        try:
            body = response.json()
        except Exception:  # a non-JSON error page is a failure too
            body = {"error": response.text()[:500]}
        self.by_chart.setdefault(chart_id, []).append((response.status, body))


def open_dashboard(page: Page, url: str, dashboard: Dashboard) -> tuple[ChartAnswers, dict[int, str]]:
    answers = ChartAnswers()
    page.on("response", answers.record)
    page.goto(f"{url}/superset/dashboard/{dashboard.slug}/")
    page.wait_for_selector(CHART)
    deadline = time.monotonic() + 120
    charts: dict[int, str] = {}
    while time.monotonic() < deadline:
        charts = {
            int(el.get_attribute("data-test-chart-id") or 0): el.get_attribute("data-test-chart-name") or ""
            for el in page.locator(CHART).all()
        }
        loading = page.locator(f'{CHART} [data-test="loading-indicator"], {CHART} .loading').count()
        if len(charts) == len(dashboard.charts) and set(charts) <= set(answers.by_chart) and not loading:
            break
        page.wait_for_timeout(250)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", answers.record)
    return answers, charts


@pytest.mark.parametrize("role", ROLES)
def test_every_dashboard_renders_every_chart_with_data(browser, server, role):
    page = login_page(browser, server, role)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    try:
        page.goto(f"{server.url}/dashboard/list/")
        for dashboard in DASHBOARDS:
            answers, charts = open_dashboard(page, server.url, dashboard)
            page.screenshot(path=str(SCREENSHOTS / f"{role}-{dashboard.slug}.png"), full_page=True)
            if len(charts) != len(dashboard.charts):
                problems.append(f"{dashboard.slug}: {len(charts)} charts drawn of {len(dashboard.charts)}")
            for chart_id, name in charts.items():
                where = f"{dashboard.slug} / {name}"
                if chart_id not in answers.by_chart:
                    problems.append(f"{where}: no data request")
                    continue
                status, body = answers.by_chart[chart_id][-1]
                if status != 200 or "error" in body or "errors" in body:
                    problems.append(f"{where}: HTTP {status} {str(body)[:300]}")
                    continue
                rows = sum(int(result.get("rowcount") or 0) for result in body.get("result", []))
                if rows == 0:
                    problems.append(f"{where}: no rows")
                holder = page.locator(f'{CHART}[data-test-chart-id="{chart_id}"]')
                if holder.locator(ERROR_MARKS).count():
                    message = holder.locator(ERROR_MARKS).first.inner_text()
                    problems.append(f"{where}: shows an error: {message}")
                if holder.locator(EMPTY_MARKS).count():
                    problems.append(f"{where}: shows no data")
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


def test_each_role_sees_the_three_dashboards(server):
    for role in ROLES:
        titles = {d["dashboard_title"] for d in server.client(role).list_all("dashboard")}
        assert titles == {d.title for d in DASHBOARDS}, role
