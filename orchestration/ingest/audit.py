"""Reads and writes of `audit.deliveries`: what was seen, duplicates, supersession."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

import duckdb

from orchestration.ingest.model import DeliveryOutcome, Manifest, Status
from orchestration.ingest.sql import scalar


class SeenFile(NamedTuple):
    """A file name already given a status: what its latest record's manifest declared (all None when it
    did not read), and whether any delivery under that name took effect (loaded, superseded or
    duplicate: not only rejected)."""

    sha256: str | None
    rows: int | None
    produced_at: datetime | None
    took_effect: bool
    judged_at: datetime  # when its latest record was written

    def replaced_by(self, manifest: Manifest, written_at: datetime) -> bool:
        """Whether this manifest, found under the same name, is another delivery: other bytes, or for a
        delivery only ever rejected, any field it was judged on, or its files written again since it was
        judged (`written_at`: the later modification of the manifest and the data file), so that a
        missing or corrupt data file copied again under an unchanged manifest is read again."""
        if self.took_effect:
            return manifest.sha256 != self.sha256
        declared = (manifest.sha256, manifest.rows, datetime.fromisoformat(manifest.produced_at))
        return declared != (self.sha256, self.rows, self.produced_at) or written_at > self.judged_at


def seen_files(con: duckdb.DuckDBPyConnection) -> dict[str, SeenFile]:
    """Deliveries already given a status: rerunning processes them again only when replaced."""
    rows = con.execute(
        "SELECT file_name, arg_max(sha256, batch_id), arg_max(rows_declared, batch_id), "
        "arg_max(produced_at, batch_id), bool_or(status <> 'REJECTED'), max(loaded_at) "
        "FROM wh.audit.deliveries GROUP BY file_name"
    ).fetchall()
    return {
        str(name): SeenFile(sha, None if declared is None else int(declared), produced, bool(took_effect), at)
        for name, sha, declared, produced, took_effect, at in rows
    }


def next_batch_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(con, "SELECT coalesce(max(batch_id), 0) + 1 FROM wh.audit.deliveries"))


def record_delivery(
    con: duckdb.DuckDBPyConnection,
    outcome: DeliveryOutcome,
    manifest: Manifest | None,
    produced_at: datetime | None,
    correction: int,
) -> None:
    con.execute(
        "INSERT INTO wh.audit.deliveries (batch_id, source, dataset, period, file_name, sha256, produced_at, "
        "rows_declared, rows_loaded, rows_quarantined, status, reason, loaded_at, rule, correction) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, ?, ?)",
        [
            outcome.batch_id,
            outcome.source,
            outcome.dataset,
            outcome.period,
            outcome.file_name,
            manifest.sha256 if manifest else None,
            produced_at,
            outcome.rows_declared,
            outcome.rows_loaded,
            outcome.rows_quarantined,
            str(outcome.status),
            outcome.reason,
            outcome.rule,
            correction,
        ],
    )


def supersede(con: duckdb.DuckDBPyConnection, source: str, dataset: str, period: str) -> list[int]:
    """Among the loaded deliveries of a period, the newest `produced_at` wins (ties: the later batch);
    every other one becomes SUPERSEDED. Returns the superseded batch ids."""
    rows = con.execute(
        "SELECT batch_id, file_name FROM wh.audit.deliveries WHERE source = ? AND dataset = ? AND period = ? "
        "AND status = 'LOADED' ORDER BY produced_at DESC, batch_id DESC",
        [source, dataset, period],
    ).fetchall()
    if len(rows) < 2:
        return []
    winner_id, winner_file = rows[0]
    losers = [int(r[0]) for r in rows[1:]]
    con.execute(
        f"UPDATE wh.audit.deliveries SET status = '{Status.SUPERSEDED}', "
        "reason = concat('superseded by batch ', ?::VARCHAR, ' (', ?, ')') "
        f"WHERE batch_id IN ({', '.join(str(b) for b in losers)})",
        [winner_id, winner_file],
    )
    return losers


class LoadedBytes(NamedTuple):
    """A loaded delivery, found by its bytes: a loaded delivery's records are the rows it declared."""

    batch_id: int
    file_name: str
    records: int


class Ledger:
    """What a run needs of `audit.deliveries`, read once: a handful of small statements per delivery cost
    more than a small delivery's rows. The run holds the build file's only writable connection, and
    every change goes through here, so the copy stays exact."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.seen = seen_files(con)
        self._next_batch_id = next_batch_id(con)
        # Identical bytes are a re-delivery only for the same dataset and period: two months without
        # events are both a header-only file, byte for byte, and each delivers its own month.
        self._loaded_sha: dict[tuple[str, str, str, str], LoadedBytes] = {}
        for source, dataset, period, sha256, batch_id, file_name, records in con.execute(
            "SELECT source, dataset, period, sha256, batch_id, file_name, rows_declared "
            "FROM wh.audit.deliveries "
            "WHERE status IN ('LOADED', 'SUPERSEDED') AND sha256 IS NOT NULL ORDER BY batch_id"
        ).fetchall():
            key = (str(source), str(dataset), str(period), str(sha256))
            self._loaded_sha.setdefault(key, LoadedBytes(int(batch_id), str(file_name), int(records)))
        # Loaded (not superseded) deliveries per (source, dataset, period): supersession needs two.
        self._loaded: dict[tuple[str, str, str], int] = {
            (str(s), str(d), str(p)): int(n)
            for s, d, p, n in con.execute(
                "SELECT source, dataset, period, count(*) FROM wh.audit.deliveries "
                "WHERE status = 'LOADED' GROUP BY ALL"
            ).fetchall()
        }

    def next_batch_id(self) -> int:
        return self._next_batch_id

    def loaded_with_sha(self, source: str, dataset: str, period: str, sha256: str) -> LoadedBytes | None:
        """An earlier delivery of this dataset and period with these exact bytes that was loaded (and
        may since be superseded)."""
        return self._loaded_sha.get((source, dataset, period, sha256))

    def supersede(self, con: duckdb.DuckDBPyConnection, source: str, dataset: str, period: str) -> list[int]:
        """As `supersede`, for a delivery just loaded (not yet committed); skipped when it is alone."""
        if self._loaded.get((source, dataset, period), 0) < 1:
            return []
        return supersede(con, source, dataset, period)

    def committed(
        self,
        outcome: DeliveryOutcome,
        manifest: Manifest | None,
        produced_at: datetime | None,
        superseded: list[int],
    ) -> None:
        """Record a committed delivery (its status as written to the table, before supersession) with
        its manifest (None when it did not read)."""
        self._next_batch_id = outcome.batch_id + 1
        earlier = self.seen.get(outcome.file_name)
        took_effect = outcome.status is not Status.REJECTED or (earlier is not None and earlier.took_effect)
        sha256 = manifest.sha256 if manifest else None
        declared = outcome.rows_declared
        self.seen[outcome.file_name] = SeenFile(sha256, declared, produced_at, took_effect, datetime.now(UTC))
        if outcome.status is Status.LOADED and outcome.period is not None:
            assert sha256 is not None
            period = (outcome.source, outcome.dataset, outcome.period)
            assert outcome.rows_declared is not None  # a loaded delivery declared its rows
            loaded = LoadedBytes(outcome.batch_id, outcome.file_name, outcome.rows_declared)
            self._loaded_sha.setdefault((*period, sha256), loaded)
            self._loaded[period] = self._loaded.get(period, 0) + 1 - len(superseded)
