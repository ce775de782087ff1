"""One writer of the build file at a time, also outside Dagster (CLI, tests, two processes at once).

Dagster's `duckdb_build` pool serialises its own steps; this lock makes a second process wait for the
first instead of failing on DuckDB's file lock.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def exclusive(build_db: Path) -> Iterator[None]:
    build_db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = build_db.with_name(build_db.name + ".lock")
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # blocks until the other writer is done; released on close
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
