"""dbt benchmark: a full `dbt build` against the same compiled SQL run directly in DuckDB, and one new month.

In one run, on one set of deliveries (a scale-1 landing is generated unless one is given):

1. ingest every period but the last, then `dbt build` as Dagster runs it (seeds, models, data tests;
   unit tests run in CI): wall time and peak resident memory of the dbt process;
2. the floor: on a copy of the build file taken before that build, the compiled SQL of the same build
   (every seed read from its CSV, every model as CREATE TABLE AS in dependency order, every data test
   counted) executed by one DuckDB connection in a fresh process;
3. ingest the last period and `dbt build` again (incremental models, everything else rebuilt): the
   ratio of that month's build to the full build, and the same ratio per group of steps (incremental
   models, models rebuilt in full, data tests, seeds); the same month with only the incremental models
   and what they read, on another copy of the build file (the least the month could cost if the other
   models cost nothing: the bound of making more of them incremental); the month's critical path (the
   chain of steps that set its wall time); the month's floor (its compiled SQL on a copy of the build
   file taken before it, the incremental models' new rows replacing the stored ones by key); then once
   more with nothing new: the fixed cost of running every step, whatever arrived, beside which the
   month's own cost stands apart; and one small model alone: dbt's start-up, the least any dbt run costs;
4. for each delivered dataset, the build Dagster runs after a delivery of it alone (the models
   downstream of its raw table, `orchestration.dbt_build.delivery_selection`), with nothing new: what
   each monthly delivery costs when the deliveries arrive one by one, as they do;
5. unless `--no-dagster`: the dbt step as Dagster runs it (`orchestration.assets.dbt`, in-process run on
   a SQLite instance, with its asset checks, mart metadata and docs) against a plain `dbt build` of the
   same warehouse, both rebuilding it once more with nothing new. The docs site is built beforehand: the
   step regenerates it only when the project changed.

Each measured step runs in its own process; its peak RSS comes from `os.wait4`.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from orchestration.benchmarks.dbt_steps import (
    STEP_GROUPS,
    critical_path,
    describe_path,
    is_incremental,
    step_summary,
)
from orchestration.config import PROJECT_ROOT
from orchestration.dbt_build import PRODUCTION_BUILD_ARGS, delivery_selection

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
# A model of a few hundred rows (the calendar months): building it alone measures dbt's start-up.
STARTUP_PROBE = "int_months"
# The incremental models and every model, seed and source they read.
INCREMENTAL_AND_INPUTS = "+config.materialized:incremental"


@dataclass(frozen=True)
class Measure:
    seconds: float
    cpu_seconds: float  # user + system: steadier than wall time on a shared machine
    peak_mb: float


def run_measured(command: list[str], env: dict[str, str], cwd: Path) -> Measure:
    """Run a command to completion; its wall time and peak RSS (its own, via wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.stdout.write(output.decode("utf-8", "replace")[-8000:])
        raise click.ClickException(f"{' '.join(command[:3])} failed with exit code {process.returncode}")
    return Measure(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "WAREHOUSE_CUTOFF"}
    env["WAREHOUSE_DATA_DIR"] = str(data_dir)
    env.setdefault("WAREHOUSE_PSEUDONYM_KEY", "benchmark-key")
    return env


def dbt_build(
    data_dir: Path, target: Path, exclude: tuple[str, ...] = (), select: list[str] | None = None
) -> Measure:
    """`dbt build` as Dagster runs it; `exclude`: more selectors for its --exclude (the last option);
    `select`: only these selectors (default: everything)."""
    command = [str(DBT), "build", *(["--select", *select] if select else [])]
    command += [*PRODUCTION_BUILD_ARGS, *exclude, "--target-path", str(target)]
    command += ["--log-path", str(target / "logs")]
    return run_measured(command, _environment(data_dir), DBT_PROJECT_DIR)


def ingest(landing: Path, data_dir: Path) -> Measure:
    code = (
        "from pathlib import Path; from orchestration.config import Settings; "
        "from orchestration.ingest.run import ingest_landing; "
        f"ingest_landing(Settings(landing_dir=Path({str(landing)!r}), data_dir=Path({str(data_dir)!r})))"
    )
    return run_measured([sys.executable, "-c", code], _environment(data_dir), PROJECT_ROOT)


def _link_landing(source: Path, target: Path, keep: Callable[[Path], bool]) -> None:
    for path in source.glob("*/*/*"):
        if path.is_file() and keep(path):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, destination)
            except OSError:
                shutil.copy2(path, destination)


