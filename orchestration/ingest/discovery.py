"""Find complete deliveries in the landing folder: a manifest marks a delivery as complete.

A data file without its manifest is still being copied and is ignored (no audit row). Names starting
with "." (temporary files such as `.x.csv.partial`) are never read.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from orchestration.contract.datasets import DATASETS_BY_NAME, Dataset
from orchestration.contract.manifest import parse_delivery_stem
from orchestration.ingest.model import Delivery

MANIFEST_SUFFIX = ".manifest.json"


def manifest_paths(landing: Path) -> list[Path]:
    """Every manifest at <landing>/<source>/<dataset>/, hidden files excluded."""
    if not landing.is_dir():
        return []
    return sorted(
        p for p in landing.glob(f"*/*/*{MANIFEST_SUFFIX}") if not p.name.startswith(".") and p.is_file()
    )


def delivery_for(landing: Path, manifest: Path) -> Delivery:
    stem = manifest.name.removesuffix(MANIFEST_SUFFIX)
    source, dataset_name = manifest.parent.parent.name, manifest.parent.name
    data_path = manifest.with_name(f"{stem}.csv")
    parsed = parse_delivery_stem(stem)
    dataset: Dataset | None = DATASETS_BY_NAME.get((source, dataset_name))
    if parsed is None or parsed.dataset != dataset_name:
        dataset = None  # an unexpected name is rejected by decode with its reason
    return Delivery(
        source=source,
        dataset_name=dataset_name,
        period=parsed.period if parsed else "",
        correction=parsed.correction if parsed else 0,
        manifest_path=manifest,
        data_path=data_path,
        file_name=data_path.relative_to(landing).as_posix(),
        dataset=dataset,
    )


def discover(landing: Path, datasets: Iterable[Dataset] | None = None) -> list[Delivery]:
    """Complete deliveries in arrival order within a dataset: by period, then correction number.

    With `datasets`, theirs and those of the folders no dataset owns (`bf/demandeurs/`, `Actiris/…`):
    under Dagster each raw asset ingests its own dataset, and a delivery filed where none looks would
    never be recorded; whichever ingestion runs first rejects it (`file_name`) with its reason."""
    wanted = None if datasets is None else {(d.source, d.name) for d in datasets}
    found = [delivery_for(landing, m) for m in manifest_paths(landing)]
    if wanted is not None:
        found = [
            d
            for d in found
            if (d.source, d.dataset_name) in wanted or (d.source, d.dataset_name) not in DATASETS_BY_NAME
        ]
    return sorted(found, key=lambda d: (d.source, d.dataset_name, d.period, d.correction, d.file_name))
