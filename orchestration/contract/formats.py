"""Per-source file formats (landing contract, section 2)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceFormat:
    source: str
    encoding: str  # Python codec name of the file's bytes
    bom: bool  # whether the source usually writes a UTF-8 byte-order mark
    delimiter: str
    line_end: str  # what the source usually writes; readers accept LF and CRLF from every source
    date_format: str  # strftime / strptime pattern
    timestamp_format: str
    timestamp_has_offset: bool  # VDAB writes ISO-8601 with offset; the others local Brussels time
    decimal_separator: str
    true_value: str
    false_value: str
    header_language: str


ACTIRIS = SourceFormat(
    source="actiris",
    encoding="utf-8",
    bom=True,
    delimiter=";",
    line_end="\r\n",
    date_format="%d/%m/%Y",
    timestamp_format="%d/%m/%Y %H:%M:%S",
    timestamp_has_offset=False,
    decimal_separator=",",
    true_value="O",
    false_value="N",
    header_language="fr",
)

BF = SourceFormat(
    source="bf",
    encoding="iso-8859-1",
    bom=False,
    delimiter=";",
    line_end="\n",
    date_format="%d/%m/%Y",
    timestamp_format="%d/%m/%Y %H:%M:%S",
    timestamp_has_offset=False,
    decimal_separator=",",
    true_value="O",
    false_value="N",
    header_language="fr",
)

VDAB = SourceFormat(
    source="vdab",
    encoding="utf-8",
    bom=False,
    delimiter=",",
    line_end="\n",
    date_format="%Y-%m-%d",
    timestamp_format="%Y-%m-%dT%H:%M:%S%z",
    timestamp_has_offset=True,
    decimal_separator=".",
    true_value="J",
    false_value="N",
    header_language="nl",
)

SOURCE_FORMATS: dict[str, SourceFormat] = {f.source: f for f in (ACTIRIS, BF, VDAB)}

# Local time of the Actiris and BF timestamps (contract section 2).
SOURCE_TIMEZONE = "Europe/Brussels"