def floor_statements(manifest_path: Path, incremental: bool = False) -> list[str]:
    """The build's SQL in dependency order: seeds from CSV, models as tables/views, data tests counted.

    Only the nodes the build ran (its run_results.json beside the manifest). `incremental`: the build
    ran its incremental models incrementally (their tables existed), so their compiled SQL selects the
    new rows only; these replace the stored rows of the same key (delete + insert, as dbt-duckdb's
    delete+insert strategy does) instead of replacing the table.
    """
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    run_results = json.loads(manifest_path.with_name("run_results.json").read_text(encoding="utf-8"))
    ran = {result["unique_id"] for result in run_results["results"]}
    nodes = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("seed", "model", "test") and uid in ran
    }
    ordered: list[str] = []
    state: dict[str, int] = {}

    def visit(uid: str) -> None:
        if state.get(uid) == 2 or uid not in nodes:
            return
        state[uid] = 1
        for parent in nodes[uid].get("depends_on", {}).get("nodes", []):
            visit(parent)
        state[uid] = 2
        ordered.append(uid)

    for uid in sorted(nodes):
        visit(uid)
    statements: list[str] = []
    schemas = sorted({nodes[uid]["schema"] for uid in ordered if nodes[uid]["resource_type"] != "test"})
    statements += [f'create schema if not exists "{schema}"' for schema in schemas]
    for uid in ordered:
        node = nodes[uid]
        if node["resource_type"] == "seed":
            path = Path(node["root_path"]) / node["original_file_path"]
            types = node["config"].get("column_types") or {}
            type_map = ", ".join(f"'{c}': '{t}'" for c, t in types.items())
            options = f", types={{{type_map}}}" if type_map else ""
            statements.append(
                f"create or replace table {node['relation_name']} as "
                f"select * from read_csv('{path}', header=true{options})"
            )
        elif incremental and is_incremental(node):
            key = node["config"]["unique_key"]
            key = ", ".join(key) if isinstance(key, list) else key
            relation = node["relation_name"]
            statements.append(f"create or replace temp table floor_new_rows as ({node['compiled_code']})")
            statements.append(f"delete from {relation} where ({key}) in (select {key} from floor_new_rows)")
            statements.append(f"insert into {relation} by name select * from floor_new_rows")
        elif node["resource_type"] == "model":
            kind = "view" if node["config"].get("materialized") == "view" else "table"
            sql = node["compiled_code"]
            statements.append(f"create or replace {kind} {node['relation_name']} as ({sql})")
        elif node.get("compiled_code"):
            statements.append(f"select count(*) from ({node['compiled_code']}) as failures")
    return statements


def raw_tables(manifest: dict) -> list[str]:
    """The raw tables the dbt project reads (`actiris__demandeurs`, ...), one per delivered dataset."""
    return sorted(s["name"] for s in manifest["sources"].values() if s["source_name"] == "raw")


def run_floor(database: Path, statements_file: Path) -> None:
    """Executed in its own process by `floor`: every statement, in order, on one connection."""
    import duckdb

    statements = json.loads(statements_file.read_text(encoding="utf-8"))
    con = duckdb.connect(str(database))
    try:
        for statement in statements:
            con.execute(statement).fetchall()
    finally:
        con.close()


def floor(database: Path, manifest_path: Path, workdir: Path, incremental: bool = False) -> Measure:
    statements_file = workdir / "floor_statements.json"
    statements_file.write_text(json.dumps(floor_statements(manifest_path, incremental)), encoding="utf-8")
    code = (
        "from pathlib import Path; from orchestration.benchmarks.dbt import run_floor; "
        f"run_floor(Path({str(database)!r}), Path({str(statements_file)!r}))"
    )
    return run_measured([sys.executable, "-c", code], dict(os.environ), PROJECT_ROOT)


