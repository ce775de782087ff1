"""The values passed between ingestion steps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from orchestration.contract.datasets import Dataset


class Status(StrEnum):
    LOADED = "LOADED"
    REJECTED = "REJECTED"
    DUPLICATE = "DUPLICATE"
    SUPERSEDED = "SUPERSEDED"


@dataclass(frozen=True)
class Delivery:
    """A complete delivery: its manifest is present (the data file may still be missing)."""

    source: str
    dataset_name: str
    period: str  # YYYY-MM, from the file name
    correction: int
    manifest_path: Path
    data_path: Path
    file_name: str  # <source>/<dataset>/<file>.csv, relative to the landing folder: the delivery's identity
    dataset: Dataset | None  # None when the folder names no dataset of the contract


@dataclass(frozen=True)
class Manifest:
    source: str
    dataset: str
    period: str
    rows: int
    sha256: str
    produced_at: str
    schema_version: int


class Rejection(Exception):
    """The whole delivery is rejected: `rule` is a stable code, `reason` clear English naming the file."""

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


@dataclass(frozen=True)
class DeliveryOutcome:
    batch_id: int
    source: str
    dataset: str
    period: str | None
    file_name: str
    status: Status
    rows_declared: int | None
    rows_loaded: int
    rows_quarantined: int
    rule: str | None
    reason: str | None
    # Quarantined rows per (column, rule), to show why rows were set aside without opening a terminal.
    quarantine_summary: tuple[tuple[str, str, int], ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "batch_id": self.batch_id,
            "file_name": self.file_name,
            "status": str(self.status),
            "rows_declared": self.rows_declared,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "rule": self.rule,
            "reason": self.reason,
            "quarantine_summary": [list(item) for item in self.quarantine_summary],
        }
