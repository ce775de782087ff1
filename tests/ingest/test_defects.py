"""Every case of the defect catalogue gets exactly its documented outcome and reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.config import Settings
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.defects import Defect, write_defects
from tests.ingest.conftest import TEST_KEY, query

# Pinned: removing a case from the catalogue must be a visible decision.
CASES = [
    "wrong_delimiter", "latin1_declared_utf8", "missing_column", "extra_column", "bom_doubled",
    "truncated_file", "record_count_mismatch", "empty_file", "sha_mismatch", "manifest_without_file",
    "manifest_not_json", "manifest_missing_field", "file_without_manifest", "quoted_line_break",
    "crlf_where_lf", "bom_missing", "header_only", "decimal_point_for_comma", "bad_niss", "niss_in_text",
    "future_date",
    "end_before_start", "unknown_commune", "duplicate_key", "unknown_code", "required_empty", "bad_boolean",
    "negative_amount", "fte_out_of_range", "bad_enterprise_number", "mois_not_period", "impossible_date",
    "identical_redelivery", "corrected_redelivery",
]  # fmt: skip


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, Defect]]:
    root = tmp_path_factory.mktemp("defects")
    settings = Settings(landing_dir=root / "landing", data_dir=root / "data")
    settings.landing_dir.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_PSEUDONYM_KEY", TEST_KEY)
        catalogue = write_defects(settings.landing_dir)
        ingest_landing(settings)
    return settings, {d.name: d for d in catalogue}


def test_catalogue_is_documented_and_complete(ingested: tuple[Settings, dict[str, Defect]]) -> None:
    settings, defects = ingested
    assert sorted(defects) == sorted(CASES)
    written = json.loads((settings.landing_dir / "DEFECTS.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in written] == list(defects)
    statuses = {e.status for d in defects.values() for e in d.deliveries}
    assert {"REJECTED", "LOADED", "DUPLICATE", "SUPERSEDED", "IGNORED"} <= statuses
    rejected = {d.name for d in defects.values() for e in d.deliveries if e.status == "REJECTED"}
    quarantined = {d.name for d in defects.values() for e in d.deliveries if e.rows_quarantined}
    assert len(rejected) >= 10 and len(quarantined) >= 10


@pytest.mark.parametrize("name", CASES)
def test_defect_outcome(ingested: tuple[Settings, dict[str, Defect]], name: str) -> None:
    settings, defects = ingested
    for expected in defects[name].deliveries:
        rows = query(
            settings,
            "SELECT batch_id, status, rule, reason, rows_declared, rows_loaded, rows_quarantined "
            "FROM audit.deliveries WHERE file_name = ?",
            [expected.file_name],
        )
        if expected.status == "IGNORED":
            assert rows == [], "a data file without its manifest is not read and gets no audit row"
            continue
        assert len(rows) == 1
        batch_id, status, rule, reason, declared, loaded, quarantined = rows[0]
        assert (status, rule) == (expected.status, expected.rule)
        assert (loaded, quarantined) == (expected.rows_loaded, expected.rows_quarantined)
        raw_table = "raw." + "__".join(expected.file_name.split("/")[:2])
        in_raw = query(settings, f"SELECT count(*) FROM {raw_table} WHERE batch_id = ?", [batch_id])[0][0]
        assert in_raw == loaded
        if status in ("REJECTED", "DUPLICATE"):
            stem = Path(expected.file_name).name.removesuffix(".csv")
            assert stem in reason, "a rejection names its file"
            assert in_raw == 0
        else:
            assert declared == loaded + quarantined
        got = query(
            settings,
            "SELECT line_number, column_name, rule, reason FROM audit.quarantine WHERE batch_id = ? "
            "ORDER BY line_number, column_name",
            [batch_id],
        )
        found = [(line, column, rule) for line, column, rule, _ in got]
        assert found == [tuple(q) for q in expected.quarantine]
        for line, column, rule, text in got:
            assert text.startswith(f"line {line}, column {column}: ") and text.endswith(f"(rule {rule})")


def test_superseded_delivery_names_its_successor(ingested: tuple[Settings, dict[str, Defect]]) -> None:
    settings, defects = ingested
    old, new = defects["corrected_redelivery"].deliveries
    (reason,) = query(settings, "SELECT reason FROM audit.deliveries WHERE file_name = ?", [old.file_name])[0]
    assert new.file_name in reason
    both = query(
        settings,
        "SELECT count(DISTINCT batch_id) FROM raw.bf__invitations_seances r JOIN audit.deliveries d "
        "USING (batch_id) WHERE d.file_name IN (?, ?)",
        [old.file_name, new.file_name],
    )
    assert both == [(2,)], "raw keeps every loaded batch; choosing the latest is staging's job"


def test_rows_declared_equal_loaded_plus_quarantined(ingested: tuple[Settings, dict[str, Defect]]) -> None:
    settings, _ = ingested
    rows = query(
        settings,
        "SELECT d.file_name, d.rows_declared, d.rows_loaded, d.rows_quarantined, "
        "(SELECT count(DISTINCT line_number) FROM audit.quarantine q WHERE q.batch_id = d.batch_id) "
        "FROM audit.deliveries d WHERE status IN ('LOADED', 'SUPERSEDED')",
    )
    assert len(rows) >= 15
    for file_name, declared, loaded, quarantined, distinct_lines in rows:
        assert declared == loaded + quarantined, file_name
        assert distinct_lines == quarantined, file_name
