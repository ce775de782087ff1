"""Gate benchmark: what validation and publication add to a build (target: at most a quarter).

Generates the landing folder if it is empty, then times, in this order and on the same data folder:
ingestion, `dbt build` (together: the build), validation (GX suites, Data Docs, audit.validations)
and publication (copy, fsync, swap). Run: `python -m orchestration.benchmarks.gate --scale 1`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from orchestration.config import PROJECT_ROOT, Settings

TARGET_SHARE = 0.25
T = TypeVar("T")


def _timed(label: str, action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    click.echo(f"  {label:<12} {seconds:8.1f} s")
    return seconds, result


def _dbt_build(data_dir: Path) -> None:
    env = {**os.environ, "WAREHOUSE_DATA_DIR": str(data_dir)}
    subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--quiet",
            "--target-path",
            str(data_dir / "dbt_target"),
            "--log-path",
            str(data_dir / "dbt_logs"),
        ],
        cwd=PROJECT_ROOT / "dbt_project",
        env=env,
        check=True,
    )


def run_benchmark(scale: float, workdir: Path) -> float:
    """Print the timings; return the gate's share of the build."""
    from orchestration.ingest.run import ingest_landing
    from orchestration.publish.publication import publish
    from orchestration.synthetic.generate import generate
    from orchestration.validation.audit import record_validation
    from orchestration.validation.runner import validate

    settings = Settings(landing_dir=workdir / "landing", data_dir=workdir / "data")
    if not any(settings.landing_dir.rglob("*.manifest.json")):
        click.echo(f"generating scale {scale} deliveries in {settings.landing_dir}")
        generate(
            settings.landing_dir, scale=scale, seed=1, first=(2016, 1), last=(2025, 12), show_progress=False
        )
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    settings.ensure_folders()
    os.environ["WAREHOUSE_DATA_DIR"] = str(settings.data_dir)
    os.environ.setdefault("WAREHOUSE_PSEUDONYM_KEY", "benchmark")
    click.echo(f"gate benchmark, scale {scale}, {workdir}")
    ingest, _ = _timed("ingest", lambda: ingest_landing(settings))
    dbt, _ = _timed("dbt build", lambda: _dbt_build(settings.data_dir))
    validation, run = _timed("validation", lambda: validate(settings))
    if not run.success:
        raise click.ClickException(run.failure_report())
    publication, _ = _timed(
        "publication", lambda: (record_validation(settings.build_db, run), publish(settings))
    )
    build = ingest + dbt
    share = (validation + publication) / build
    verdict = "within" if share <= TARGET_SHARE else "OVER"
    click.echo(
        f"  build {build:.1f} s; validation + publication {validation + publication:.1f} s = "
        f"{share:.1%} of the build ({verdict} the {TARGET_SHARE:.0%} target)"
    )
    return share


@click.command("bench-gate")
@click.option("--scale", type=float, default=1.0, show_default=True)
@click.option(
    "--workdir", type=click.Path(path_type=Path), default=Path("data/bench-gate"), show_default=True
)
def bench_gate(scale: float, workdir: Path) -> None:
    """Time validation and publication against the build they follow (target: at most +25 %)."""
    run_benchmark(scale, workdir.resolve())


if __name__ == "__main__":
    bench_gate()
