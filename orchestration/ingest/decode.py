"""Check a delivery's manifest and bytes before any row is read (landing contract, sections 1, 2, 5).

Everything here rejects the whole delivery. The CSV body itself is parsed by DuckDB (see load.py);
this module only needs the bytes once: sha256, encoding, header, and the physical line on which each
record starts when a quoted field may hold a line break or a blank line (which DuckDB skips) moves the
records below it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from orchestration.contract.datasets import Dataset
from orchestration.contract.formats import SOURCE_FORMATS, SOURCE_TIMEZONE, SourceFormat
from orchestration.contract.manifest import MANIFEST_FIELDS, SCHEMA_VERSION
from orchestration.ingest.model import Delivery, Manifest, Rejection

UTF8_BOM = b"\xef\xbb\xbf"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_C1_CONTROL = re.compile(rb"[\x80-\x9f]")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
# a manifest stamped up to a day ahead of this machine's clock is another machine's clock, not the future
_CLOCK_SKEW = timedelta(days=1)
# every column name of the contract: lowercase letters and underscores (no digits, unlike identifiers)
_COLUMN_NAME = re.compile(r"[a-z_]+")
# The csv module's default field limit (128 KiB) is no rule of the contract: a longer field is read like
# any other (DuckDB refuses a line over its own limit, and load.py rejects the delivery then).
csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Decoded:
    dataset: Dataset
    manifest: Manifest
    produced_at: datetime  # timezone-aware
    sha256: str
    duckdb_encoding: str  # what DuckDB's read_csv is told
    # Physical line (1-based) on which record i starts, when the file holds quotes or a blank line;
    # otherwise record i starts on line i + 2 (the header is line 1) and this is None.
    record_lines: list[int] | None
    delimiters: int  # in the whole text, header included


def read_manifest(delivery: Delivery) -> Manifest:
    name = delivery.manifest_path.relative_to(delivery.manifest_path.parents[2]).as_posix()
    try:
        # a leading BOM is accepted, as in the data files (contract section 2)
        body = json.loads(delivery.manifest_path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        detail = {
            UnicodeDecodeError: "not UTF-8",
            RecursionError: "nested too deeply",
        }.get(type(error), getattr(error, "msg", "not JSON"))
        raise Rejection("manifest_unreadable", f"{name}: the manifest is not valid JSON ({detail})") from None
    if not isinstance(body, dict):
        raise Rejection("manifest_unreadable", f"{name}: the manifest is not a JSON object")
    missing = [f for f in MANIFEST_FIELDS if f not in body]
    if missing:
        raise Rejection("manifest_field", f"{name}: the manifest lacks the field(s) {', '.join(missing)}")
    problems = []
    if not isinstance(body["rows"], int) or isinstance(body["rows"], bool) or not 0 <= body["rows"] < 2**63:
        problems.append("rows is not a non-negative integer (below 2^63)")
    if not isinstance(body["sha256"], str) or not _SHA256.match(body["sha256"].lower()):
        problems.append("sha256 is not a hex SHA-256 digest")
    if not isinstance(body["period"], str) or not _PERIOD.match(body["period"]):
        problems.append("period is not YYYY-MM")
    if not isinstance(body["schema_version"], int) or isinstance(body["schema_version"], bool):
        problems.append("schema_version is not an integer")
    if not isinstance(body["source"], str) or not isinstance(body["dataset"], str):
        problems.append("source and dataset must be text")
    produced_at = _parse_produced_at(body["produced_at"]) if isinstance(body["produced_at"], str) else None
    if produced_at is None:
        problems.append("produced_at is not an ISO-8601 timestamp with offset (from 1900)")
    elif produced_at > datetime.now(UTC) + _CLOCK_SKEW:
        problems.append("produced_at lies in the future")
    if problems:
        raise Rejection("manifest_field", f"{name}: invalid manifest field(s): {'; '.join(problems)}")
    return Manifest(
        source=body["source"],
        dataset=body["dataset"],
        period=body["period"],
        rows=body["rows"],
        sha256=body["sha256"].lower(),
        produced_at=body["produced_at"],
        schema_version=body["schema_version"],
    )


def _parse_produced_at(text: str) -> datetime | None:
    """The timestamp, or None when it is no ISO-8601 timestamp with an offset, or lies before 1900 (year 1
    at +01:00 is no instant Python can hold in UTC)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.year < 1900:
        return None
    return moment


