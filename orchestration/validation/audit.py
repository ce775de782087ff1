"""`audit.validations` in the build file: one row per suite of every validation run."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from orchestration.validation.runner import ValidationRun

VALIDATIONS_DDL = """
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.validations (
    run_id VARCHAR NOT NULL,
    suite VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    expectations_evaluated INTEGER NOT NULL,
    expectations_failed INTEGER NOT NULL,
    success BOOLEAN NOT NULL,
    validated_at TIMESTAMPTZ NOT NULL,
    rows_validated BIGINT,
    fingerprint VARCHAR,
    failures VARCHAR,
    note VARCHAR,
    data_docs_page VARCHAR,
    PRIMARY KEY (run_id, suite)
)
"""


def record_validation(build_db: Path, run: ValidationRun) -> None:
    """Append the run's rows in one transaction (the gate holds the build file's only writer slot)."""
    con = duckdb.connect(str(build_db))
    try:
        con.execute(VALIDATIONS_DDL)
        con.execute("BEGIN TRANSACTION")
        con.executemany(
            "INSERT INTO audit.validations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    run.run_id,
                    r.suite,
                    r.table,
                    r.evaluated,
                    r.failed,
                    r.success,
                    run.validated_at,
                    r.rows if r.ran else None,
                    r.fingerprint,
                    json.dumps([f.describe() for f in r.failures], ensure_ascii=False)
                    if r.failures
                    else None,
                    r.note,
                    r.data_docs_page,
                ]
                for r in run.results
            ],
        )
        con.execute("COMMIT")
    finally:
        con.close()
