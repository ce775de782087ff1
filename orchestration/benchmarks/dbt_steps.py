"""What one `dbt build` spent its time on, read from its run_results.json and the manifest's nodes:
seconds per group of steps, its slowest models, and its critical path (the chain of steps that set its
wall time)."""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

STEP_GROUPS = ("incremental models", "models rebuilt in full", "data tests", "seeds")


def is_incremental(node: dict) -> bool:
    """A manifest node materialized incremental."""
    return node["resource_type"] == "model" and node["config"].get("materialized") == "incremental"


def _step_group(node: dict) -> str:
    if node["resource_type"] == "model":
        return STEP_GROUPS[0] if is_incremental(node) else STEP_GROUPS[1]
    return STEP_GROUPS[2] if node["resource_type"] == "test" else STEP_GROUPS[3]


def _results(run_results_path: Path) -> list[dict]:
    return json.loads(run_results_path.read_text(encoding="utf-8"))["results"]


def step_summary(
    run_results_path: Path, nodes: dict[str, dict], top: int = 6
) -> tuple[dict[str, tuple[int, float]], list[tuple[float, str]]]:
    """Of one build's run_results.json (`nodes`: the manifest's): (steps, summed seconds) per group of
    STEP_GROUPS, and its slowest models.

    Steps run side by side on several threads, so their seconds add up to more than the wall time; they
    tell what the build spends its time on, not how long it took.
    """
    results = _results(run_results_path)
    groups: dict[str, tuple[int, float]] = {}
    for result in results:
        node = nodes.get(result["unique_id"])
        if node is None:  # exposures: no work
            continue
        group = _step_group(node)
        count, seconds = groups.get(group, (0, 0.0))
        groups[group] = (count + 1, seconds + float(result["execution_time"]))
    slowest = sorted(
        (
            (float(r["execution_time"]), r["unique_id"].split(".")[-1])
            for r in results
            if r["unique_id"].startswith("model.")
        ),
        reverse=True,
    )[:top]
    return groups, slowest


@dataclass(frozen=True)
class Step:
    unique_id: str
    started: float  # seconds after the build's first step started
    finished: float

    @property
    def name(self) -> str:
        """A model's or seed's name, or "data tests" (a test the next step waited for)."""
        return "data tests" if self.unique_id.startswith("test.") else self.unique_id.split(".")[-1]


def _spans(results: list[dict]) -> dict[str, tuple[float, float]]:
    spans: dict[str, tuple[float, float]] = {}
    for result in results:
        timed = [t for t in result.get("timing", []) if t.get("started_at") and t.get("completed_at")]
        if timed:
            start = datetime.fromisoformat(timed[0]["started_at"].replace("Z", "+00:00")).timestamp()
            end = datetime.fromisoformat(timed[-1]["completed_at"].replace("Z", "+00:00")).timestamp()
            spans[result["unique_id"]] = (start, end)
    return spans


def critical_path(run_results_path: Path, nodes: dict[str, dict]) -> list[Step]:
    """The chain of steps that ended last: from the last step to finish, back through the step it waited
    for longest (the parent, or a data test of a parent, that finished last before it started), to a
    step that waited for nothing. In `dbt build` a model starts only once its parents' data tests have
    passed, so tests are links of the chain."""
    spans = _spans(_results(run_results_path))
    if not spans:
        return []
    origin = min(start for start, _ in spans.values())
    tests_of: dict[str, list[str]] = {}
    for uid, node in nodes.items():
        if node["resource_type"] == "test" and uid in spans:
            for parent in node.get("depends_on", {}).get("nodes", []):
                tests_of.setdefault(parent, []).append(uid)

    def waited_for(uid: str) -> str | None:
        start = spans[uid][0]
        parents = list(nodes.get(uid, {}).get("depends_on", {}).get("nodes", []))
        if nodes.get(uid, {}).get("resource_type") != "test":
            parents += [test for parent in parents for test in tests_of.get(parent, [])]
        # a link finished before this step started (which also keeps the walk from going round)
        done = [p for p in parents if p in spans and spans[p][1] <= start + 0.01 and spans[p][0] < start]
        return max(done, key=lambda p: spans[p][1]) if done else None

    chain: list[str] = []
    current: str | None = max(spans, key=lambda uid: spans[uid][1])
    while current is not None:
        chain.append(current)
        current = waited_for(current)
    return [Step(uid, spans[uid][0] - origin, spans[uid][1] - origin) for uid in reversed(chain)]


def describe_path(steps: list[Step]) -> str:
    """`a 1.7 s, data tests 0.6 s, b 3.2 s` and the seconds spent waiting between the steps."""
    if not steps:
        return "no timed steps"
    links = ", ".join(f"{step.name} {step.finished - step.started:.1f} s" for step in steps)
    busy = sum(step.finished - step.started for step in steps)
    waiting = steps[-1].finished - steps[0].started - busy
    return f"{links} ({busy:.1f} s of work, {waiting:.1f} s waiting for a free thread between the steps)"