def check_period_begun(file: str, period: str, produced_at: datetime) -> None:
    """A delivery reports a period that has begun: a later one (a typo, 2099-12) would move the cut-off
    of every rate with it."""
    first_day = date(int(period[:4]), int(period[5:]), 1)
    produced_day = produced_at.astimezone(ZoneInfo(SOURCE_TIMEZONE)).date()
    if first_day > produced_day:
        raise Rejection(
            "future_period",
            f"{file}: the period {period} begins after the delivery was produced ({produced_at.isoformat()})",
        )


def check_manifest_matches(delivery: Delivery, manifest: Manifest) -> Dataset:
    file = delivery.file_name
    if delivery.dataset is None:
        raise Rejection(
            "file_name",
            f"{file}: not a delivery of the landing contract "
            "(expected <source>/<dataset>/<dataset>_<YYYYMM>[_<n>].csv for a known dataset)",
        )
    described = {"source": manifest.source, "dataset": manifest.dataset, "period": manifest.period}
    named = {"source": delivery.source, "dataset": delivery.dataset_name, "period": delivery.period}
    differ = [field for field in described if described[field] != named[field]]
    if differ:
        # the fields only, not their values: a manifest's text may hold anything, a national number too
        raise Rejection(
            "manifest_mismatch",
            f"{file}: the manifest's {' and '.join(differ)} {'do' if len(differ) > 1 else 'does'} not match "
            f"the file's {delivery.source}/{delivery.dataset_name} period {delivery.period}",
        )
    if manifest.schema_version != SCHEMA_VERSION:
        raise Rejection(
            "schema_version",
            f"{file}: schema_version {manifest.schema_version} is not supported (expected {SCHEMA_VERSION})",
        )
    return delivery.dataset


def check_bytes(delivery: Delivery, manifest: Manifest) -> Decoded:
    """Read and verify one delivery against its manifest; raise Rejection with the rule it breaks."""
    dataset = check_manifest_matches(delivery, manifest)
    file = delivery.file_name
    if not delivery.data_path.is_file():
        raise Rejection("data_file_missing", f"{file}: the manifest names this data file, which is missing")
    data = delivery.data_path.read_bytes()
    if not data:
        raise Rejection("empty_file", f"{file}: the data file is empty (0 bytes; even no header)")
    digest = hashlib.sha256(data).hexdigest()
    if digest != manifest.sha256:
        raise Rejection(
            "sha256_mismatch",
            f"{file}: the file's SHA-256 {digest} does not match the manifest's {manifest.sha256}",
        )
    fmt = SOURCE_FORMATS[dataset.source]
    text = _decode(file, data, fmt)
    _check_header(file, text, dataset, fmt)
    produced_at = _parse_produced_at(manifest.produced_at)
    assert produced_at is not None  # read_manifest checked it
    check_period_begun(file, manifest.period, produced_at)
    return Decoded(
        dataset=dataset,
        manifest=manifest,
        produced_at=produced_at,
        sha256=digest,
        duckdb_encoding="latin-1" if _is_latin1(fmt) else "utf-8",
        record_lines=_record_lines(file, text, fmt, len(dataset.header)) if _lines_move(text) else None,
        delimiters=text.count(fmt.delimiter),
    )


def _decode(file: str, data: bytes, fmt: SourceFormat) -> str:
    # One leading BOM is accepted from any UTF-8 source (contract section 2); a second one is left in
    # the text, so the header check rejects it.
    body = data[len(UTF8_BOM) :] if fmt.encoding == "utf-8" and data.startswith(UTF8_BOM) else data
    try:
        text = body.decode(fmt.encoding)
    except UnicodeDecodeError as error:
        line = body.count(b"\n", 0, error.start) + 1
        raise Rejection(
            "encoding",
            f"{file}: the file does not decode as {fmt.encoding.upper()} "
            f"(invalid byte 0x{body[error.start]:02x} on line {line})",
        ) from None
    if _is_latin1(fmt):
        _check_latin1(file, body)
    return text


def _is_latin1(fmt: SourceFormat) -> bool:
    return fmt.encoding.lower() in ("iso-8859-1", "latin-1")


def _check_latin1(file: str, body: bytes) -> None:
    """Every byte decodes as ISO-8859-1, so two mistakes pass that test: control bytes 0x80-0x9f (no text
    holds them; DuckDB refuses them) and UTF-8 text, whose `é` would load as `Ã©`. A latin-1 text is valid
    UTF-8 with a multi-byte sequence only by a coincidence of letters no French text makes."""
    if body.startswith(UTF8_BOM):
        raise Rejection(
            "encoding", f"{file}: the file starts with a UTF-8 byte-order mark; its source writes ISO-8859-1"
        )
    control = _C1_CONTROL.search(body)
    if control:
        line = body.count(b"\n", 0, control.start()) + 1
        raise Rejection(
            "encoding",
            f"{file}: the file does not decode as ISO-8859-1 (control byte 0x{body[control.start()]:02x} "
            f"on line {line}: Windows-1252 or UTF-8 text?)",
        )
    sequence = _UTF8_SEQUENCE.search(body)
    if sequence:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return
        line = body.count(b"\n", 0, sequence.start()) + 1
        raise Rejection(
            "encoding",
            f"{file}: the file's bytes are UTF-8, not the source's ISO-8859-1 (first on line {line})",
        )


