"""The `warehouse` command: every user-facing entry point of the project."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from orchestration.config import Settings
from orchestration.synthetic.timeline import parse_period

DEFAULT_FROM = "2016-01"
DEFAULT_TO = "2025-12"


def _period(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[int, int]:
    try:
        return parse_period(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a month in the form YYYY-MM") from error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Brussels employment data warehouse: landing exports -> DuckDB -> validated marts.

    Configuration comes from the environment: WAREHOUSE_LANDING_DIR (default ./landing),
    WAREHOUSE_DATA_DIR (default ./data), WAREHOUSE_PSEUDONYM_KEY (default: a random key kept in the
    data folder).
    """


@main.command()
@click.option("--landing", type=click.Path(path_type=Path), help="Landing folder [WAREHOUSE_LANDING_DIR].")
@click.option("--scale", type=float, default=1.0, show_default=True, help="1 = the real Brussels volumes.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same bytes.")
@click.option("--from", "first", default=DEFAULT_FROM, show_default=True, callback=_period, help="YYYY-MM")
@click.option("--to", "last", default=DEFAULT_TO, show_default=True, callback=_period, help="YYYY-MM")
@click.option("--defects", is_flag=True, help="Add the documented catalogue of contract violations.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def generate(
    landing: Path | None,
    scale: float,
    seed: int,
    first: tuple[int, int],
    last: tuple[int, int],
    defects: bool,
    quiet: bool,
) -> None:
    """Write synthetic monthly deliveries of every dataset of the landing contract."""
    from orchestration.synthetic.generate import generate as run_generation

    target = (landing or Settings.from_env().landing_dir).resolve()
    report = run_generation(target, scale=scale, seed=seed, first=first, last=last, show_progress=not quiet)
    if defects:
        from orchestration.synthetic.defects import write_defects

        catalogue = write_defects(target)
        click.echo(f"added {len(catalogue)} defective deliveries (catalogue: {target / 'DEFECTS.json'})")
    click.echo(
        f"wrote {sum(report.files.values())} deliveries, {sum(report.rows.values()):,} rows, "
        f"{report.bytes_written / 1e6:.1f} MB to {target} in {report.seconds:.1f} s"
    )


@main.command()
@click.option("--landing", type=click.Path(exists=True, path_type=Path), help="[WAREHOUSE_LANDING_DIR]")
def volumes(landing: Path | None) -> None:
    """Print the volumes of a landing folder against the real Brussels figures (scaled)."""
    from orchestration.synthetic.volumes import print_volumes

    print_volumes((landing or Settings.from_env().landing_dir).resolve())


@main.command()
@click.option("--scale", type=float, default=1.0, show_default=True)
@click.option("--workdir", type=click.Path(path_type=Path), default=Path("data/bench"), show_default=True)
def bench_generate(scale: float, workdir: Path) -> None:
    """Time the generator: seconds, peak memory and rows written per dataset."""
    from orchestration.benchmarks.generate import run_benchmark

    run_benchmark(scale, workdir.resolve())


@main.command()
@click.option("--scale", type=float, default=1.0, show_default=True, help="Scale of the landing folder.")
@click.option("--db", type=click.Path(exists=True, path_type=Path), help="Published file to read.")
def calibrate(scale: float, db: Path | None) -> None:
    """Print the published marts beside the levels of the joint activity report 2020."""
    from orchestration.calibration import compare, format_comparisons

    click.echo(format_comparisons(compare(db or Settings.from_env().published_db, scale), scale))


@main.command()
def run() -> None:
    """Ingest -> build -> validate -> publish once; exit 0 only when a publication happened."""
    from orchestration.pipeline import run_pipeline

    settings = Settings.from_env()
    sys.exit(run_pipeline(settings))


@main.command()
def serve() -> None:
    """Serve Dagster's UI (and its daemon: sensors, schedules) on 127.0.0.1:3000 until Ctrl-C."""
    from orchestration.serve import serve_forever

    serve_forever(Settings.from_env())


@main.command()
@click.option("--scale", type=float, default=lambda: float(os.environ.get("WAREHOUSE_SCALE", "0.1")))
def start(scale: float) -> None:
    """The main job: synthetic deliveries if the landing folder is empty, a full build, then serve."""
    from orchestration.pipeline import run_pipeline
    from orchestration.serve import serve_forever
    from orchestration.synthetic.generate import generate as run_generation

    settings = Settings.from_env()
    settings.ensure_folders()
    if not any(p for p in settings.landing_dir.rglob("*.manifest.json")):
        click.echo(
            f"landing folder {settings.landing_dir} is empty: generating synthetic deliveries (scale {scale})"
        )
        run_generation(
            settings.landing_dir,
            scale=scale,
            seed=1,
            first=parse_period(DEFAULT_FROM),
            last=parse_period(DEFAULT_TO),
            show_progress=True,
        )
    status = run_pipeline(settings)
    if status != 0:
        click.echo("the build failed (see above); serving the UI anyway so you can inspect it", err=True)
    serve_forever(settings)


def _register_commands() -> None:
    from orchestration.auditor_sql import sql
    from orchestration.benchmarks.dbt import bench_dbt
    from orchestration.benchmarks.gate import bench_gate
    from orchestration.ingest.cli import bench_ingest, ingest

    for command in (ingest, sql, bench_ingest, bench_dbt, bench_gate):
        main.add_command(command)


_register_commands()

if __name__ == "__main__":
    main()
