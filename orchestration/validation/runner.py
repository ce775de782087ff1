"""Run every suite on the build file: read the tables read-only, validate them with GX, report.

The build file is opened read-only and closed before GX starts, so validation holds DuckDB's lock
only while the tables are read. Every table that will be published has a suite; a mart without one,
or a suite whose required mart is missing, fails the run.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from orchestration.config import Settings
from orchestration.validation import gx_project
from orchestration.validation.frames import BuildTables, check_frame
from orchestration.validation.rules import compile_spec
from orchestration.validation.specs import MIN_ROWS_PARAMETER, SPECS, TableSpec
from orchestration.validation.suites import stale_suites

ROWS_SHOWN = 10  # failing rows quoted per expectation in messages (all of them are in Data Docs)
PUBLISHED_SCHEMAS = ("marts", "audit")
# Written by the gate itself: validated implicitly (they are its own records), never by a suite.
GATE_TABLES = ("audit.validations", "audit.publications")


class GateSetupError(RuntimeError):
    """The gate cannot run (no build file, suites in git out of date with the specs)."""


@dataclass(frozen=True)
class ExpectationFailure:
    expectation: str
    description: str
    column: str | None
    unexpected_count: int
    rows: tuple[dict[str, Any], ...]
    blocking: bool = True  # GX severity "critical"; a "warning" is reported and does not fail the suite

    def describe(self) -> str:
        shown = "; ".join(json.dumps(row, ensure_ascii=False, default=str) for row in self.rows[:ROWS_SHOWN])
        more = f" (+{self.unexpected_count - ROWS_SHOWN} more)" if self.unexpected_count > ROWS_SHOWN else ""
        where = f" on {self.unexpected_count} row(s): {shown}{more}" if self.rows else ""
        warning = "" if self.blocking else "warning: "
        return f"{warning}{self.expectation} [{self.description}]{where}"


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    table: str
    success: bool
    evaluated: int
    failed: int
    rows: int = 0
    fingerprint: str | None = None
    failures: tuple[ExpectationFailure, ...] = ()
    data_docs_page: str | None = None
    note: str | None = None  # why a suite did not run (mart not built yet, no suite for a mart)

    @property
    def ran(self) -> bool:
        return self.note is None

    @property
    def warnings(self) -> tuple[ExpectationFailure, ...]:
        return tuple(f for f in self.failures if not f.blocking)


@dataclass(frozen=True)
class ValidationRun:
    run_id: str
    validated_at: datetime
    results: tuple[SuiteResult, ...]
    data_docs_index: Path
    batch_ids: tuple[int, ...] = field(default=())

    @property
    def success(self) -> bool:
        return all(r.success for r in self.results)

    def failure_report(self) -> str:
        lines = [f"validation run {self.run_id}: {sum(not r.success for r in self.results)} suite(s) failed"]
        for result in self.results:
            if result.success:
                continue
            lines.append(f"* suite {result.suite} ({result.table}): {result.note or ''}".rstrip(": "))
            lines.extend(f"  - {failure.describe()}" for failure in result.failures)
        lines.append(f"Data Docs: {self.data_docs_index.as_uri()}")
        return "\n".join(lines)

    def warning_lines(self) -> list[str]:
        """The failed non-blocking expectations (a gap in a delivered series), one line each."""
        return [
            f"suite {result.suite} ({result.table}): {failure.describe()}"
            for result in self.results
            for failure in result.warnings
        ]


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()  # type: ignore[union-attr]
    if hasattr(value, "item"):
        return value.item()
    return value


def _keyed(row: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """A failing row as key columns first, then the values that failed."""
    ordered = {k: _plain(row[k]) for k in keys if k in row}
    return ordered | {k: _plain(v) for k, v in row.items() if k not in ordered}


def _failures(validation: Any, keys: tuple[str, ...]) -> tuple[ExpectationFailure, ...]:
    failures = []
    for outcome in validation.results:
        if outcome.success:
            continue
        config = outcome.expectation_config
        kwargs = config.kwargs
        column = (
            kwargs.get("column") or kwargs.get("column_A") or ",".join(kwargs.get("column_list", []) or [])
        )
        result = outcome.result or {}
        rows = tuple(_keyed(row, keys) for row in (result.get("unexpected_index_list") or []))
        if outcome.exception_info and outcome.exception_info.get("raised_exception"):
            description = f"{config.description} — error: {outcome.exception_info.get('exception_message')}"
        else:
            description = config.description or ""
        count = result.get("unexpected_count")
        if count is None and "observed_value" in result:
            description = f"{description} (observed {result['observed_value']})"
        failures.append(
            ExpectationFailure(
                expectation=config.type,
                description=description,
                column=column or None,
                unexpected_count=int(count or len(rows)),
                rows=rows,
                blocking=str(getattr(config.severity, "value", config.severity)) != "warning",
            )
        )
    return tuple(failures)


def _unsupervised(tables: BuildTables) -> list[SuiteResult]:
    """Published tables without a suite: a mart nobody specified fails; gate tables are its own."""
    specified = {spec.table for spec in SPECS}
    results = []
    for schema in PUBLISHED_SCHEMAS:
        for table in tables.tables_in(schema):
            if table in specified or table in GATE_TABLES:
                continue
            results.append(
                SuiteResult(
                    suite=table.replace(".", "__"),
                    table=table,
                    success=False,
                    evaluated=0,
                    failed=1,
                    note=f"{table} has no suite: add a spec to orchestration/validation/specs.py",
                )
            )
    return results


def loaded_batch_ids(con: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    """The deliveries the build is made of: loaded or superseded (a superseded one still holds rows)."""
    rows = con.execute(
        "select batch_id from audit.deliveries where status in ('LOADED', 'SUPERSEDED') order by batch_id"
    ).fetchall()
    return tuple(int(b) for (b,) in rows)


def delivered_datasets(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The datasets (source/dataset) with rows in a loaded delivery."""
    rows = con.execute(
        "select distinct source || '/' || dataset from audit.deliveries "
        "where status = 'LOADED' and rows_loaded > 0"
    ).fetchall()
    return {name for (name,) in rows}


