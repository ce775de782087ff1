"""Click commands to register in the `warehouse` CLI: `ingest` and `bench-ingest`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from orchestration.config import Settings


@click.command("ingest")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per delivery.")
def ingest(as_json: bool) -> None:
    """Ingest every complete, not yet seen delivery of the landing folder into the build file."""
    from orchestration.ingest.run import ingest_landing

    settings = Settings.from_env()
    outcomes = ingest_landing(settings)
    for outcome in outcomes:
        if as_json:
            click.echo(json.dumps(outcome.as_dict()))
        elif outcome.reason or outcome.rows_quarantined:
            detail = outcome.reason or f"{outcome.rows_quarantined} row(s) quarantined"
            click.echo(f"{outcome.status:<10} {outcome.file_name}: {detail}")
    counts = Counter(str(o.status) for o in outcomes)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing new"
    click.echo(f"{len(outcomes)} deliveries ingested into {settings.build_db}: {summary}", err=as_json)


@click.command("bench-ingest")
@click.option("--landing", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@click.option(
    "--workdir", type=click.Path(path_type=Path), default=Path("data/bench-ingest"), show_default=True
)
def bench_ingest(landing: Path, workdir: Path) -> None:
    """Time and peak memory of ingestion vs DuckDB's bare read_csv, and one new month vs the history."""
    from orchestration.benchmarks.ingest import run_benchmark

    run_benchmark(landing.resolve(), workdir.resolve())


if __name__ == "__main__":
    ingest()
