"""`warehouse sql`: read-only queries on the published file; writes refused with a clear message."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from orchestration.auditor_sql import sql
from orchestration.config import Settings


def invoke(*args: str):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(sql, list(args), catch_exceptions=False)


def test_select_prints_a_table(warehouse: Settings) -> None:
    result = invoke("select publication_id, validation_run_id from audit.publications order by 1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["publication_id", "validation_run_id"]
    assert lines[2].split()[0] == "1" and lines[-1] == "(1 row)"


def test_csv_output_traces_a_figure_to_its_deliveries(warehouse: Settings) -> None:
    result = invoke(
        "--csv",
        "select d.batch_id, d.file_name, d.sha256 "
        "from audit.publications p, unnest(p.batch_ids) as b(batch_id) "
        "join audit.deliveries d using (batch_id) "
        "where p.publication_id = 1 and d.dataset = 'budget' order by 1",
    )
    assert result.exit_code == 0, result.output
    records = list(csv.DictReader(io.StringIO(result.output)))
    assert records and all(
        r["file_name"].startswith("actiris/budget/") and len(r["sha256"]) == 64 for r in records
    )


@pytest.mark.parametrize(
    "statement",
    [
        "delete from marts.budget_execution",
        "update audit.publications set code_version = 'x'",
        "insert into audit.deliveries select * from audit.deliveries",
        "create table marts.mine as select 1",
        "drop table marts.budget_execution",
        "copy (select 1) to '/tmp/out.csv'",
        "attach '/tmp/other.duckdb' as other",
        "select 1; delete from marts.staff_deployment",
    ],
)
def test_writes_are_refused_and_nothing_runs(warehouse: Settings, statement: str) -> None:
    before = warehouse.published_db.stat().st_mtime_ns
    result = CliRunner().invoke(sql, [statement])
    assert result.exit_code == 3
    assert "refused" in result.output and "read-only" in result.output
    assert warehouse.published_db.stat().st_mtime_ns == before
    assert invoke("select count(*) from marts.budget_execution").exit_code == 0


def test_one_query_at_a_time(warehouse: Settings) -> None:
    result = CliRunner().invoke(sql, ["select 1 as a; select 2 as b"])
    assert result.exit_code == 1 and "2 statements given" in result.output, result.output
    assert invoke("select 1 as a;").exit_code == 0  # a trailing semicolon ends the one statement


def test_no_publication_yet_says_so(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAREHOUSE_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(sql, ["select 1"])
    assert result.exit_code == 1 and "nothing published yet" in result.output
