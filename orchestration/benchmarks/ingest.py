"""Ingestion benchmark: time and peak memory of ingestion against DuckDB's own read_csv of the same
files, and the cost of one new month against the history already loaded.

Each measurement runs in a fresh process, so that its peak resident memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from orchestration.config import Settings
from orchestration.contract.formats import SOURCE_FORMATS
from orchestration.ingest.discovery import discover
from orchestration.ingest.sql import literal


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mb: float
    rows: int


def _bare_read(landing: Path) -> int:
    """DuckDB alone: read every complete delivery's CSV (all VARCHAR) into memory, per file."""
    import duckdb

    con = duckdb.connect()
    rows = 0
    for delivery in discover(landing):
        if delivery.dataset is None or not delivery.data_path.exists():
            continue
        fmt = SOURCE_FORMATS[delivery.source]
        encoding = "latin-1" if fmt.encoding == "iso-8859-1" else "utf-8"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM read_csv({literal(str(delivery.data_path))}, "
            f"delim={literal(fmt.delimiter)}, quote='\"', escape='\"', header=true, all_varchar=true, "
            f"encoding={literal(encoding)})"
        )
        rows += con.execute("SELECT count(*) FROM t").fetchall()[0][0]
    con.close()
    return rows


def _ingest(landing: Path, data: Path) -> int:
    from orchestration.ingest.run import ingest_landing

    outcomes = ingest_landing(Settings(landing_dir=landing, data_dir=data))
    return sum(o.rows_loaded + o.rows_quarantined for o in outcomes)


def _child(target: Callable[..., int], args: tuple[object, ...], queue: multiprocessing.Queue) -> None:
    started = time.perf_counter()
    rows = target(*args)
    seconds = time.perf_counter() - started
    queue.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, rows))


def measure(target: Callable[..., int], *args: object) -> Measure:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(target, args, queue))
    process.start()
    seconds, peak, rows = queue.get()
    process.join()
    return Measure(seconds, peak, rows)


def _link_landing(source: Path, target: Path, keep: Callable[[Path], bool]) -> None:
    """A landing folder of hard links (or copies) to the files of `source` that `keep` accepts."""
    for path in source.glob("*/*/*"):
        if path.is_file() and keep(path):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, destination)
            except OSError:
                shutil.copy2(path, destination)


def run_benchmark(landing: Path, workdir: Path) -> None:
    os.environ.setdefault("WAREHOUSE_PSEUDONYM_KEY", "benchmark-key")
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    bare = measure(_bare_read, landing)
    full = measure(_ingest, landing, workdir / "full")
    print(f"DuckDB read_csv alone : {bare.seconds:8.1f} s  peak {bare.peak_mb:7.0f} MB  {bare.rows:,} rows")
    print(f"ingestion             : {full.seconds:8.1f} s  peak {full.peak_mb:7.0f} MB  {full.rows:,} rows")
    print(f"ingestion / bare read : {full.seconds / bare.seconds:8.2f} x")

    periods = sorted({d.period for d in discover(landing) if d.period})
    last = periods[-1].replace("-", "")
    history, month = workdir / "landing_history", workdir / "landing_month"
    _link_landing(landing, history, lambda p: f"_{last}" not in p.name)
    past = measure(_ingest, history, workdir / "incremental")
    _link_landing(landing, history, lambda p: f"_{last}" in p.name)
    new = measure(_ingest, history, workdir / "incremental")
    _link_landing(landing, month, lambda p: f"_{last}" in p.name)
    alone = measure(_ingest, month, workdir / "month_alone")
    print(f"history ({periods[0]}..{periods[-2]}): {past.seconds:8.1f} s  {past.rows:,} rows")
    print(f"new month {periods[-1]} on top   : {new.seconds:8.1f} s  {new.rows:,} rows")
    print(f"same month, empty build  : {alone.seconds:8.1f} s  {alone.rows:,} rows")
    print(
        f"new month / same month on an empty build: {new.seconds / alone.seconds:.2f} x "
        "(about 1: the cost follows the delivery, not the history)"
    )