@dataclass(frozen=True)
class SuiteInput:
    """What one suite validates: the table's dataframe (with check columns), its row count, its
    fingerprint, and the row-count minimum of this run."""

    spec: TableSpec
    frame: pd.DataFrame
    rows: int
    fingerprint: str
    min_rows: int


def read_frames(build_db: Path) -> tuple[dict[str, SuiteInput], list[SuiteResult], tuple[int, ...]]:
    """Every suite's input, from a read-only open of the build file."""
    if not build_db.exists():
        raise GateSetupError(f"no build file at {build_db}: run ingestion and dbt first")
    frames: dict[str, SuiteInput] = {}
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        tables = BuildTables(con)
        problems = _unsupervised(tables)
        delivered = delivered_datasets(con) if "audit.deliveries" in tables.present else set()
        for spec in SPECS:
            if spec.table not in tables.present:
                if spec.required:
                    problems.append(
                        SuiteResult(
                            spec.suite,
                            spec.table,
                            False,
                            0,
                            1,
                            note=f"{spec.table} is missing from the build",
                        )
                    )
                else:
                    problems.append(SuiteResult(spec.suite, spec.table, True, 0, 0, note="not built yet"))
                continue
            frame = check_frame(compile_spec(spec), tables)
            rows, digest = tables.fingerprint(spec.table)
            frames[spec.suite] = SuiteInput(spec, frame, rows, digest, spec.expected_min_rows(delivered))
        batch_ids = loaded_batch_ids(con) if "audit.deliveries" in tables.present else ()
    finally:
        con.close()
    return frames, problems, batch_ids


def validate(settings: Settings) -> ValidationRun:
    stale = stale_suites()
    if stale:
        raise GateSetupError(
            f"suites in expectations/suites differ from the specs ({', '.join(stale)}): "
            "run `python -m orchestration.validation.suites` and commit the result"
        )
    validated_at = datetime.now(UTC)
    run_id = new_run_id(validated_at)
    frames, problems, batch_ids = read_frames(settings.build_db)
    context = gx_project.open_context(settings)
    # Every spec's asset, built or not, so the yml in git already holds them all and a run never edits it.
    batches = gx_project.ensure_assets(context, SPECS)
    identifier = gx_project.run_identifier(run_id, validated_at)
    results: list[SuiteResult] = []
    outcomes = []
    for suite, read in frames.items():
        spec = read.spec
        checkpoint = gx_project.checkpoint_for(context, spec, batches[suite])
        outcome = checkpoint.run(
            batch_parameters={"dataframe": read.frame},
            expectation_parameters={MIN_ROWS_PARAMETER: read.min_rows},
            run_id=identifier,
        )
        outcomes.append(outcome)
        (validation,) = outcome.run_results.values()
        statistics = validation.statistics
        failures = _failures(validation, spec.keys)
        blocking = sum(f.blocking for f in failures)
        unsuccessful = int(statistics["unsuccessful_expectations"])
        only_warnings = unsuccessful > 0 and unsuccessful == len(failures) - blocking
        results.append(
            SuiteResult(
                suite=suite,
                table=spec.table,
                # GX counts a failed "warning" as a failure of the suite; the gate does not
                success=bool(validation.success) or only_warnings,
                evaluated=int(statistics["evaluated_expectations"]),
                failed=blocking,
                rows=read.rows,
                fingerprint=read.fingerprint,
                failures=failures,
                data_docs_page=gx_project.result_page(context, outcome),
            )
        )
    gx_project.update_data_docs(context, outcomes)
    return ValidationRun(
        run_id=run_id,
        validated_at=validated_at,
        results=tuple(results + problems),
        data_docs_index=settings.data_docs_dir / "index.html",
        batch_ids=batch_ids,
    )
