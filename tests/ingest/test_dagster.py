"""The real Dagster definitions: raw assets materialise with per-delivery metadata (and no national
number of a rejected or quarantined row reaches Dagster's storage); the sensor asks for the datasets
whose manifest arrived; every build-file writer is in the duckdb_build pool."""

from __future__ import annotations

import random
import time
from pathlib import Path

import dagster as dg

from orchestration.assets.raw import DUCKDB_POOL, RAW_ASSETS
from orchestration.config import Settings
from orchestration.contract.datasets import DATASETS, Check, Dataset, dataset
from orchestration.contract.formats import SOURCE_FORMATS
from orchestration.contract.manifest import DeliveryName
from orchestration.definitions import defs, write_instance_config
from orchestration.sensors import landing_sensor
from orchestration.synthetic.defects import patch_cell, produced_at_for, random_niss, sample_frame
from orchestration.synthetic.writer import encode_rows, write_delivery, write_file_then_manifest
from tests.ingest.conftest import query
from tests.privacy_scan import Identifiers, leaks_in_files, leaks_in_tables

DEMANDEURS = dataset("actiris", "demandeurs")
PERIOD = "2024-04"


def _write(settings: Settings) -> None:
    data = encode_rows(DEMANDEURS, sample_frame(DEMANDEURS, PERIOD, 6))
    data = patch_cell(DEMANDEURS, data, 2, "sexe", "Q")
    write_file_then_manifest(
        settings.landing_dir,
        DEMANDEURS,
        DeliveryName(DEMANDEURS.name, PERIOD, 1),
        data,
        6,
        produced_at_for(PERIOD),
    )
    bf = dataset("bf", "demandes_formation")
    written = write_delivery(
        settings.landing_dir, bf, PERIOD, sample_frame(bf, PERIOD, 3), produced_at_for(PERIOD)
    )
    written.data_path.write_bytes(b"")  # sha and size no longer match: rejected


def test_definitions_shape() -> None:
    specs = {spec.key: spec for spec in defs.resolve_all_asset_specs()}
    raw_keys = {k for k, s in specs.items() if s.group_name == "raw"}
    assert raw_keys == {dg.AssetKey(["raw", f"{d.source}__{d.name}"]) for d in DATASETS}
    assert all(asset.op.pool == DUCKDB_POOL for asset in RAW_ASSETS)
    assert defs.resolve_job_def("ingest_landing") is not None
    schedule = defs.resolve_schedule_def("monthly_ingest")
    assert schedule.cron_schedule == "0 6 2 * *"
    assert defs.resolve_sensor_def("landing_sensor") is not None


def test_materialise_raw_assets_reports_each_delivery(settings: Settings, tmp_path: Path) -> None:
    _write(settings)
    home = tmp_path / "dagster_home"
    write_instance_config(home)
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        job = defs.resolve_job_def("ingest_landing")
        result = job.execute_in_process(instance=instance)
        assert result.success
        events = {
            tuple(m.materialization.asset_key.path): m.materialization.metadata
            for m in result.get_asset_materialization_events()
        }
        observations = {
            tuple(e.asset_observation_data.asset_observation.asset_key.path): (
                e.asset_observation_data.asset_observation.metadata
            )
            for e in result.all_events
            if e.event_type_value == "ASSET_OBSERVATION"
        }
        # Only a table that changed is materialised (so only its dependents rebuild); a delivery that
        # changed nothing is still reported, as an observation.
        assert set(events) == {("raw", "actiris__demandeurs")}
        assert set(observations) == {("raw", "bf__demandes_formation")}
        demandeurs = events[("raw", "actiris__demandeurs")]
        assert demandeurs["rows_declared"].value == 6
        assert demandeurs["rows_loaded"].value == 5
        assert demandeurs["rows_quarantined"].value == 1
        (record,) = demandeurs["deliveries"].value.records
        assert record.data["status"] == "LOADED"
        assert record.data["reason"] == "1 row(s): sexe broke rule code_list"
        rejected = observations[("raw", "bf__demandes_formation")]
        assert rejected["deliveries_rejected"].value == 1
        assert "empty" in rejected["problems"].value


def test_no_national_number_of_a_refused_row_reaches_dagster(settings: Settings, tmp_path: Path) -> None:
    """The paths where a delivery's text is reported: a quarantined row, a file without its header (a
    data row read as one), a record with a field too many (DuckDB's error quotes the line)."""
    rng = random.Random()
    bf, vdab = dataset("bf", "demandes_formation"), dataset("vdab", "opleidingen")
    frames = {ds: sample_frame(ds, PERIOD, 3) for ds in (DEMANDEURS, bf, vdab)}
    failing = random_niss(rng)
    failing = failing[:-1] + str((int(failing[-1]) + 1) % 10)  # its checksum fails: quarantined
    split = random_niss(rng)  # in the record with a field too many
    given = {v for ds, f in frames.items() for c in ds.columns if c.check is Check.NISS for v in f[c.name]}
    national = {failing, split} | given

    def deliver(ds: Dataset, data: bytes, records: int) -> None:
        name = DeliveryName(ds.name, PERIOD, 1)
        write_file_then_manifest(settings.landing_dir, ds, name, data, records, produced_at_for(PERIOD))

    deliver(
        DEMANDEURS, patch_cell(DEMANDEURS, encode_rows(DEMANDEURS, frames[DEMANDEURS]), 1, "niss", failing), 3
    )
    line_end = SOURCE_FORMATS[bf.source].line_end.encode()
    deliver(bf, encode_rows(bf, frames[bf]).split(line_end, 1)[1], 2)  # no header
    extra = split + SOURCE_FORMATS[vdab.source].delimiter + "extra"
    deliver(vdab, patch_cell(vdab, encode_rows(vdab, frames[vdab]), 1, "insz", extra), 3)
    home = tmp_path / "dagster_home"
    write_instance_config(home)
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        assert defs.resolve_job_def("ingest_landing").execute_in_process(instance=instance).success
    statuses = query(
        settings, "SELECT dataset, status, rule, rows_quarantined FROM audit.deliveries ORDER BY 1"
    )
    assert statuses == [
        ("demandes_formation", "REJECTED", "header", 0),
        ("demandeurs", "LOADED", None, 1),
        ("opleidingen", "REJECTED", "csv_structure", 0),
    ]
    identifiers = Identifiers(frozenset(national), frozenset())
    assert len(identifiers.national) == 11
    assert leaks_in_files(settings.landing_dir.rglob("*.csv"), identifiers)  # the scan finds them there
    written = [*home.rglob("*"), *settings.data_dir.rglob("*")]
    assert any(p.suffix == ".db" for p in written)  # Dagster's runs and event log
    assert leaks_in_files(written, identifiers) == []
    assert leaks_in_tables(settings.build_db, identifiers) == []