def run_dagster_step(data_dir: Path, dagster_home: Path, timing_file: Path) -> None:
    """Executed in its own process by `dagster_step`: the dbt assets materialised once, timed."""
    os.environ["WAREHOUSE_DATA_DIR"] = str(data_dir)
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    dagster_home.mkdir(parents=True, exist_ok=True)
    import dagster as dg

    from orchestration.assets.dbt import DBT_RESOURCE, docs_are_current, generate_docs, warehouse_dbt_assets
    from orchestration.config import Settings

    settings = Settings.from_env()
    if not docs_are_current(settings):
        generate_docs(settings)
    with dg.DagsterInstance.get() as instance:
        started = time.perf_counter()
        result = dg.materialize([warehouse_dbt_assets], resources={"dbt": DBT_RESOURCE}, instance=instance)
        seconds = time.perf_counter() - started
    checks = len(result.get_asset_check_evaluations())
    timing_file.write_text(json.dumps({"seconds": seconds, "checks": checks}), encoding="utf-8")


def dagster_step(data_dir: Path, workdir: Path) -> tuple[Measure, float]:
    """The process's measure and the seconds of the Dagster run itself (imports left out)."""
    timing = workdir / "dagster_step.json"
    code = (
        "from pathlib import Path; from orchestration.benchmarks.dbt import run_dagster_step; "
        f"run_dagster_step(Path({str(data_dir)!r}), Path({str(workdir / 'dagster_home')!r}), "
        f"Path({str(timing)!r}))"
    )
    measure = run_measured([sys.executable, "-c", code], _environment(data_dir), PROJECT_ROOT)
    return measure, float(json.loads(timing.read_text(encoding="utf-8"))["seconds"])


