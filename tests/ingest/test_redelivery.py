"""Reruns change nothing; duplicates and corrections get their statuses; types follow the contract."""

from __future__ import annotations

from datetime import timedelta

from orchestration.config import Settings
from orchestration.contract.datasets import DATASETS, dataset
from orchestration.contract.manifest import DeliveryName
from orchestration.ingest.run import ingest_landing
from orchestration.ingest.schema import SQL_TYPES
from orchestration.synthetic.defects import produced_at_for, sample_frame
from orchestration.synthetic.writer import encode_rows, write_delivery, write_file_then_manifest
from tests.ingest.conftest import query

BUDGET = dataset("actiris", "budget")


def test_rerun_is_idempotent(settings: Settings) -> None:
    for period in ("2024-01", "2024-02"):
        write_delivery(
            settings.landing_dir, BUDGET, period, sample_frame(BUDGET, period, 4), produced_at_for(period)
        )
    first = ingest_landing(settings)
    assert [o.status for o in first] == ["LOADED", "LOADED"]
    assert ingest_landing(settings) == []
    assert query(settings, "SELECT count(*), count(DISTINCT batch_id) FROM raw.actiris__budget") == [(8, 2)]
    assert query(settings, "SELECT count(*) FROM audit.deliveries") == [(2,)]


def test_identical_header_only_files_of_other_periods_are_not_duplicates(settings: Settings) -> None:
    empty = sample_frame(BUDGET, "2024-01", 0)
    for period in ("2024-01", "2024-02"):
        write_delivery(settings.landing_dir, BUDGET, period, empty, produced_at_for(period))
    assert [o.status for o in ingest_landing(settings)] == ["LOADED", "LOADED"]
    # A header-only correction of 2024-03 has the same bytes as both, and still replaces its own month.
    write_delivery(
        settings.landing_dir,
        BUDGET,
        "2024-03",
        sample_frame(BUDGET, "2024-03", 3),
        produced_at_for("2024-03"),
    )
    later = produced_at_for("2024-03") + timedelta(days=7)
    write_delivery(settings.landing_dir, BUDGET, "2024-03", empty, later, 2)
    ingest_landing(settings)
    statuses = query(settings, "SELECT period, correction, status FROM audit.deliveries ORDER BY batch_id")
    assert statuses == [
        ("2024-01", 1, "LOADED"),
        ("2024-02", 1, "LOADED"),
        ("2024-03", 1, "SUPERSEDED"),
        ("2024-03", 2, "LOADED"),
    ]
    assert query(
        settings,
        "SELECT count(*) FROM raw.actiris__budget WHERE batch_id IN "
        "(SELECT batch_id FROM audit.deliveries WHERE status = 'LOADED')",
    ) == [(0,)]


def test_identical_bytes_with_a_wrong_record_count_are_rejected_not_a_duplicate(settings: Settings) -> None:
    period, frame = "2024-01", sample_frame(BUDGET, "2024-01", 4)
    write_delivery(settings.landing_dir, BUDGET, period, frame, produced_at_for(period))
    ingest_landing(settings)
    data, later = encode_rows(BUDGET, frame), produced_at_for(period) + timedelta(days=1)
    for correction, declared in ((2, 5), (3, 4)):  # the same bytes, declared as 5 records, then as 4
        name = DeliveryName(BUDGET.name, period, correction)
        write_file_then_manifest(settings.landing_dir, BUDGET, name, data, declared, later)
    outcomes = ingest_landing(settings)
    assert [(o.status, o.rule) for o in outcomes] == [
        ("REJECTED", "record_count"),
        ("DUPLICATE", "duplicate"),
    ]
    assert outcomes[0].reason is not None
    assert "holds 4 records (identical bytes to batch 1), the manifest declares 5" in outcomes[0].reason


def test_late_correction_with_older_produced_at_loses(settings: Settings) -> None:
    period = "2024-05"
    produced = produced_at_for(period)
    write_delivery(settings.landing_dir, BUDGET, period, sample_frame(BUDGET, period, 3), produced)
    ingest_landing(settings)
    write_delivery(
        settings.landing_dir,
        BUDGET,
        period,
        sample_frame(BUDGET, period, 2, seed=9),
        produced - timedelta(days=1),
        2,
    )
    (late,) = ingest_landing(settings)
    assert late.status == "SUPERSEDED"
    # the outcome says why, as its audit row does (Dagster's metadata shows the outcome)
    assert late.reason is not None and late.reason.startswith("superseded by batch 1"), late.reason
    statuses = query(settings, "SELECT file_name, status FROM audit.deliveries ORDER BY batch_id")
    assert [s for _, s in statuses] == ["LOADED", "SUPERSEDED"]
    assert query(settings, "SELECT count(*) FROM raw.actiris__budget") == [(5,)]


