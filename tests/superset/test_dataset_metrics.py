"""The datasets' saved metrics give the published rate whatever rows a BI author groups, through Superset's
own chart data API on the real server: rows whose numerator is not known yet (an open cohort, a sustained
work figure before its last check day) and the months before the first delivery of the guarantee clocks
do not enter the denominators."""

from __future__ import annotations

import pytest

from tests.superset.conftest import chart_data, published_rows


def _metric(client, table: str, metric: str, where: str = "") -> float:
    """One saved metric over the whole dataset (or the rows of `where`), as a chart would ask for it."""
    query = {"metrics": [metric], "columns": [], "filters": [], "extras": {"where": where}, "row_limit": 10}
    (row,) = chart_data(client, table, query)
    return float(row[metric])


def _published(server, sql: str) -> float:
    ((value,),) = published_rows(server.settings, sql)
    return float(value)


def test_training_rates_count_only_the_rows_whose_figure_is_known(server):
    author = server.client("author")
    table = "marts.shared_strategic_indicators"
    # the fixture holds cohorts whose leavers are counted while a figure is not known yet
    unknown = _published(
        server,
        f"select count(*) from {table} where leavers > 0 and not (cohort_closed and sustained_closed)",
    )
    assert unknown > 0
    sustained = _published(
        server, f"select 100.0 * sum(work_sustained) / sum(work_1m) from {table} where sustained_closed"
    )
    assert _metric(author, "shared_strategic_indicators", "work_sustained_rate") == pytest.approx(sustained)
    positive = _published(
        server, f"select 100.0 * sum(positive_outflow) / sum(leavers) from {table} where cohort_closed"
    )
    assert _metric(author, "shared_strategic_indicators", "positive_outflow_rate") == pytest.approx(positive)


def test_guarantee_rates_leave_out_the_months_before_the_first_delivery(server):
    author = server.client("author")
    table = "marts.guarantee_clocks"
    assert _published(server, f"select count(*) from {table} where is_before_first_delivery") > 0
    delivered = _published(
        server,
        f"select 100.0 * sum(youth_solution_6m) / sum(youth_due) from {table} "
        "where not is_before_first_delivery",
    )
    assert _metric(author, "guarantee_clocks", "youth_guarantee_rate") == pytest.approx(delivered)
    # a chart that filters those months out itself gets the same rate
    filtered = _metric(author, "guarantee_clocks", "youth_guarantee_rate", "not is_before_first_delivery")
    assert filtered == pytest.approx(delivered)


def test_every_dataset_shows_the_publication_of_its_rows(server):
    """An auditor can tell, in Superset, which publication a chart shows."""
    auditor = server.client("auditor")
    latest = _published(server, "select max(publication_id) from audit.publications")
    datasets = auditor.list_all("dataset")
    assert len(datasets) == 13
    for dataset in datasets:
        rows = {"expressionType": "SQL", "sqlExpression": "COUNT(*)", "label": "rows"}
        query = {"metrics": [rows], "columns": ["publication_id"], "filters": [], "row_limit": 10}
        answer = chart_data(auditor, dataset["table_name"], query)
        assert [row["publication_id"] for row in answer] == [latest], dataset["table_name"]
