"""Delivery file names and manifests (landing contract, section 1)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

MANIFEST_FIELDS = ("source", "dataset", "period", "rows", "sha256", "produced_at", "schema_version")
SCHEMA_VERSION = 1

# <dataset>_<YYYYMM>.csv or <dataset>_<YYYYMM>_<n>.csv for the n-th correction (n >= 2).
_DELIVERY_NAME = re.compile(r"^(?P<dataset>[a-z_]+?)_(?P<period>\d{6})(?:_(?P<n>[2-9]|[1-9]\d+))?$")


@dataclass(frozen=True)
class DeliveryName:
    dataset: str
    period: str  # YYYY-MM
    correction: int  # 1 for the first delivery of a period

    @property
    def stem(self) -> str:
        base = f"{self.dataset}_{self.period.replace('-', '')}"
        return base if self.correction == 1 else f"{base}_{self.correction}"

    @property
    def data_file(self) -> str:
        return f"{self.stem}.csv"

    @property
    def manifest_file(self) -> str:
        return f"{self.stem}.manifest.json"


def parse_delivery_stem(stem: str) -> DeliveryName | None:
    match = _DELIVERY_NAME.match(stem)
    if not match:
        return None
    period = match["period"]
    return DeliveryName(match["dataset"], f"{period[:4]}-{period[4:]}", int(match["n"] or 1))


def delivery_folder(landing: Path, source: str, dataset: str) -> Path:
    return landing / source / dataset


def manifest_bytes(
    *, source: str, dataset: str, period: str, rows: int, sha256: str, produced_at: str
) -> bytes:
    body = {
        "source": source,
        "dataset": dataset,
        "period": period,
        "rows": rows,
        "sha256": sha256,
        "produced_at": produced_at,
        "schema_version": SCHEMA_VERSION,
    }
    return (json.dumps(body, indent=2) + "\n").encode("utf-8")
