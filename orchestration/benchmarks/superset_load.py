"""Load test: N concurrent users open every dashboard; chart query times and errors.

    python -m orchestration.benchmarks.superset_load                 # start Superset on $WAREHOUSE_DATA_DIR
    python -m orchestration.benchmarks.superset_load --url http://127.0.0.1:8088   # a running server

The chart queries are exactly those a browser sends: Debian's chromium (driven by playwright) opens
each dashboard once as the admin and the script records the body of every chart data request (with the
native filters' defaults applied). Then each of `--users` users logs in with its own session (the
viewer's login) and opens every dashboard `--rounds` times, firing that dashboard's chart queries six
at a time, as a browser does. Two phases: every query forced past Superset's data cache (DuckDB
answers each, concurrently), then as users get it (the cache kept per publication). Each prints the
median and 95th percentile chart time and the error count, overall and per dashboard (every dashboard
of the bundle, the job seekers' side included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from orchestration.config import Settings
from orchestration.superset import logins, start_superset, superset_url
from orchestration.superset.client import SupersetClient
from orchestration.superset.paths import BUNDLE_DIR

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
BROWSER_PARALLEL_REQUESTS = 6


@dataclass(frozen=True)
class ChartQuery:
    dashboard: str
    path: str  # /api/v1/chart/data?form_data=...&dashboard_id=...
    body: str


@dataclass(frozen=True)
class Sample:
    dashboard: str
    seconds: float
    error: str | None


def dashboard_slugs() -> list[str]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))["slug"]
        for path in sorted((BUNDLE_DIR / "dashboards").glob("*.yaml"))
    ]


def capture_queries(url: str, username: str, password: str) -> list[ChartQuery]:
    """The chart data requests a real browser sends when it opens each dashboard."""
    from playwright.sync_api import sync_playwright

    queries: list[ChartQuery] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1300})
        page.set_default_timeout(120_000)
        page.goto(f"{url}/login/")
        page.fill("#username", username)
        page.fill("#password", password)
        page.press("#password", "Enter")
        page.wait_for_url(lambda u: "/login" not in u)
        for slug in dashboard_slugs():
            seen: list[ChartQuery] = []

            def record(request, slug: str = slug, seen: list[ChartQuery] = seen) -> None:  # noqa: ANN001
                if "/api/v1/chart/data" in request.url and "slice_id" in request.url:
                    seen.append(ChartQuery(slug, request.url.removeprefix(url), request.post_data or "{}"))

            page.on("request", record)
            page.goto(f"{url}/superset/dashboard/{slug}/")
            page.wait_for_selector('[data-test="chart-grid-component"]')
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(2000)
            page.remove_listener("request", record)
            queries.extend(seen)
        browser.close()
    return queries


def _fire(client: SupersetClient, query: ChartQuery, force: bool) -> Sample:
    body = json.loads(query.body)
    body["force"] = force  # force: past Superset's data cache, straight to DuckDB
    started = time.perf_counter()
    error: str | None = None
    try:
        response = client.session.post(
            f"{client.url}{query.path}",
            data=json.dumps(body),
            headers={"Content-Type": "application/json"},
            timeout=client.timeout,
        )
        if response.status_code != 200:
            error = f"HTTP {response.status_code}: {response.text[:200]}"
        else:
            results = response.json().get("result", [])
            failed = [r.get("error") for r in results if r.get("error") or r.get("status") == "failed"]
            if failed:
                error = str(failed[0])[:200]
    except Exception as exception:  # a timeout or a dropped connection is an error of the run
        error = f"{type(exception).__name__}: {exception}"[:200]
    return Sample(query.dashboard, time.perf_counter() - started, error)


def run_load(
    url: str, username: str, password: str, queries: list[ChartQuery], users: int, rounds: int, force: bool
) -> tuple[list[Sample], float]:
    # Log the users in one after the other (the login endpoint is rate-limited), then start together.
    clients = [SupersetClient(url, username, password) for _ in range(users)]
    by_dashboard: dict[str, list[ChartQuery]] = {}
    for query in queries:
        by_dashboard.setdefault(query.dashboard, []).append(query)
    samples: list[Sample] = []
    lock = threading.Lock()
    start = threading.Barrier(users)

    def user(client: SupersetClient) -> None:
        start.wait()
        with ThreadPoolExecutor(BROWSER_PARALLEL_REQUESTS) as pool:
            for _ in range(rounds):
                for dashboard_queries in by_dashboard.values():
                    results = list(pool.map(lambda q: _fire(client, q, force), dashboard_queries))
                    with lock:
                        samples.extend(results)

    began = time.perf_counter()
    threads = [threading.Thread(target=user, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - began


def report(title: str, samples: list[Sample], wall: float, users: int, rounds: int) -> int:
    times = sorted(s.seconds for s in samples)
    errors = [s for s in samples if s.error]
    p95 = _percentile(times, 0.95)
    print(f"{title}: {users} concurrent users x {rounds} round(s) x every dashboard")
    print(f"  chart requests      {len(samples):>8}")
    print(f"  median chart time   {statistics.median(times):>8.3f} s")
    print(f"  95th percentile     {p95:>8.3f} s")
    print(f"  slowest             {times[-1]:>8.3f} s")
    print(f"  wall time           {wall:>8.1f} s  ({len(samples) / wall:.1f} charts/s)")
    print(f"  errors              {len(errors):>8}")
    for sample in errors[:10]:
        print(f"    {sample.dashboard}: {sample.error}")
    print(f"  {'by dashboard':<24} {'charts':>8} {'median s':>9} {'p95 s':>8} {'errors':>7}")
    for dashboard, own in sorted(by_dashboard(samples).items()):
        own_times = sorted(s.seconds for s in own)
        own_errors = sum(1 for s in own if s.error)
        own_p95 = _percentile(own_times, 0.95)
        median = statistics.median(own_times)
        print(f"  {dashboard:<24} {len(own):>8} {median:>9.3f} {own_p95:>8.3f} {own_errors:>7}")
    return 1 if errors else 0


def _percentile(sorted_times: list[float], share: float) -> float:
    return sorted_times[max(0, int(round(share * len(sorted_times))) - 1)]


def by_dashboard(samples: list[Sample]) -> dict[str, list[Sample]]:
    grouped: dict[str, list[Sample]] = {}
    for sample in samples:
        grouped.setdefault(sample.dashboard, []).append(sample)
    return grouped


@contextmanager
def _server(url: str | None, settings: Settings) -> Iterator[str]:
    if url:
        yield url.rstrip("/")
        return
    process = start_superset(settings)
    try:
        yield superset_url()
    finally:
        process.terminate()
        process.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--url", help="a running Superset; default: start one on $WAREHOUSE_DATA_DIR")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="times each user opens every dashboard")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if not settings.published_db.exists() and not args.url:
        print(f"no publication at {settings.published_db}: build one first", file=sys.stderr)
        return 2
    accounts = {login.key: login for login in logins(settings)}
    with _server(args.url, settings) as url:
        admin, viewer = accounts["admin"], accounts["viewer"]
        queries = capture_queries(url, admin.username, admin.password)
        print(f"captured {len(queries)} chart queries from {len(dashboard_slugs())} dashboards at {url}")
        size = Path(settings.published_db).stat().st_size / 1e6
        print(f"published file: {settings.published_db} ({size:.1f} MB)")
        status = 0
        phases = (("every query to DuckDB (force, no cache)", True), ("as users get it (data cache)", False))
        for title, force in phases:
            login = (viewer.username, viewer.password)
            samples, wall = run_load(url, *login, queries, args.users, args.rounds, force)
            status |= report(title, samples, wall, args.users, args.rounds)
        return status


if __name__ == "__main__":
    sys.exit(main())
