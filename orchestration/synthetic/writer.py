"""Write one delivery byte-exact to the landing contract: the data file first, its manifest last.

One mechanism for every source: the per-source differences (encoding, BOM, delimiter, line end, date,
timestamp, decimal and boolean formats) all come from `orchestration.contract.formats`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.contract.datasets import Dataset, Kind
from orchestration.contract.formats import SOURCE_FORMATS, SOURCE_TIMEZONE, SourceFormat
from orchestration.contract.manifest import DeliveryName, delivery_folder, manifest_bytes

_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class WrittenDelivery:
    data_path: Path
    manifest_path: Path
    rows: int
    sha256: str
    size_bytes: int


def _format_by_uniques(values: pd.Series, render: callable) -> pd.Series:  # type: ignore[valid-type]
    """Render each distinct value once: dates and timestamps repeat a lot, strftime is slow."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    rendered = np.array([render(u) for u in uniques] + [""], dtype=object)
    return pd.Series(rendered[codes], index=values.index)


def _iso_offset(ts: pd.Timestamp) -> str:
    text = ts.strftime("%Y-%m-%dT%H:%M:%S%z")
    return f"{text[:-2]}:{text[-2:]}"  # ISO-8601 wants +02:00, strftime gives +0200


def _format_column(values: pd.Series, kind: Kind, fmt: SourceFormat) -> pd.Series:
    if kind is Kind.DATE:
        return _format_by_uniques(pd.to_datetime(values), lambda d: d.strftime(fmt.date_format))
    if kind is Kind.TIMESTAMP:
        stamps = pd.to_datetime(values)
        if fmt.timestamp_has_offset:
            # Local Brussels wall-clock time with its offset; generated times avoid the DST gap.
            localised = stamps.dt.tz_localize(SOURCE_TIMEZONE, ambiguous=True, nonexistent="shift_forward")
            return _format_by_uniques(localised, _iso_offset)
        return _format_by_uniques(stamps, lambda t: t.strftime(fmt.timestamp_format))
    if kind is Kind.DECIMAL:
        numbers = pd.to_numeric(values)
        text = numbers.map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
        return text.str.replace(".", fmt.decimal_separator, regex=False)
    if kind is Kind.INTEGER:
        return values.map(lambda v: "" if pd.isna(v) else str(int(v)))
    if kind is Kind.BOOLEAN:
        return values.map(lambda v: "" if pd.isna(v) else (fmt.true_value if v else fmt.false_value))
    return values.fillna("").astype(str)


def _quote(field: pd.Series, delimiter: str) -> pd.Series:
    """Quote only the fields that need it (delimiter, quote or line break), doubling inner quotes."""
    needs = field.str.contains(f'[{delimiter}"\r\n]', regex=True)
    if not needs.any():
        return field
    quoted = '"' + field[needs].str.replace('"', '""', regex=False) + '"'
    return field.where(~needs, quoted)


def encode_rows(dataset: Dataset, frame: pd.DataFrame) -> bytes:
    """The file's bytes for these rows, in the dataset's source format."""
    fmt = SOURCE_FORMATS[dataset.source]
    missing = set(dataset.header) - set(frame.columns)
    if missing:
        raise ValueError(f"{dataset.qualified_name}: rows lack columns {sorted(missing)}")
    lines = [fmt.delimiter.join(dataset.header)]
    if len(frame):
        fields = [
            _quote(_format_column(frame[c.name].reset_index(drop=True), c.kind, fmt), fmt.delimiter)
            for c in dataset.columns
        ]
        joined = fields[0].str.cat(fields[1:], sep=fmt.delimiter)
        lines.extend(joined.tolist())
    text = fmt.line_end.join(lines) + fmt.line_end
    body = text.encode(fmt.encoding)
    return (_UTF8_BOM + body) if fmt.bom else body


def produced_at_text(moment: datetime) -> str:
    """ISO-8601 with the Brussels offset, as manifests carry it."""
    return _iso_offset(pd.Timestamp(moment).tz_localize(SOURCE_TIMEZONE))


def write_file_then_manifest(
    landing: Path,
    dataset: Dataset,
    name: DeliveryName,
    data: bytes,
    rows: int,
    produced_at: datetime,
) -> WrittenDelivery:
    folder = delivery_folder(landing, dataset.source, dataset.name)
    folder.mkdir(parents=True, exist_ok=True)
    data_path = folder / name.data_file
    manifest_path = folder / name.manifest_file
    digest = hashlib.sha256(data).hexdigest()
    _write_atomically(data_path, data)
    manifest = manifest_bytes(
        source=dataset.source,
        dataset=dataset.name,
        period=name.period,
        rows=rows,
        sha256=digest,
        produced_at=produced_at_text(produced_at),
    )
    # Written last: a data file without its manifest is still being copied.
    _write_atomically(manifest_path, manifest)
    return WrittenDelivery(data_path, manifest_path, rows, digest, len(data))


def write_delivery(
    landing: Path,
    dataset: Dataset,
    period: str,
    frame: pd.DataFrame,
    produced_at: datetime,
    correction: int = 1,
) -> WrittenDelivery:
    name = DeliveryName(dataset.name, period, correction)
    return write_file_then_manifest(
        landing, dataset, name, encode_rows(dataset, frame), len(frame), produced_at
    )


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_bytes(data)
    os.replace(temporary, path)
