"""Write the published file: only the validated `marts` and `audit` tables, swapped in atomically.

The new file is written beside the published one (same folder, same filesystem), checkpointed,
closed and fsynced, then `os.replace`d over it: a reader that opens the path gets the old or the new
file, never a half-written one, and a reader that already has the old file open keeps reading it
(its inode lives on until closed). Every published table carries the `publication_id` it belongs to.

Nothing is copied unless the latest validation run passed for every table, and each table still has
the fingerprint (row count and row hash) it had when it was validated: marts rebuilt between the
gate and the publication are refused rather than published unvalidated.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.config import Settings
from orchestration.publish.code_version import code_version

PUBLISHED_SCHEMAS = ("marts", "audit")
GATE_TABLES = ("audit.validations", "audit.publications")  # copied as history, not validated by a suite
TEMP_PREFIX = ".publishing-"

PUBLICATIONS_DDL = """
CREATE TABLE IF NOT EXISTS audit.publications (
    publication_id BIGINT PRIMARY KEY,
    published_at TIMESTAMPTZ NOT NULL,
    code_version VARCHAR NOT NULL,
    batch_ids BIGINT[] NOT NULL,
    validation_run_id VARCHAR NOT NULL,
    deliveries INTEGER NOT NULL,
    tables VARCHAR[] NOT NULL
)
"""


class PublicationRefused(RuntimeError):
    """The gate did not let this build through; the previous publication stays in place."""


@dataclass(frozen=True)
class Publication:
    publication_id: int
    published_at: datetime
    code_version: str
    validation_run_id: str
    batch_ids: tuple[int, ...]
    tables: tuple[str, ...]
    path: Path


def _q(table: str) -> str:
    return ".".join(f'"{p}"' for p in table.split("."))


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = ? and table_schema in ('marts', 'audit') order by 1, 2",
        [catalog],
    ).fetchall()
    return [f"{schema}.{name}" for schema, name in rows]


def _validation_run(con: duckdb.DuckDBPyConnection, run_id: str | None) -> tuple[str, dict[str, tuple]]:
    if "audit.validations" not in _tables(con, "build"):
        raise PublicationRefused("no validation has run on this build (audit.validations is empty)")
    if run_id is None:
        latest = con.execute(
            "select run_id from build.audit.validations order by validated_at desc, run_id desc limit 1"
        ).fetchone()
        if latest is None:
            raise PublicationRefused("no validation has run on this build (audit.validations is empty)")
        run_id = str(latest[0])
    rows = con.execute(
        "select table_name, success, fingerprint, suite, note from build.audit.validations where run_id = ?",
        [run_id],
    ).fetchall()
    if not rows:
        raise PublicationRefused(f"validation run {run_id} is not in audit.validations")
    failed = [f"{suite} ({note or 'failed'})" for _t, success, _f, suite, note in rows if not success]
    if failed:
        raise PublicationRefused(f"validation run {run_id} failed: {', '.join(failed)}")
    return run_id, {table: (success, fingerprint) for table, success, fingerprint, _s, _n in rows}


def _check_fingerprints(
    con: duckdb.DuckDBPyConnection, run_id: str, validated: dict[str, tuple], tables: list[str]
) -> None:
    for table in tables:
        if table in GATE_TABLES:
            continue
        if table not in validated or validated[table][1] is None:
            raise PublicationRefused(f"{table} was not validated by run {run_id}")
        rows, digest = con.execute(
            f"select count(*), coalesce(sum(hash(t)), 0)::varchar from build.{_q(table)} as t"
        ).fetchone() or (0, "0")
        if f"{digest}" != validated[table][1]:
            raise PublicationRefused(
                f"{table} changed since validation run {run_id} ({rows} rows now): validate again"
            )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_leftovers(folder: Path) -> None:
    """Temporary files of a publication that crashed before its swap: never read by anyone."""
    for leftover in folder.glob(f"{TEMP_PREFIX}*"):
        leftover.unlink(missing_ok=True)


def publish(settings: Settings, validation_run_id: str | None = None) -> Publication:
    """Copy the validated marts and audit tables to a new file and swap it in; record the publication."""
    target = settings.published_db
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent)
    temporary = target.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex}.duckdb"
    published_at = datetime.now(UTC)
    version = code_version()
    con = duckdb.connect(str(temporary))
    try:
        con.execute(f"ATTACH '{settings.build_db}' AS build (READ_ONLY)")
        previous_rows: list[tuple] = []
        if target.exists():
            con.execute(f"ATTACH '{target}' AS previous (READ_ONLY)")
            if "audit.publications" in _tables(con, "previous"):
                previous_rows = con.execute("select * from previous.audit.publications").fetchall()
            con.execute("DETACH previous")
        run_id, validated = _validation_run(con, validation_run_id)
        tables = _tables(con, "build")
        _check_fingerprints(con, run_id, validated, tables)
        has_history = "audit.publications" in tables
        build_ids = (
            {int(i) for (i,) in con.execute("select publication_id from build.audit.publications").fetchall()}
            if has_history
            else set()
        )
        # A publication swapped in whose build-file record was lost (a crash right after the swap).
        orphans = [row for row in previous_rows if int(row[0]) not in build_ids]
        publication_id = max(build_ids | {int(r[0]) for r in previous_rows} | {0}) + 1
        batch_ids = tuple(
            int(b)
            for (b,) in con.execute(
                "select batch_id from build.audit.deliveries "
                "where status in ('LOADED', 'SUPERSEDED') order by batch_id"
            ).fetchall()
        )
        content = [t for t in tables if t not in GATE_TABLES]
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f"CREATE SCHEMA {schema}")
        for table in [*content, "audit.validations"]:
            con.execute(
                f"CREATE TABLE {_q(table)} AS SELECT *, {publication_id}::BIGINT AS publication_id "
                f"FROM build.{_q(table)}"
            )
        con.execute(PUBLICATIONS_DDL)
        if has_history:
            con.execute("INSERT INTO audit.publications SELECT * FROM build.audit.publications")
        new_rows = [
            *orphans,
            (publication_id, published_at, version, list(batch_ids), run_id, len(batch_ids), content),
        ]
        con.executemany("INSERT INTO audit.publications VALUES (?, ?, ?, ?, ?, ?, ?)", new_rows)
        con.execute("DETACH build")
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        temporary.unlink(missing_ok=True)
        raise
    con.close()
    _fsync(temporary)
    os.replace(temporary, target)
    _fsync(target.parent)  # the rename itself survives a power cut
    _record_in_build(settings.build_db, new_rows)
    return Publication(publication_id, published_at, version, run_id, batch_ids, tuple(content), target)


def _record_in_build(build_db: Path, rows: list[tuple]) -> None:
    """The build file keeps the history too: the next publication copies it from there."""
    con = duckdb.connect(str(build_db))
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute(PUBLICATIONS_DDL)
        con.executemany("INSERT OR IGNORE INTO audit.publications VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    finally:
        con.close()
