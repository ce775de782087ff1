"""Ingest every complete, not-yet-seen delivery of the landing folder: the public entry point.

Each delivery is committed in one DuckDB transaction covering its raw rows and its audit rows, so a
run killed at any point leaves either the whole delivery or nothing of it, and the next run resumes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

import duckdb

from orchestration.config import Settings
from orchestration.contract.datasets import Dataset
from orchestration.ingest import audit
from orchestration.ingest.decode import check_bytes, read_manifest
from orchestration.ingest.discovery import discover
from orchestration.ingest.key_guard import check_pseudonym_key
from orchestration.ingest.load import prepare, write_rows
from orchestration.ingest.lock import exclusive
from orchestration.ingest.model import Delivery, DeliveryOutcome, Manifest, Rejection, Status
from orchestration.ingest.pseudonymise import Lookups
from orchestration.ingest.rules import create_code_tables
from orchestration.ingest.schema import BUILD_CATALOG, ensure_schema
from orchestration.ingest.sql import literal

log = logging.getLogger(__name__)


def connect(settings: Settings) -> duckdb.DuckDBPyConnection:
    """An in-memory connection (where delivered text is staged) with the build file attached."""
    settings.build_db.parent.mkdir(parents=True, exist_ok=True)
    # No spilling to disk: staged text holds raw identifiers and must stay in memory.
    con = duckdb.connect(":memory:", config={"temp_directory": ""})
    # DuckDB checkpoints once the WAL passes 16 MB, i.e. every few deliveries, and each checkpoint
    # recompresses the tables' open row groups: 64 MB halves the cost of writing the rows for ~0 extra
    # memory (256 MB gains nothing more and holds 150 MB more). Commits stay durable through the WAL.
    con.execute("SET checkpoint_threshold = '64MB'")
    con.execute(f"ATTACH {literal(str(settings.build_db))} AS {BUILD_CATALOG}")
    create_code_tables(con)
    return con


def ingest_landing(settings: Settings, datasets: Iterable[Dataset] | None = None) -> list[DeliveryOutcome]:
    """Ingest pending deliveries (all datasets, or only these); idempotent and safe to rerun."""
    lookups = Lookups(settings.pseudonym_key())
    with exclusive(settings.build_db):
        con = connect(settings)
        try:
            ensure_schema(con)
            check_pseudonym_key(con, settings.pseudonym_key(), str(settings.build_db))
            ledger = audit.Ledger(con)
            outcomes = []
            for delivery in discover(settings.landing_dir, datasets):
                seen = ledger.seen.get(delivery.file_name)
                if seen is None:
                    outcome = ingest_delivery(con, delivery, lookups, ledger)
                else:
                    replacement = _replacement(delivery, seen)
                    if replacement is None:
                        continue
                    # only ever rejected before: a file mended in place is a new attempt
                    outcome = (
                        _reject_replacement(con, ledger, delivery, replacement)
                        if seen.took_effect
                        else ingest_delivery(con, delivery, lookups, ledger)
                    )
                log.info(
                    "%s: %s (declared %s, loaded %s, quarantined %s)%s",
                    outcome.file_name,
                    outcome.status,
                    outcome.rows_declared,
                    outcome.rows_loaded,
                    outcome.rows_quarantined,
                    f": {outcome.reason}" if outcome.reason else "",
                )
                outcomes.append(outcome)
            con.execute(f"CHECKPOINT {BUILD_CATALOG}")
            return outcomes
        finally:
            con.close()


def ingest_delivery(
    con: duckdb.DuckDBPyConnection, delivery: Delivery, lookups: Lookups, ledger: audit.Ledger
) -> DeliveryOutcome:
    manifest: Manifest | None = None
    produced_at: datetime | None = None
    try:
        manifest = read_manifest(delivery)
        produced_at = _produced_at(manifest)
        decoded = check_bytes(delivery, manifest)
    except Rejection as rejection:
        return _commit_outcome(con, ledger, delivery, manifest, produced_at, Status.REJECTED, rejection)
    earlier = ledger.loaded_with_sha(delivery.source, delivery.dataset_name, delivery.period, decoded.sha256)
    if earlier is not None:
        if manifest.rows != earlier.records:  # the contract's count check comes before "duplicate"
            miscount = Rejection(
                "record_count",
                f"{delivery.file_name}: the file holds {earlier.records} records (identical bytes to batch "
                f"{earlier.batch_id}), the manifest declares {manifest.rows}",
            )
            return _commit_outcome(con, ledger, delivery, manifest, produced_at, Status.REJECTED, miscount)
        same = Rejection(
            "duplicate",
            f"{delivery.file_name}: identical bytes to batch {earlier.batch_id} ({earlier.file_name})",
        )
        return _commit_outcome(con, ledger, delivery, manifest, produced_at, Status.DUPLICATE, same)
    try:
        prepared = prepare(con, delivery, decoded, lookups)
    except Rejection as rejection:
        return _commit_outcome(con, ledger, delivery, manifest, produced_at, Status.REJECTED, rejection)
    con.execute("BEGIN TRANSACTION")
    try:
        batch_id = ledger.next_batch_id()
        write_rows(con, decoded.dataset, batch_id, prepared)
        outcome = DeliveryOutcome(
            batch_id=batch_id,
            source=delivery.source,
            dataset=delivery.dataset_name,
            period=delivery.period,
            file_name=delivery.file_name,
            status=Status.LOADED,
            rows_declared=manifest.rows,
            rows_loaded=prepared.rows_loaded,
            rows_quarantined=prepared.rows_quarantined,
            rule=None,
            reason=None,
            quarantine_summary=prepared.quarantine_summary,
        )
        audit.record_delivery(con, outcome, manifest, produced_at, delivery.correction)
        superseded = ledger.supersede(con, delivery.source, delivery.dataset_name, delivery.period)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    ledger.committed(outcome, manifest, produced_at, superseded)
    if batch_id in superseded:  # a correction older than what is loaded loses at once, and says why
        (reason,) = con.execute(
            f"SELECT reason FROM {BUILD_CATALOG}.audit.deliveries WHERE batch_id = ?", [batch_id]
        ).fetchone() or (None,)
        outcome = replace(outcome, status=Status.SUPERSEDED, reason=reason)
    return outcome


def _replacement(delivery: Delivery, seen: audit.SeenFile) -> Manifest | None:
    """The manifest of a delivery already given a status when it is another one now; None when it is
    the same (or still does not read: the delivery already rejected)."""
    try:
        manifest = read_manifest(delivery)
    except Rejection:
        return None
    files = [p for p in (delivery.manifest_path, delivery.data_path) if p.exists()]
    written_at = datetime.fromtimestamp(max(p.stat().st_mtime for p in files), UTC)
    return manifest if seen.replaced_by(manifest, written_at) else None


def _reject_replacement(
    con: duckdb.DuckDBPyConnection, ledger: audit.Ledger, delivery: Delivery, manifest: Manifest
) -> DeliveryOutcome:
    """A file that took effect was replaced under its name: the landing folder is the system of record
    (contract section 1), so the new bytes are recorded as rejected, never loaded in silence."""
    replaced = Rejection(
        "file_replaced",
        f"{delivery.file_name}: this file name was already ingested with other bytes; files in the landing "
        f"folder are never changed: a correction comes as {delivery.dataset_name}_<YYYYMM>_<n>.csv with its "
        "manifest",
    )
    return _commit_outcome(con, ledger, delivery, manifest, _produced_at(manifest), Status.REJECTED, replaced)


def _produced_at(manifest: Manifest) -> datetime:
    return datetime.fromisoformat(manifest.produced_at)


def _commit_outcome(
    con: duckdb.DuckDBPyConnection,
    ledger: audit.Ledger,
    delivery: Delivery,
    manifest: Manifest | None,
    produced_at: datetime | None,
    status: Status,
    rejection: Rejection,
) -> DeliveryOutcome:
    con.execute("BEGIN TRANSACTION")
    try:
        outcome = DeliveryOutcome(
            batch_id=ledger.next_batch_id(),
            source=delivery.source,
            dataset=delivery.dataset_name,
            period=delivery.period or None,
            file_name=delivery.file_name,
            status=status,
            rows_declared=manifest.rows if manifest else None,
            rows_loaded=0,
            rows_quarantined=0,
            rule=rejection.rule,
            reason=rejection.reason,
        )
        audit.record_delivery(con, outcome, manifest, produced_at, delivery.correction)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    ledger.committed(outcome, manifest, produced_at, [])
    return outcome