def _check_header(file: str, text: str, dataset: Dataset, fmt: SourceFormat) -> None:
    end = text.find("\n")  # not split(): that would copy the whole body
    first = (text if end < 0 else text[:end]).removesuffix("\r")
    if "\r" in first:
        raise Rejection(
            "line_end",
            f"{file}: a line ends with a carriage return alone (line 1); the contract's line ends are LF "
            "or CRLF",
        )
    # the header's fields may be quoted like any other line's (contract section 2)
    try:
        found = next(csv.reader([first], delimiter=fmt.delimiter, quotechar='"'), [])
    except csv.Error as error:  # its message names the problem, never a field's value
        raise Rejection("header", f"{file}: the header line is not valid CSV ({error})") from None
    if found == list(dataset.header):
        return
    if first.startswith("\ufeff"):
        problem = "it starts with a second byte-order mark"
    else:
        other = "," if fmt.delimiter == ";" else ";"
        if len(found) == 1 and other in first:
            problem = f"its delimiter is '{other}', the contract's is '{fmt.delimiter}'"
        else:
            missing = [c for c in dataset.header if c not in found]
            extra = [c for c in found if c not in dataset.header]
            parts = []
            if missing:
                parts.append(f"missing column(s) {', '.join(missing)}")
            if extra:
                parts.append(_unexpected(extra, found, dataset.header))
            problem = "; ".join(parts) or "its columns are not in the contract's order"
    raise Rejection(
        "header", f"{file}: the header is not the contract's for {dataset.qualified_name}: {problem}"
    )


def _unexpected(fields: list[str], line: list[str], expected: tuple[str, ...]) -> str:
    """Name the unexpected fields that read as column names of a header. A file without its header has
    a data row there, whose national or staff numbers (digits, or letters: the contract does not say)
    must not reach the audit table or a log: unless most of the line's fields are the contract's
    columns (a column renamed or added), the line is no header and its fields are counted only."""
    is_header = 2 * sum(f in expected for f in line) > len(expected)
    names = [f for f in fields if is_header and _COLUMN_NAME.fullmatch(f)]
    others = len(fields) - len(names)
    shown = [f"unexpected column(s) {', '.join(names)}"] if names else []
    if others:
        shown.append(f"{others} field(s) that are not column names (values not shown: a data row?)")
    return "; ".join(shown)


def _lines_move(text: str) -> bool:
    """Whether a record may not start on its index + 2: a quoted field may span lines, and DuckDB skips
    blank lines without counting them as records."""
    end = len(text)  # blank lines at the end move no record (and many exports end with one)
    while end and text[end - 1] in "\r\n":
        end -= 1
    return '"' in text or text.find("\n\n", 0, end) >= 0 or text.find("\n\r\n", 0, end) >= 0


def _record_lines(file: str, text: str, fmt: SourceFormat, width: int) -> list[int]:
    """Start line of every record: a quoted field with a line break spans several physical lines, and a
    blank line is no record (DuckDB skips it; the csv module reads it as an empty row). A record with a
    field too many or too few is rejected here, on its physical line: DuckDB's line number for it does not
    count the line breaks inside quoted fields."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=fmt.delimiter, quotechar='"', doublequote=True
    )
    next(reader, None)  # header
    starts: list[int] = []
    previous_end = reader.line_num
    try:
        for row in reader:
            if row:
                starts.append(previous_end + 1)
                if len(row) != width:
                    raise wrong_width(file, starts[-1], len(row), width)
            previous_end = reader.line_num
    except csv.Error as error:  # e.g. a carriage return alone inside an unquoted field
        raise Rejection(
            "csv_structure", f"{file}: line {reader.line_num + 1} is not valid CSV ({error})"
        ) from None
    return starts


def wrong_width(file: str, line: int, found: int, width: int) -> Rejection:
    """The rejection of a record whose field count is not the header's (no field's text: it may hold a
    national or staff number)."""
    return Rejection(
        "csv_structure",
        f"{file}: the file does not parse as CSV: line {line} has {found} fields where the header "
        f"has {width}",
    )
