"""The datasets' label columns (`<code>_label`, calculated in Superset) put the marts' codes into French and
Dutch words for the charts and filters: every code of the spec's vocabulary (the accepted values the dbt
marts test) has a label of its own, and Superset answers labels, not codes, on the published rows."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.config import PROJECT_ROOT
from orchestration.superset.paths import BUNDLE_DIR
from tests.superset.conftest import chart_data, published_rows

MARTS_DIR = PROJECT_ROOT / "dbt_project" / "models" / "marts"


def label_columns() -> list[tuple[str, str, str, str]]:
    """(table, label column, code column, SQL expression) of every calculated label column in the bundle."""
    found = []
    for path in sorted((BUNDLE_DIR / "datasets").rglob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for column in document["columns"]:
            if column["column_name"].endswith("_label") and column.get("expression"):
                match = re.match(r"CASE (\w+) WHEN", column["expression"])
                assert match, f"{path.name}: {column['column_name']} is not a CASE over a code column"
                found.append((document["table_name"], column["column_name"], match[1], column["expression"]))
    return found


def accepted_values(table: str, column: str) -> list[str]:
    """The vocabulary the dbt mart's accepted_values test allows in one column."""
    for path in MARTS_DIR.rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            if model["name"] != table:
                continue
            for described in model["columns"]:
                for test in described.get("data_tests", []) if described["name"] == column else []:
                    if isinstance(test, dict) and "accepted_values" in test:
                        spec = test["accepted_values"]
                        return [str(v) for v in spec.get("values") or spec["arguments"]["values"]]
    raise AssertionError(f"marts.{table}.{column} has no accepted_values test")


LABELS = label_columns()


def test_the_bundle_has_label_columns_for_the_coded_charts():
    assert {(table, code) for table, _, code, _ in LABELS} >= {
        ("employment_rate_trajectory", "region_code"),
        ("shared_strategic_indicators", "training_type"),
        ("guarantee_clocks", "sex"),
        ("guarantee_clocks", "education_level"),
        ("guarantee_clocks", "nationality_group"),
        ("vacancies_matching", "work_region"),
    }


@pytest.mark.parametrize(("table", "label", "code", "expression"), LABELS, ids=[row[1] for row in LABELS])
def test_every_code_of_the_vocabulary_has_its_own_label(table: str, label: str, code: str, expression: str):
    codes = accepted_values(table, code)
    values = ", ".join(f"('{value}')" for value in codes)
    rows = duckdb.sql(f"select {code}, {expression} from (values {values}) as t({code})").fetchall()
    labels = dict(rows)
    unlabelled = [value for value, text in labels.items() if text is None or text == value]
    assert not unlabelled, f"{table}.{label}: no label for {unlabelled}"
    assert len(set(labels.values())) == len(codes), f"{table}.{label}: two codes share a label"


def test_superset_answers_labels_on_the_published_rows(server):
    author = server.client("author")
    for table, label, code, expression in LABELS:
        distinct = f"select distinct {expression}, {code} from marts.{table}"
        expected = {text for text, _ in published_rows(server.settings, distinct)}
        codes = {value for _, value in published_rows(server.settings, distinct)}
        rows = {"expressionType": "SQL", "sqlExpression": "COUNT(*)", "label": "rows"}
        query = {"metrics": [rows], "columns": [label], "filters": [], "row_limit": 1000}
        answered = {row[label] for row in chart_data(author, table, query)}
        assert answered, f"{table}.{label}: no rows"
        assert answered == expected, table
        assert not answered & codes, f"{table}.{label} answered codes: {answered & codes}"


def test_no_chart_or_filter_groups_by_a_labelled_code():
    """The charts and native filters show the label column wherever the bundle has one for the code."""
    labelled = {code: label for _, label, code, _ in LABELS}
    found = []
    for path in sorted(Path(BUNDLE_DIR).rglob("*.yaml")):
        if "datasets" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for code, label in labelled.items():
            pattern = rf"(x_axis|x_axis_sort|name|series): {code}\n|\n\s+- {code}\n"
            if re.search(pattern, text):
                found.append(f"{path.name}: {code} (use {label})")
    assert not found, found