def test_raw_tables_are_typed_from_the_contract(settings: Settings) -> None:
    ingest_landing(settings)  # an empty landing still creates every table
    for ds in DATASETS:
        columns = query(
            settings,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = ? ORDER BY ordinal_position",
            [f"{ds.source}__{ds.name}"],
        )
        expected = [("batch_id", "BIGINT"), ("line_number", "BIGINT")] + [
            (c.name, SQL_TYPES[c.kind].replace(" ", "")) for c in ds.columns
        ]
        normalise = {"TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ"}
        assert [(n, normalise.get(t, t).replace(" ", "")) for n, t in columns] == expected, ds.qualified_name


def test_typed_values(settings: Settings) -> None:
    ds = dataset("vdab", "opleidingen")
    frame = sample_frame(ds, "2024-06", 1)
    write_delivery(settings.landing_dir, ds, "2024-06", frame, produced_at_for("2024-06"))
    ingest_landing(settings)
    ((start, attest, modified, line),) = query(
        settings,
        "SELECT startdatum, attest, laatst_gewijzigd::VARCHAR, line_number FROM raw.vdab__opleidingen",
    )
    assert start == frame.loc[0, "startdatum"] and attest == frame.loc[0, "attest"] and line == 2
    assert modified is not None


def test_a_file_replaced_under_its_name_is_recorded_and_a_rejected_one_mended_in_place_loads(
    settings: Settings,
) -> None:
    """The landing folder is the system of record: a loaded file replaced under its own name is
    recorded as rejected (never loaded in silence, never skipped in silence); a rejected one whose
    manifest is mended in place is a new attempt."""
    january, february = (sample_frame(BUDGET, p, 4) for p in ("2024-01", "2024-02"))
    write_delivery(settings.landing_dir, BUDGET, "2024-01", january, produced_at_for("2024-01"))
    data = encode_rows(BUDGET, february)
    wrong_count = DeliveryName(BUDGET.name, "2024-02", 1)
    write_file_then_manifest(settings.landing_dir, BUDGET, wrong_count, data, 5, produced_at_for("2024-02"))
    assert [(o.status, o.rule) for o in ingest_landing(settings)] == [
        ("LOADED", None),
        ("REJECTED", "record_count"),
    ]
    assert ingest_landing(settings) == []  # nothing changed: nothing to do

    write_delivery(settings.landing_dir, BUDGET, "2024-01", january.head(3), produced_at_for("2024-01"))
    write_file_then_manifest(settings.landing_dir, BUDGET, wrong_count, data, 4, produced_at_for("2024-02"))
    outcomes = ingest_landing(settings)
    assert [(o.period, o.status, o.rule) for o in outcomes] == [
        ("2024-01", "REJECTED", "file_replaced"),
        ("2024-02", "LOADED", None),
    ]
    assert "budget_202401.csv" in (outcomes[0].reason or "")
    assert ingest_landing(settings) == []
    # January's first bytes stay what the warehouse holds
    assert query(settings, "SELECT count(*) FROM raw.actiris__budget WHERE exercice = 2024 AND mois = 1") == [
        (4,)
    ]


def test_a_data_file_copied_in_under_its_unchanged_manifest_is_read_again(settings: Settings) -> None:
    """A delivery rejected because its data file was missing (or corrupt) is read again once the file is
    copied in, its manifest untouched; not before."""
    frame = sample_frame(BUDGET, "2024-02", 4)
    written = write_delivery(settings.landing_dir, BUDGET, "2024-02", frame, produced_at_for("2024-02"))
    data = written.data_path.read_bytes()
    written.data_path.unlink()
    assert [(o.status, o.rule) for o in ingest_landing(settings)] == [("REJECTED", "data_file_missing")]
    assert ingest_landing(settings) == []
    written.data_path.write_bytes(data[:-5])  # a copy cut short
    assert [(o.status, o.rule) for o in ingest_landing(settings)] == [("REJECTED", "sha256_mismatch")]
    assert ingest_landing(settings) == []
    written.data_path.write_bytes(data)
    assert [(o.status, o.rule) for o in ingest_landing(settings)] == [("LOADED", None)]
    assert ingest_landing(settings) == []