def test_sensor_requests_only_new_deliveries(settings: Settings) -> None:
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance)
        assert isinstance(next(iter(landing_sensor(context))), dg.SkipReason)
        _write(settings)
        # A data file without its manifest does not trigger anything.
        stray = settings.landing_dir / "vdab" / "opleidingen" / "opleidingen_202404.csv"
        stray.parent.mkdir(parents=True)
        stray.write_bytes(b"deelname_id\n")
        context = dg.build_sensor_context(instance=instance, cursor=context.cursor)
        (request,) = list(landing_sensor(context))
        assert isinstance(request, dg.RunRequest)
        assert set(request.asset_selection) == {
            dg.AssetKey(["raw", "actiris__demandeurs"]),
            dg.AssetKey(["raw", "bf__demandes_formation"]),
        }
        context = dg.build_sensor_context(instance=instance, cursor=context.cursor)
        assert isinstance(next(iter(landing_sensor(context))), dg.SkipReason)
        # A manifest written again under its old name (a mended delivery) is new: another run key.
        (manifest,) = (settings.landing_dir / "bf").rglob("*.manifest.json")
        time.sleep(0.01)
        manifest.write_bytes(manifest.read_bytes())
        context = dg.build_sensor_context(instance=instance, cursor=context.cursor)
        (again,) = list(landing_sensor(context))
        assert set(again.asset_selection) == {dg.AssetKey(["raw", "bf__demandes_formation"])}
        assert again.run_key != request.run_key
        context = dg.build_sensor_context(instance=instance, cursor=context.cursor)
        assert isinstance(next(iter(landing_sensor(context))), dg.SkipReason)


def test_first_sensor_tick_skips_what_an_ingesting_run_already_took(settings: Settings) -> None:
    """After `warehouse start` (its pipeline run ingested the landing folder), the sensor's first tick
    requests nothing for the manifests that were there when that run started, and a later one."""
    from orchestration.full_pipeline import build_and_publish
    from orchestration.sensors import INGESTING_JOBS, ingest_job

    assert set(INGESTING_JOBS) == {ingest_job.name, build_and_publish.name}
    _write(settings)
    time.sleep(0.05)  # the run starts after the manifests were written

    @dg.op
    def ingested() -> None:
        """Stands in for the pipeline's run in the instance's run history: only its record is read."""

    instance = dg.DagsterInstance.ephemeral()
    pipeline = dg.GraphDefinition(name="pipeline", node_defs=[ingested]).to_job(name=build_and_publish.name)
    assert pipeline.execute_in_process(instance=instance).success
    context = dg.build_sensor_context(instance=instance)
    assert isinstance(next(iter(landing_sensor(context))), dg.SkipReason)

    time.sleep(0.05)  # a delivery arriving after the run started
    opleidingen = dataset("vdab", "opleidingen")
    write_delivery(
        settings.landing_dir,
        opleidingen,
        "2024-05",
        sample_frame(opleidingen, "2024-05", 2),
        produced_at_for("2024-05"),
    )
    context = dg.build_sensor_context(instance=instance, cursor=context.cursor)
    (request,) = list(landing_sensor(context))
    assert set(request.asset_selection) == {dg.AssetKey(["raw", "vdab__opleidingen"])}


def test_a_delivery_filed_where_no_dataset_looks_is_recorded_under_dagster(
    settings: Settings, tmp_path: Path
) -> None:
    """`bf/demandeurs/`: no raw asset owns the folder; the sensor still starts an ingestion, and the
    one raw asset it runs rejects the delivery with its reason instead of leaving it unrecorded."""
    ds = dataset("actiris", "demandeurs")
    frame = sample_frame(ds, "2024-03", 2)
    misfiled = DeliveryName(ds.name, "2024-03", 1)
    data = encode_rows(ds, frame)
    written = write_file_then_manifest(tmp_path / "sent", ds, misfiled, data, 2, produced_at_for("2024-03"))
    folder = settings.landing_dir / "bf" / "demandeurs"
    folder.mkdir(parents=True)
    for path in (written.data_path, written.manifest_path):
        path.rename(folder / path.name)
    home = tmp_path / "dagster_home"
    write_instance_config(home)
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        (request,) = list(landing_sensor(dg.build_sensor_context(instance=instance)))
        assert isinstance(request, dg.RunRequest) and len(request.asset_selection) == 1
        job = defs.resolve_job_def("ingest_landing")
        assert job.execute_in_process(instance=instance, asset_selection=request.asset_selection).success
    rows = query(settings, "SELECT file_name, status, rule FROM audit.deliveries")
    assert rows == [("bf/demandeurs/demandeurs_202403.csv", "REJECTED", "file_name")], rows
