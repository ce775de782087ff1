"""Benchmark of the synthetic export generator: wall time, peak memory, rows written per dataset.

The generator runs in a child process so that its peak resident memory is measured on its own.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path


def run_benchmark(scale: float, workdir: Path, first: str = "2016-01", last: str = "2025-12") -> None:
    landing = workdir / f"landing-scale-{scale:g}"
    shutil.rmtree(landing, ignore_errors=True)
    landing.mkdir(parents=True)
    command = [sys.executable, "-m", "orchestration.cli", "generate", "--landing", str(landing)]
    command += ["--scale", str(scale), "--seed", "1", "--from", first, "--to", last, "--quiet"]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    rows: Counter[str] = Counter()
    size: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for manifest_path in sorted(landing.rglob("*.manifest.json")):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        name = f"{manifest['source']}/{manifest['dataset']}"
        rows[name] += manifest["rows"]
        files[name] += 1
        data_file = manifest_path.with_name(manifest_path.name.replace(".manifest.json", ".csv"))
        size[name] += data_file.stat().st_size
    print(f"generator benchmark: scale {scale:g}, {first} .. {last}")
    print(f"  wall time      {seconds:8.1f} s")
    print(f"  peak memory    {peak_mb:8.0f} MB (child process RSS)")
    print(f"  rows written   {sum(rows.values()):>12,}  ({sum(rows.values()) / seconds:,.0f} rows/s)")
    print(f"  bytes written  {sum(size.values()) / 1e6:10.1f} MB in {sum(files.values())} deliveries")
    print(f"  {'dataset':34} {'files':>6} {'rows':>12} {'MB':>9}")
    for name in sorted(rows):
        print(f"  {name:34} {files[name]:>6} {rows[name]:>12,} {size[name] / 1e6:>9.1f}")
