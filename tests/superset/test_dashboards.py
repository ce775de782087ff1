"""Every role opens every dashboard in a real browser: every chart answers, without error, with data."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from playwright.sync_api import Page, Request, Response

from orchestration.config import PROJECT_ROOT
from orchestration.superset.paths import BUNDLE_DIR
from tests.superset.conftest import SCREENSHOTS, Dashboard, bundle_dashboards, login_page, published_rows

DASHBOARDS = bundle_dashboards()
ROLES = ["admin", "author", "auditor", "viewer"]
CHART = '[data-test="chart-grid-component"]'
# What Superset draws in a chart that failed or came back empty.
ERROR_MARKS = '.ant-alert-error, [data-test="error-alert"], [role="alert"]'
EMPTY_MARKS = "text=/No results|No data/i"
EXPOSURES = PROJECT_ROOT / "dbt_project" / "models" / "marts" / "exposures.yml"


@dataclass
class ChartAnswers:
    """The chart data responses of one dashboard load, by chart id."""

    by_chart: dict[int, list[tuple[int, dict]]] = field(default_factory=dict)
    dimensions: dict[int, set[str]] = field(default_factory=dict)

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
        self.dimensions[chart_id] = _dimensions(response.request.post_data or "{}")


def _dimensions(request_body: str) -> set[str]:
    """The names of the columns a chart groups by (x-axis included): the rest of its answer are values."""
    names: set[str] = set()
    for query in json.loads(request_body).get("queries", []):
        if not query.get("metrics"):
            continue  # a raw-records table: its columns are its values
        for column in query.get("columns") or []:
            if isinstance(column, str):
                names.add(column)
            else:
                names.update(str(column.get(key)) for key in ("label", "sqlExpression") if column.get(key))
    return names


def has_values(body: dict, dimensions: set[str]) -> bool:
    """Some row carries a value outside the dimensions (a chart of NULL rates shows nothing).

    Series charts answer pivoted (one column per series), so the values are every other column.
    """
    for result in body.get("result", []):
        for row in result.get("data") or []:
            if any(value is not None for name, value in row.items() if name not in dimensions):
                return True
    return False


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
                elif not has_values(body, answers.dimensions.get(chart_id, set())):
                    problems.append(f"{where}: every value is NULL: {str(body)[:400]}")
                holder = page.locator(f'{CHART}[data-test-chart-id="{chart_id}"]')
                if holder.locator(ERROR_MARKS).count():
                    message = holder.locator(ERROR_MARKS).first.inner_text()
                    problems.append(f"{where}: shows an error: {message}")
                if holder.locator(EMPTY_MARKS).count():
                    problems.append(f"{where}: shows no data")
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


def test_each_role_sees_every_dashboard_of_the_bundle(server):
    for role in ROLES:
        titles = {d["dashboard_title"] for d in server.client(role).list_all("dashboard")}
        assert titles == {d.title for d in DASHBOARDS}, role


def _charts_datasets() -> dict[str, str]:
    """Chart uuid -> the table of its dataset, from the bundle."""
    tables = {}
    for path in (BUNDLE_DIR / "datasets").rglob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        tables[document["uuid"]] = document["table_name"]
    charts = {}
    for path in (BUNDLE_DIR / "charts").glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        charts[document["uuid"]] = tables[document["dataset_uuid"]]
    return charts


def test_every_dashboard_has_a_dbt_exposure_on_the_marts_it_shows():
    exposures = yaml.safe_load(EXPOSURES.read_text(encoding="utf-8"))["exposures"]
    by_slug = {exposure["url"].rstrip("/").rsplit("/", 1)[-1]: exposure for exposure in exposures}
    chart_tables = _charts_datasets()
    assert set(by_slug) == {dashboard.slug for dashboard in DASHBOARDS}
    for dashboard in DASHBOARDS:
        shown = {chart_tables[chart_uuid] for chart_uuid in dashboard.charts}
        refs = set(re.findall(r"ref\('(\w+)'\)", " ".join(by_slug[dashboard.slug]["depends_on"])))
        assert refs == shown, dashboard.slug


@dataclass
class FilteredQueries:
    """Chart data requests (the filters each carried) and failed answers, while filters are applied."""

    filtered_columns: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)

    def request(self, request: Request) -> None:
        if "/api/v1/chart/data" not in request.url or not request.post_data:
            return
        for query in json.loads(request.post_data).get("queries", []):
            self.filtered_columns.update(str(f.get("col")) for f in query.get("filters") or [])

    def response(self, response: Response) -> None:
        if "/api/v1/chart/data" not in response.url:
            return
        try:
            body = response.json()
        except Exception:  # a non-JSON error page is a failure too
            body = {"errors": response.text()[:300]}
        failed = [r.get("error") for r in body.get("result", []) if r.get("error")]
        if response.status != 200 or "errors" in body or failed:
            self.failures.append(f"HTTP {response.status} {str(body.get('errors') or failed)[:300]}")


def apply_every_filter(page: Page) -> list[str]:
    """Pick the first value of every native filter of the bar and apply them together."""
    panel = page.locator('[data-test="dashboard-filters-panel"]')
    selects = panel.locator(".ant-select")
    picked = []
    for index in range(selects.count()):
        select = selects.nth(index)
        select.click()
        select.locator('input[aria-expanded="true"]').wait_for()
        page.wait_for_timeout(300)  # the values load into the open list
        page.keyboard.press("Enter")  # the first value, active when the list opens
        page.keyboard.press("Escape")  # a multiple select stays open
        select.locator('input[aria-expanded="false"]').wait_for()
        picked.append(" + ".join(select.locator(".ant-select-selection-item").all_inner_texts()))
    apply = page.locator('[data-test="filter-bar__apply-button"]')
    if apply.is_enabled():  # disabled when every pick is the value already applied (a default)
        apply.click()
    return picked


def test_native_filters_apply_to_their_charts_without_error(browser, server):
    page = login_page(browser, server, "viewer")
    problems: list[str] = []
    try:
        for dashboard in DASHBOARDS:
            configured = {
                target["column"]["name"] for native in dashboard.filters for target in native["targets"]
            }
            queries = FilteredQueries()
            page.on("request", queries.request)
            page.on("response", queries.response)
            open_dashboard(page, server.url, dashboard)
            picked = apply_every_filter(page)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            page.wait_for_load_state("networkidle")
            page.remove_listener("request", queries.request)
            page.remove_listener("response", queries.response)
            page.screenshot(path=str(SCREENSHOTS / f"filtered-{dashboard.slug}.png"), full_page=True)
            problems += [f"{dashboard.slug} {picked}: {failure}" for failure in queries.failures]
            if missing := configured - queries.filtered_columns:
                problems.append(f"{dashboard.slug}: no chart query filtered on {sorted(missing)}")
            if page.locator(f"{CHART} {ERROR_MARKS}").count():
                problems.append(f"{dashboard.slug} {picked}: a chart shows an error")
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


def test_year_filters_offer_only_the_delivered_years(browser, server):
    """A year filter with a pre-filter lists the years its charts show: not those before the dataset's
    first delivery, which every chart of the dashboard leaves out."""
    prefiltered = [
        (dashboard, native["targets"][0]["column"]["name"], native["adhoc_filters"][0]["sqlExpression"])
        for dashboard in DASHBOARDS
        for native in dashboard.filters
        if native.get("adhoc_filters")
    ]
    marts = {"guarantee-clocks": "guarantee_clocks", "availability-control": "availability_control"}
    marts["vacancies-matching"] = "vacancies_matching"
    assert {(d.slug, column) for d, column, _ in prefiltered} == {
        ("guarantee-clocks", "registration_year"),
        ("availability-control", "year"),
        ("vacancies-matching", "year"),
    }
    page = login_page(browser, server, "viewer")
    try:
        for dashboard, column, where in prefiltered:
            offered: list[int] = []

            def record(response: Response, column: str = column, offered: list[int] = offered) -> None:
                if "/api/v1/chart/data" not in response.url or "form_data" in response.url:
                    return  # a chart's query, not a filter's own
                queries = json.loads(response.request.post_data or "{}").get("queries", [])
                if queries and queries[0].get("columns") == [column]:
                    rows = [row for result in response.json()["result"] for row in result["data"]]
                    offered.extend(row[column] for row in rows)

            page.on("response", record)
            open_dashboard(page, server.url, dashboard)
            page.wait_for_load_state("networkidle")
            page.remove_listener("response", record)
            years = f"select {column} from marts.{marts[dashboard.slug]}"
            every = {row[0] for row in published_rows(server.settings, years)}
            shown = {row[0] for row in published_rows(server.settings, f"{years} where {where}")}
            assert every - shown, dashboard.slug  # the fixture has years before the first delivery
            assert set(offered) == shown, dashboard.slug
    finally:
        page.context.close()