def generate_landing(landing: Path, scale: float) -> None:
    shutil.rmtree(landing, ignore_errors=True)
    landing.mkdir(parents=True)
    command = [sys.executable, "-m", "orchestration.cli", "generate", "--landing", str(landing)]
    command += ["--scale", str(scale), "--seed", "1", "--quiet"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def run_benchmark(
    landing: Path | None,
    scale: float,
    workdir: Path,
    with_dagster: bool = True,
    exclude: tuple[str, ...] = (),
) -> None:
    shutil.rmtree(workdir / "history", ignore_errors=True)
    shutil.rmtree(workdir / "floor", ignore_errors=True)
    shutil.rmtree(workdir / "dagster", ignore_errors=True)
    shutil.rmtree(workdir / "month-floor", ignore_errors=True)
    shutil.rmtree(workdir / "month-bound", ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    if landing is None:
        landing = workdir / f"landing-scale-{scale:g}"
        click.echo(f"generating a scale-{scale:g} landing in {landing} ...")
        generate_landing(landing, scale)
    periods = sorted({p.name.split("_")[-1][:6] for p in landing.glob("actiris/demandeurs/*.manifest.json")})
    last = periods[-1]
    history_landing = workdir / "history" / "landing"
    _link_landing(landing, history_landing, lambda p: f"_{last}" not in p.name)
    data = workdir / "history" / "data"
    click.echo(f"ingesting {periods[0]}..{periods[-2]} ...")
    ingest(history_landing, data)
    build_db = data / "build" / "warehouse.duckdb"
    floor_db = workdir / "floor" / "warehouse.duckdb"
    floor_db.parent.mkdir(parents=True)
    shutil.copy(build_db, floor_db)

    click.echo("dbt build (full) ...")
    target = workdir / "history" / "dbt_target"
    full = dbt_build(data, target, exclude)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    full_groups, _ = step_summary(target / "run_results.json", manifest["nodes"])
    click.echo("the same compiled SQL directly in DuckDB ...")
    direct = floor(floor_db, target / "manifest.json", workdir / "floor")

    _link_landing(landing, history_landing, lambda p: f"_{last}" in p.name)
    click.echo(f"ingesting the new month {last} ...")
    ingest(history_landing, data)
    month_floor_db = workdir / "month-floor" / "warehouse.duckdb"
    month_floor_db.parent.mkdir(parents=True)
    shutil.copy(build_db, month_floor_db)
    bound_data = workdir / "month-bound" / "data"
    (bound_data / "build").mkdir(parents=True)
    shutil.copy(build_db, bound_data / "build" / "warehouse.duckdb")
    click.echo("dbt build (one new month) ...")
    month = dbt_build(data, target, exclude)
    month_groups, month_slowest = step_summary(target / "run_results.json", manifest["nodes"])
    month_path = critical_path(target / "run_results.json", manifest["nodes"])
    click.echo("the same compiled SQL of the month directly in DuckDB ...")
    month_direct = floor(month_floor_db, target / "manifest.json", month_floor_db.parent, incremental=True)
    month_floor_db.unlink()
    # The same month with only the incremental models and what they read (and their tests): what the
    # month would cost if the other models cost nothing, the least this design's month can cost.
    click.echo("dbt build (one new month, the incremental models and their inputs alone) ...")
    bound = dbt_build(bound_data, target, exclude, select=[INCREMENTAL_AND_INPUTS])
    bound_groups, _ = step_summary(target / "run_results.json", manifest["nodes"])
    shutil.rmtree(workdir / "month-bound")
    # The same build once more with nothing new: what every build costs whatever arrived.
    click.echo("dbt build again, nothing new ...")
    unchanged = dbt_build(data, target, exclude)
    # dbt's start-up: one small model and its tests, the least any dbt run costs
    click.echo(f"dbt build of one small model ({STARTUP_PROBE}) ...")
    startup = dbt_build(data, target, exclude, select=[STARTUP_PROBE])
    # What a delivery of one dataset alone makes Dagster rebuild (nothing new in it: the steps' cost).
    deliveries: dict[str, tuple[Measure, dict[str, tuple[int, float]]]] = {}
    for table in raw_tables(manifest):
        click.echo(f"dbt build of what a delivery of {table} rebuilds ...")
        measure = dbt_build(data, target, exclude, select=delivery_selection(table))
        deliveries[table] = (measure, step_summary(target / "run_results.json", manifest["nodes"])[0])
    alone = under_dagster = None
    if with_dagster:
        click.echo("dbt build again, alone and as the Dagster step ...")
        # everything, as the Dagster step builds it
        alone = unchanged if not exclude else dbt_build(data, target)
        (workdir / "dagster").mkdir(parents=True)
        under_dagster = dagster_step(data, workdir / "dagster")

    load = os.getloadavg()[0]
    click.echo(f"dbt benchmark: {landing} ({periods[0]}..{periods[-1]}), load average {load:.1f}")
    click.echo(f"  {'':28} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}")
    rows = [
        ("dbt build, full history", full),
        ("same SQL in DuckDB (floor)", direct),
        ("dbt build, one new month", month),
        ("same SQL in DuckDB (floor)", month_direct),
        ("dbt build, nothing new", unchanged),
    ]
    rows += [("dbt build, nothing new, all", alone)] if alone is not None and alone is not unchanged else []
    for label, m in rows:
        click.echo(f"  {label:28} {m.seconds:8.1f} {m.cpu_seconds:8.1f} {m.peak_mb:8.0f}")
    click.echo(
        f"  dbt / floor                  {full.seconds / direct.seconds:8.2f} x wall, "
        f"{full.cpu_seconds / direct.cpu_seconds:.2f} x cpu   (aim: <= 1.5 x)"
    )
    click.echo(
        f"  new month / full build       {month.seconds / full.seconds:8.2f} x wall, "
        f"{month.cpu_seconds / full.cpu_seconds:.2f} x cpu"
    )
    left_out = full_groups.get(STEP_GROUPS[1], (0, 0))[0] - bound_groups.get(STEP_GROUPS[1], (0, 0))[0]
    click.echo(
        f"  its least / full build       {bound.seconds / full.seconds:8.2f} x wall, "
        f"{bound.cpu_seconds / full.cpu_seconds:.2f} x cpu   ({bound.seconds:.1f} s: the month as if the "
        f"{left_out} other models rebuilt in full cost nothing)"
    )
    click.echo(
        f"  its floor / full floor       {month_direct.seconds / direct.seconds:8.2f} x wall, "
        f"{month_direct.cpu_seconds / direct.cpu_seconds:.2f} x cpu   (the month's SQL against the history's)"
    )
    click.echo(
        f"  its dbt / its floor          {month.seconds / month_direct.seconds:8.2f} x wall, "
        f"{month.cpu_seconds / month_direct.cpu_seconds:.2f} x cpu"
    )
    click.echo(
        f"  nothing new / full build     {unchanged.seconds / full.seconds:8.2f} x wall, "
        f"{unchanged.cpu_seconds / full.cpu_seconds:.2f} x cpu   (the fixed cost of running every step)"
    )
    click.echo(
        f"  dbt start-up / full build    {startup.seconds / full.seconds:8.2f} x wall   "
        f"({startup.seconds:.1f} s to build {STARTUP_PROBE} alone: the least a dbt run costs)"
    )
    click.echo(f"  steps, seconds summed over threads {'full':>8} {'month':>8}")
    for group in STEP_GROUPS:
        count, full_seconds = full_groups.get(group, (0, 0.0))
        month_seconds = month_groups.get(group, (0, 0.0))[1]
        ratio = f"{month_seconds / full_seconds:8.2f} x" if full_seconds else ""
        click.echo(f"    {count:4d} {group:28} {full_seconds:8.1f} {month_seconds:8.1f} {ratio}")
    click.echo(
        "  its slowest models: " + ", ".join(f"{name} {seconds:.2f} s" for seconds, name in month_slowest)
    )
    click.echo(f"  its critical path: {describe_path(month_path)}")
    click.echo("  one dataset delivered alone: what Dagster rebuilds after it (its dependants), nothing new")
    for table, (measure, groups) in deliveries.items():
        models = sum(groups.get(group, (0, 0.0))[0] for group in STEP_GROUPS[:2])
        tests = groups.get(STEP_GROUPS[2], (0, 0.0))[0]
        click.echo(
            f"    {table:34} {measure.seconds:6.1f} s wall {measure.seconds / full.seconds:6.2f} x full build"
            f"   ({models} models, {tests} data tests)"
        )
    one_by_one = sum(measure.seconds for measure, _ in deliveries.values())
    click.echo(
        f"    {'all of them, one by one':34} {one_by_one:6.1f} s wall "
        f"{one_by_one / full.seconds:6.2f} x full build   (together, as one new month: {month.seconds:.1f} s)"
    )
    if alone is not None and under_dagster is not None:
        measure, run_seconds = under_dagster
        click.echo(
            f"  {'the same as the Dagster step':28} {run_seconds:8.1f} {measure.cpu_seconds:8.1f} "
            f"{measure.peak_mb:8.0f}   (run only; the process took {measure.seconds:.1f} s with imports)"
        )
        click.echo(f"  Dagster step / dbt alone     {run_seconds / alone.seconds:8.2f} x wall")


@click.command("bench-dbt")
@click.option(
    "--landing",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
    help="An existing landing folder (default: generate one at --scale).",
)
@click.option("--scale", type=float, default=1.0, show_default=True)
@click.option("--workdir", type=click.Path(path_type=Path), default=Path("data/bench-dbt"), show_default=True)
@click.option("--dagster/--no-dagster", default=True, show_default=True, help="Also time the Dagster step.")
@click.option(
    "--exclude",
    multiple=True,
    help="dbt selectors left out of the full and new-month builds and of the floor (repeatable).",
)
def bench_dbt(
    landing: Path | None, scale: float, workdir: Path, dagster: bool, exclude: tuple[str, ...]
) -> None:
    """Time and peak memory of a full dbt build against the floor (its SQL run directly in DuckDB),
    the cost of one new month against the full build, and the dbt step under Dagster against dbt alone."""
    run_benchmark(landing.resolve() if landing else None, scale, workdir.resolve(), dagster, exclude)


if __name__ == "__main__":
    bench_dbt()
