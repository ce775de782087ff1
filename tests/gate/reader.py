"""A reader of the published file, run as its own process by test_concurrent_reader.py.

Mode `fresh`: until the stop file appears, every iteration opens the published file read-only and,
in one query, reads the latest publication id of audit.publications and the publication ids carried
by every published table; they must all be equal (one publication, never a mix).
Mode `held`: one connection opened at the start keeps querying the file it opened (an inode replaced
since) and must keep answering with the same publication. (Its own process: DuckDB shares one
database instance between the connections of a process that open the same path.)
Errors are counted, not raised: the summary goes to a JSON file for the test to judge.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

TABLES = (
    "select table_schema || '.' || table_name from information_schema.tables "
    "where table_name <> 'publications' order by 1"
)


def snapshot(con: duckdb.DuckDBPyConnection) -> tuple[int, list[tuple[str, int, int]]]:
    tables = [t for (t,) in con.execute(TABLES).fetchall()]
    parts = [
        f"select '{t}' as t, min(publication_id) as lo, max(publication_id) as hi "
        f"from {t} having count(*) > 0"
        for t in tables
    ]
    query = (
        "select (select max(publication_id) from audit.publications) as latest, "
        f"(select list((t, lo, hi)) from ({' union all '.join(parts)})) as carried"
    )
    latest, carried = con.execute(query).fetchone()  # one statement: one consistent read
    return int(latest), [(str(t), int(lo), int(hi)) for t, lo, hi in carried]


def main(mode: str, published: Path, stop: Path, out: Path) -> None:
    iterations, errors, mixes, seen = 0, [], [], set()
    held = duckdb.connect(str(published), read_only=True) if mode == "held" else None
    while not stop.exists():
        try:
            con = held or duckdb.connect(str(published), read_only=True)
            try:
                latest, carried = snapshot(con)
            finally:
                if held is None:
                    con.close()
            seen.add(latest)
            if any(lo != latest or hi != latest for _t, lo, hi in carried):
                mixes.append({"latest": latest, "carried": carried})
        except Exception as error:  # the test's subject: any error at all is a finding
            errors.append(f"{type(error).__name__}: {error}")
        iterations += 1
        time.sleep(0.02)  # hammering, but leaving the pipeline a CPU
    if held is not None:
        held.close()
    summary = {
        "iterations": iterations,
        "errors": errors[:20],
        "error_count": len(errors),
        "mixes": mixes[:5],
        "seen": sorted(seen),
    }
    out.write_text(json.dumps(summary), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
