"""The gate on a real build file: clean builds publish, corrupted marts stop the publication.

Every test starts from a copy of a build that was validated and published once (publication 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.config import Settings
from orchestration.publish.publication import PublicationRefused, publish
from orchestration.validation.audit import record_validation
from orchestration.validation.runner import ValidationRun, validate
from orchestration.validation.specs import MART_SPECS, SPECS
from orchestration.validation.suites import stale_suites
from tests.gate.conftest import execute, published_id, rows


def gate(settings: Settings) -> ValidationRun:
    run = validate(settings)
    record_validation(settings.build_db, run)
    return run


def failures_of(run: ValidationRun) -> dict[str, list[str]]:
    return {r.suite: [f.describe() for f in r.failures] for r in run.results if not r.success}


TABLES = "select table_schema, table_name from information_schema.tables"

# One build with every kind of corruption the gate must catch; each names its suite and expectation.
CORRUPTIONS = {
    "rate over 100": (
        "update marts.absenteeism_monthly set absenteeism_rate_pct = 150 "
        "where month = (select min(month) from marts.absenteeism_monthly)",
        "marts__absenteeism_monthly",
        # (a rate over 100 % from its own figures is only reported: overlapping absence spells)
        "absenteeism_rate_pct = absence_workdays / planned_workdays * 100",
    ),
    "rate not numerator over denominator": (
        "update marts.budget_execution set execution_rate_pct = execution_rate_pct + 7 "
        "where month_number = 5 and credit_type = 'ENG'",
        "marts__budget_execution",
        "execution_rate_pct = executed_cumulative_eur / credit_adjusted_eur * 100",
    ),
    "duplicated key": (
        "insert into marts.staff_deployment select * from marts.staff_deployment "
        "where directorate = 'ALL' and month = date '2024-01-01'",
        "marts__staff_deployment",
        "key (month, directorate) unique",
    ),
    "programme sums": (
        "update marts.budget_execution_programme set credit_adjusted_eur = credit_adjusted_eur + 1000 "
        "where month_number = 3",
        "marts__budget_execution_programme",
        "credit_adjusted_eur = sum(credit_adjusted_eur) of marts.budget_execution",
    ),
    "month missing": (
        "delete from marts.absenteeism_monthly where month = date '2024-03-01' and directorate = "
        "(select min(directorate) from marts.absenteeism_monthly)",
        "marts__absenteeism_monthly",
        "no month missing or repeated in the month series within each (directorate)",
    ),
    "yearly not the sum of its months": (
        "update marts.absenteeism_yearly set planned_workdays = absence_workdays - 1 where year = 2023",
        "marts__absenteeism_yearly",
        "= sum(planned_workdays) of marts.absenteeism_monthly",
    ),
    "delivery not accounted for": (
        "update audit.deliveries set rows_loaded = rows_loaded - 1 "
        "where batch_id = (select min(batch_id) from audit.deliveries where status = 'LOADED')",
        "audit__deliveries",
        "check__rows_loaded_not_in_raw within [0, 0]",
    ),
    "implausible value": (
        "update marts.employment_rate_trajectory set employment_rate_pct = 5 where year = 2019",
        "marts__employment_rate_trajectory",
        "employment_rate_pct within [30.0, 90.0]",
    ),
}


def test_suites_in_git_are_generated_from_the_specs() -> None:
    assert stale_suites() == []


def test_every_mart_spec_names_its_keys() -> None:
    assert all(spec.keys and spec.table.startswith("marts.") for spec in MART_SPECS)


def test_clean_build_validates_and_publishes_marts_and_audit_only(warehouse: Settings) -> None:
    run = gate(warehouse)
    assert run.success, run.failure_report()
    ran = {r.table for r in run.results if r.ran}
    assert {"marts.budget_execution", "marts.absenteeism_monthly", "audit.deliveries"} <= ran
    assert all(r.evaluated > 0 for r in run.results if r.ran)
    assert run.data_docs_index.exists()
    pages = [
        Path(r.data_docs_page.removeprefix("file://")) for r in run.results if r.ran and r.data_docs_page
    ]
    assert len(pages) == len(ran) and all(page.exists() for page in pages)

    publication = publish(warehouse)
    assert publication.publication_id == 2
    published = warehouse.published_db
    assert {schema for schema, _ in rows(published, TABLES)} == {"marts", "audit"}
    for schema, table in rows(published, TABLES):
        if table != "publications":
            ids = rows(published, f"select distinct publication_id from {schema}.{table}")
            assert ids in ([(2,)], []), (schema, table, ids)
    latest = rows(
        published,
        "select publication_id, code_version, validation_run_id, batch_ids from audit.publications "
        "order by publication_id desc limit 1",
    )
    assert latest == [(2, publication.code_version, run.run_id, list(run.batch_ids))]
    assert publication.code_version not in ("", "unknown")
    assert rows(published, "select count(*) from audit.validations where run_id = ?", [run.run_id]) == [
        (len(SPECS),)
    ]
    loaded = rows(
        warehouse.build_db,
        "select batch_id from audit.deliveries where status in ('LOADED', 'SUPERSEDED') order by 1",
    )
    assert list(publication.batch_ids) == [b for (b,) in loaded]
    assert rows(warehouse.build_db, "select list(publication_id order by 1) from audit.publications") == [
        ([1, 2],)
    ]
    # Only the published file is left in its folder: no temporary file, no WAL.
    assert sorted(p.name for p in published.parent.iterdir()) == ["warehouse.duckdb"]


def test_corrupted_build_fails_says_where_and_keeps_the_previous_publication(warehouse: Settings) -> None:
    before = warehouse.published_db.stat()
    execute(warehouse, *(sql for sql, _suite, _words in CORRUPTIONS.values()))

    run = gate(warehouse)

    assert not run.success
    failures = failures_of(run)
    report = run.failure_report()
    for name, (_sql, suite, words) in CORRUPTIONS.items():
        assert suite in failures, (name, report)
        assert any(words in failure for failure in failures[suite]), (name, words, failures[suite])
    assert "row(s)" in report and "Data Docs: file://" in report
    with pytest.raises(PublicationRefused, match="failed"):
        publish(warehouse)
    after = warehouse.published_db.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert published_id(warehouse) == 1
    recorded = rows(
        warehouse.build_db,
        "select suite, expectations_failed, success, failures from audit.validations where run_id = ? "
        "and not success order by suite",
        [run.run_id],
    )
    assert {suite for suite, *_ in recorded} == {suite for _sql, suite, _w in CORRUPTIONS.values()}
    assert all(failed > 0 and success is False and text for _s, failed, success, text in recorded)


def test_failure_names_the_rows_by_their_keys(warehouse: Settings) -> None:
    execute(
        warehouse,
        "update marts.staff_deployment set direct_guidance_share_pct = 101 "
        "where month = date '2024-02-01' and directorate = 'ALL'",
    )
    run = validate(warehouse)
    (result,) = [r for r in run.results if r.suite == "marts__staff_deployment"]
    bounded = [f for f in result.failures if "direct_guidance_share_pct is a percentage" in f.description]
    assert len(bounded) == 1
    assert bounded[0].rows == (
        {"month": "2024-02-01", "directorate": "ALL", "direct_guidance_share_pct": 101.0},
    )
    assert 'on 1 row(s): {"month": "2024-02-01", "directorate": "ALL"' in bounded[0].describe()


def test_marts_changed_after_validation_are_not_published(warehouse: Settings) -> None:
    # The copied build holds the passing validation of publication 1; then a mart changes.
    execute(warehouse, "update marts.staff_deployment set target_pct = 70")
    with pytest.raises(PublicationRefused, match="changed since validation"):
        publish(warehouse)
    assert published_id(warehouse) == 1


def test_a_mart_without_a_suite_blocks_publication(warehouse: Settings) -> None:
    execute(warehouse, "create table marts.unchecked as select 1 as x")
    run = gate(warehouse)
    assert not run.success
    assert "marts.unchecked has no suite" in run.failure_report()
    with pytest.raises(PublicationRefused):
        publish(warehouse)


def test_a_lost_build_record_is_repaired_from_the_published_file(warehouse: Settings) -> None:
    """A crash between the swap and the build-file record: the next publication keeps the lost row."""
    execute(warehouse, "delete from audit.publications")
    assert gate(warehouse).success
    second = publish(warehouse)
    assert second.publication_id == 2
    expected = [([1, 2],)]
    assert (
        rows(warehouse.build_db, "select list(publication_id order by 1) from audit.publications") == expected
    )
    assert (
        rows(warehouse.published_db, "select list(publication_id order by 1) from audit.publications")
        == expected
    )
    assert rows(warehouse.published_db, "select count(distinct run_id) from audit.validations") == [(2,)]
