"""An independent reading of a delivery with Python's csv module, to check the generator's bytes
against the contract without going through the ingestion code that it also feeds."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from orchestration.contract.datasets import Dataset, Kind, dataset
from orchestration.contract.formats import SOURCE_FORMATS


@dataclass(frozen=True)
class ReadDelivery:
    dataset: Dataset
    manifest: dict
    header: list[str]
    records: list[dict[str, str]]
    raw: bytes


def read_delivery(manifest_path: Path) -> ReadDelivery:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    spec = dataset(manifest["source"], manifest["dataset"])
    fmt = SOURCE_FORMATS[spec.source]
    raw = manifest_path.with_name(manifest_path.name.replace(".manifest.json", ".csv")).read_bytes()
    text = raw.decode(fmt.encoding)
    if fmt.bom:
        assert text.startswith("\ufeff"), f"{manifest_path}: the source writes a BOM"
        text = text[1:]
    rows = list(
        csv.reader(io.StringIO(text, newline=""), delimiter=fmt.delimiter, quotechar='"', strict=True)
    )
    header, body = rows[0], rows[1:]
    return ReadDelivery(spec, manifest, header, [dict(zip(header, r, strict=True)) for r in body], raw)


def parse_value(kind: Kind, text: str, source: str) -> object:
    """Parse one non-empty field as the contract says; raises ValueError when it does not parse."""
    fmt = SOURCE_FORMATS[source]
    if kind is Kind.DATE:
        return datetime.strptime(text, fmt.date_format).date()
    if kind is Kind.TIMESTAMP:
        if fmt.timestamp_has_offset:
            value = datetime.fromisoformat(text)
            if value.tzinfo is None:
                raise ValueError(f"{text!r} has no offset")
            return value
        return datetime.strptime(text, fmt.timestamp_format)
    if kind is Kind.DECIMAL:
        other = "." if fmt.decimal_separator == "," else ","
        if other in text:
            raise ValueError(f"{text!r} uses the wrong decimal separator")
        return float(text.replace(fmt.decimal_separator, "."))
    if kind is Kind.INTEGER:
        return int(text)
    if kind is Kind.BOOLEAN:
        if text not in (fmt.true_value, fmt.false_value):
            raise ValueError(f"{text!r} is not a boolean of {source}")
        return text == fmt.true_value
    return text
