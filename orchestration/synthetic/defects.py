"""The defect catalogue: deliveries that break the landing contract on purpose, one per violation.

`write_defects(landing)` adds them to a landing folder (empty, or already holding generated deliveries:
the defects use the periods 2001-01 to 2003-12, which the generator never writes) and writes
`DEFECTS.json` beside them: each defect with the files it wrote and the outcome ingestion must give
(status, rejection rule, rows loaded/quarantined, and for quarantined rows their line, column and rule).

Outcomes (landing contract, section 5):
* rejected whole: wrong delimiter, latin-1 bytes in a UTF-8 file, missing column, extra column, doubled
  BOM, truncated file, manifest without its file, sha mismatch, empty file, manifest not JSON, manifest
  lacking a field, record count not the manifest's;
* not read at all (no audit row): a file without its manifest (still being copied);
* loaded, every row: a quoted field with a line break, CRLF from an LF source, an Actiris file without
  BOM, a header-only file;
* loaded with quarantined rows: decimal point where a comma is due, bad NISS, a NISS typed into a label,
  future date (after the manifest's produced_at), end before start, unknown commune, duplicate key (both
  rows), unknown code, required value empty, bad boolean, negative amount, FTE above 1, `mois` not the
  period, bad enterprise number, impossible date;
* re-deliveries: identical bytes again (DUPLICATE), a correction (the first becomes SUPERSEDED).

Every NISS and staff number here is generated from the seed at run time.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from orchestration.contract.datasets import Check, CodeList, Column, Dataset, Kind, dataset
from orchestration.contract.formats import SOURCE_FORMATS
from orchestration.contract.identifiers import enterprise_check_digits, niss_check_digits
from orchestration.contract.manifest import DeliveryName
from orchestration.contract.reference import code_list, nace_divisions
from orchestration.synthetic.writer import encode_rows, write_delivery, write_file_then_manifest

UTF8_BOM = b"\xef\xbb\xbf"


# --- valid rows for any dataset, from the contract alone ------------------------------------------------


def random_niss(rng: random.Random) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
    body = int(f"{born:%y%m%d}{rng.randrange(1, 998):03d}")
    return f"{body:09d}{niss_check_digits(body, born.year >= 2000):02d}"


def random_enterprise_number(rng: random.Random) -> str:
    body = rng.randrange(20_000_000, 99_999_999)
    return f"{body:08d}{enterprise_check_digits(body):02d}"


def _value(column: Column, ds: Dataset, period: str, i: int, rng: random.Random) -> object:
    year, month = (int(p) for p in period.split("-"))
    if column.check is Check.NISS:
        return random_niss(rng)
    if column.check is Check.ENTERPRISE_NUMBER:
        return random_enterprise_number(rng)
    if column.check is Check.NACE5:
        return rng.choice(sorted(nace_divisions())) + "100"
    if column.check is Check.PERIOD_YEAR:
        return year
    if column.check is Check.PERIOD_MONTH:
        return month
    if column.check is Check.PERIOD_YYYY_MM:
        return period
    if isinstance(column.codes, frozenset):
        return rng.choice(sorted(column.codes))
    if isinstance(column.codes, CodeList):
        return rng.choice(sorted(code_list(column.codes)))
    match column.kind:
        case Kind.DATE:
            # Start dates on days 1-10, end dates (not_before) on days 11-25: always ordered.
            return date(year, month, rng.randrange(11, 26) if column.not_before else rng.randrange(1, 11))
        case Kind.TIMESTAMP:
            return datetime(year, month, 26, 10, rng.randrange(0, 60), 0)
        case Kind.DECIMAL:
            return (
                round(rng.uniform(0.1, 1.0), 2)
                if column.check is Check.FTE
                else round(rng.uniform(0, 1e5), 2)
            )
        case Kind.INTEGER:
            return rng.randrange(1, 6)
        case Kind.BOOLEAN:
            return rng.random() < 0.5
    if column.is_personal_identifier:
        return f"M{rng.randrange(100_000, 999_999)}{i:04d}"
    return f"{column.name[:3].upper()}{period.replace('-', '')}{i:05d}"


def sample_frame(ds: Dataset, period: str, rows: int, seed: int = 0) -> pd.DataFrame:
    """`rows` valid rows of a dataset for a period: unique keys, every rule of the contract satisfied."""
    rng = random.Random(f"{ds.qualified_name}/{period}/{seed}")
    return pd.DataFrame(
        {c.name: [_value(c, ds, period, i, rng) for i in range(rows)] for c in ds.columns},
        columns=list(ds.header),
    )


def produced_at_for(period: str) -> datetime:
    """Early in the following month, as an export would be."""
    year, month = (int(p) for p in period.split("-"))
    return datetime(year + (month == 12), month % 12 + 1, 3, 8, 0, 0)


def patch_cell(ds: Dataset, data: bytes, row: int, column: str, text: str) -> bytes:
    """Replace one field's text in encoded bytes (sample values hold no delimiter nor quote)."""
    fmt = SOURCE_FORMATS[ds.source]
    bom = data.startswith(UTF8_BOM)
    lines = data[len(UTF8_BOM) if bom else 0 :].decode(fmt.encoding).split(fmt.line_end)
    fields = lines[row + 1].split(fmt.delimiter)
    fields[ds.header.index(column)] = text
    lines[row + 1] = fmt.delimiter.join(fields)
    body = fmt.line_end.join(lines).encode(fmt.encoding)
    return (UTF8_BOM + body) if bom else body


# --- the catalogue ----------------------------------------------------------------------------------------


@dataclass
class ExpectedDelivery:
    file_name: str  # relative to the landing folder
    status: str  # LOADED, REJECTED, DUPLICATE, SUPERSEDED, or IGNORED (no audit row)
    rule: str | None = None  # the rejection rule for REJECTED/DUPLICATE
    rows_loaded: int = 0
    rows_quarantined: int = 0
    quarantine: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, rule)


@dataclass
class Defect:
    name: str
    description: str
    deliveries: list[ExpectedDelivery]


ROWS = 5


class _Writer:
    """Writes one defect per call into its own (dataset, period), so defects never interact."""

    def __init__(self, landing: Path) -> None:
        self.landing = landing
        self.defects: list[Defect] = []
        self._periods = (f"{y}-{m:02d}" for y in (2001, 2002, 2003) for m in range(1, 13))

    def next_period(self) -> str:
        return next(self._periods)

    def rel(self, ds: Dataset, name: DeliveryName) -> str:
        return f"{ds.source}/{ds.name}/{name.data_file}"

    def raw(
        self,
        name: str,
        description: str,
        ds_name: tuple[str, str],
        mutate: Callable[[Dataset, bytes], bytes],
        rows: int | None = None,
        expect: Callable[[str], ExpectedDelivery] | None = None,
    ) -> None:
        """Encode valid rows, let `mutate` break the bytes, write them with a manifest of the result."""
        ds, period = dataset(*ds_name), self.next_period()
        data = mutate(ds, encode_rows(ds, sample_frame(ds, period, ROWS)))
        delivery = DeliveryName(ds.name, period, 1)
        write_file_then_manifest(
            self.landing, ds, delivery, data, ROWS if rows is None else rows, produced_at_for(period)
        )
        rel = self.rel(ds, delivery)
        self.defects.append(
            Defect(name, description, [expect(rel) if expect else ExpectedDelivery(rel, "LOADED")])
        )

    def rejected(
        self,
        name: str,
        description: str,
        ds_name: tuple[str, str],
        rule: str,
        mutate: Callable[[Dataset, bytes], bytes],
        rows: int | None = None,
    ) -> None:
        self.raw(
            name, description, ds_name, mutate, rows, lambda rel: ExpectedDelivery(rel, "REJECTED", rule)
        )

    def quarantined(
        self,
        name: str,
        description: str,
        ds_name: tuple[str, str],
        cells: list[tuple[int, str, str]],
        rule: str,
    ) -> None:
        """Rows `row` get `text` in `column`; each must be quarantined with `rule`."""

        def mutate(ds: Dataset, data: bytes) -> bytes:
            for row, column, text in cells:
                data = patch_cell(ds, data, row, column, text)
            return data

        bad_rows = {row for row, _, _ in cells}
        ds = dataset(*ds_name)
        column_names = {c: (",".join(ds.key) if rule == "duplicate_key" else c) for _, c, _ in cells}
        self.raw(
            name,
            description,
            ds_name,
            mutate,
            expect=lambda rel: ExpectedDelivery(
                rel,
                "LOADED",
                None,
                ROWS - len(bad_rows),
                len(bad_rows),
                sorted({(row + 2, column_names[c], rule) for row, c, _ in cells}),
            ),
        )


def _replace(old: bytes, new: bytes) -> Callable[[Dataset, bytes], bytes]:
    return lambda _ds, data: data.replace(old, new)


def _to_latin1_with_accent(ds: Dataset, data: bytes) -> bytes:
    text = patch_cell(ds, data, 1, "direction", "Direction générale").decode("utf-8")
    return text.removeprefix("\ufeff").encode("latin-1")


def _drop_column(column: str) -> Callable[[Dataset, bytes], bytes]:
    def mutate(ds: Dataset, data: bytes) -> bytes:
        fmt = SOURCE_FORMATS[ds.source]
        index = ds.header.index(column)
        lines = data.decode(fmt.encoding).split(fmt.line_end)
        kept = [
            fmt.delimiter.join(f for i, f in enumerate(line.split(fmt.delimiter)) if i != index)
            if line
            else line
            for line in lines
        ]
        return fmt.line_end.join(kept).encode(fmt.encoding)

    return mutate


def _add_column(ds: Dataset, data: bytes) -> bytes:
    fmt = SOURCE_FORMATS[ds.source]
    lines = data.decode(fmt.encoding).split(fmt.line_end)
    lines = [
        f"{line}{fmt.delimiter}{'opmerking' if i == 0 else 'x'}" if line else line
        for i, line in enumerate(lines)
    ]
    return fmt.line_end.join(lines).encode(fmt.encoding)


def _truncate(_ds: Dataset, data: bytes) -> bytes:
    body = data.rstrip(b"\n")
    last_start = body.rfind(b"\n") + 1
    last = body[last_start:]
    return body[:last_start] + last[: last.find(b";", last.find(b";") + 1)]  # keeps 2 of its fields


def _quoted_line_break(ds: Dataset, data: bytes) -> bytes:
    # The bad etp first: patch_cell splits on line ends, which the quoted break would shift.
    data = patch_cell(ds, data, 2, "etp", "1,50")
    return patch_cell(ds, data, 0, "direction", '"Direction\r\ngénérale"')


def _crlf(_ds: Dataset, data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def _duplicate_key_of_row0(ds: Dataset, data: bytes) -> bytes:
    fmt = SOURCE_FORMATS[ds.source]
    row0 = data.decode(fmt.encoding).split(fmt.line_end)[1].split(fmt.delimiter)
    return patch_cell(ds, data, 3, ds.key[0], row0[ds.header.index(ds.key[0])])


def _flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-3] = ord("X") if data[-3] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))


def write_defects(landing: Path) -> list[Defect]:
    """Write every defect delivery into `landing` and DEFECTS.json beside them; return the catalogue."""
    w = _Writer(landing)
    a, bf, vdab = "actiris", "bf", "vdab"

    # Rejected whole.
    w.rejected(
        "wrong_delimiter",
        "Actiris file written with ',' instead of ';'.",
        (a, "actions"),
        "header",
        _replace(b";", b","),
    )
    w.rejected(
        "latin1_declared_utf8",
        "Actiris (UTF-8) file whose bytes are ISO-8859-1.",
        (a, "rh_personnel"),
        "encoding",
        _to_latin1_with_accent,
    )
    w.rejected(
        "missing_column",
        "BF file without its prescripteur column.",
        (bf, "demandes_formation"),
        "header",
        _drop_column("prescripteur"),
    )
    w.rejected(
        "extra_column", "VDAB file with an added column.", (vdab, "opleidingen"), "header", _add_column
    )
    w.rejected(
        "bom_doubled",
        "Actiris file starting with two byte-order marks.",
        (a, "occupations"),
        "header",
        lambda _ds, data: UTF8_BOM + data,
    )
    w.rejected(
        "truncated_file",
        "BF file cut inside its last record (manifest from the cut bytes).",
        (bf, "stagiaires"),
        "csv_structure",
        _truncate,
    )
    w.rejected(
        "record_count_mismatch",
        "Manifest declares one record more than the file holds.",
        (a, "mises_en_relation"),
        "record_count",
        lambda _ds, data: data,
        rows=ROWS + 1,
    )
    w.rejected(
        "empty_file",
        "A 0-byte data file.",
        (bf, "invitations_seances"),
        "empty_file",
        lambda _ds, _data: b"",
        rows=0,
    )
    w.raw(
        "sha_mismatch",
        "Bytes changed after the manifest was written.",
        (vdab, "opleidingen"),
        lambda _ds, data: data,
        expect=lambda rel: ExpectedDelivery(rel, "REJECTED", "sha256_mismatch"),
    )
    _flip_one_byte(landing / w.defects[-1].deliveries[0].file_name)
    for name, description, rule, content in (
        ("manifest_without_file", "A manifest whose data file is missing.", "data_file_missing", None),
        ("manifest_not_json", "A manifest that is not JSON.", "manifest_unreadable", b"{rows: 5"),
        ("manifest_missing_field", "A manifest without sha256.", "manifest_field", None),
    ):
        ds, period = dataset(a, "decisions_disponibilite"), w.next_period()
        written = write_delivery(landing, ds, period, sample_frame(ds, period, ROWS), produced_at_for(period))
        if rule == "data_file_missing":
            written.data_path.unlink()
        elif content is not None:
            written.manifest_path.write_bytes(content)
        else:
            body = json.loads(written.manifest_path.read_bytes())
            del body["sha256"]
            written.manifest_path.write_text(json.dumps(body), encoding="utf-8")
        rel = written.data_path.relative_to(landing).as_posix()
        w.defects.append(Defect(name, description, [ExpectedDelivery(rel, "REJECTED", rule)]))

    # Not read at all: still being copied.
    ds, period = dataset(a, "budget"), w.next_period()
    written = write_delivery(landing, ds, period, sample_frame(ds, period, ROWS), produced_at_for(period))
    written.manifest_path.unlink()
    w.defects.append(
        Defect(
            "file_without_manifest",
            "A data file whose manifest has not arrived yet.",
            [ExpectedDelivery(written.data_path.relative_to(landing).as_posix(), "IGNORED")],
        )
    )

    # Valid variants that must load.
    w.raw(
        "quoted_line_break",
        "A quoted field holding CRLF; the bad etp two records later is on line 5.",
        (a, "rh_personnel"),
        _quoted_line_break,
        expect=lambda rel: ExpectedDelivery(rel, "LOADED", None, ROWS - 1, 1, [(5, "etp", "fte")]),
    )
    w.raw(
        "crlf_where_lf",
        "VDAB file with CRLF line ends.",
        (vdab, "opleidingen"),
        _crlf,
        expect=lambda rel: ExpectedDelivery(rel, "LOADED", None, ROWS, 0),
    )
    w.raw(
        "bom_missing",
        "Actiris file without its usual BOM.",
        (a, "budget"),
        lambda _ds, data: data.removeprefix(UTF8_BOM),
        expect=lambda rel: ExpectedDelivery(rel, "LOADED", None, ROWS, 0),
    )
    ds, period = dataset(bf, "invitations_seances"), w.next_period()
    written = write_delivery(landing, ds, period, sample_frame(ds, period, 0), produced_at_for(period))
    w.defects.append(
        Defect(
            "header_only",
            "A header-only file: a month without events.",
            [ExpectedDelivery(written.data_path.relative_to(landing).as_posix(), "LOADED")],
        )
    )

    # Rows quarantined, the rest loads.
    w.quarantined(
        "decimal_point_for_comma",
        "Actiris amount written 1234.56.",
        (a, "budget"),
        [(1, "credit_initial", "1234.56")],
        "type_decimal",
    )
    w.quarantined(
        "bad_niss",
        "NISS with wrong check digits.",
        (bf, "demandes_formation"),
        [(2, "niss", "85073003399")],
        "niss_checksum",
    )
    w.quarantined(
        "niss_in_text",
        "A national register number typed into the article's label.",
        (a, "budget"),
        [(1, "libelle_article", f"Remboursement {random_niss(random.Random('niss_in_text'))}")],
        "niss_in_text",
    )
    w.quarantined(
        "future_date",
        "Action dated after the delivery was produced.",
        (a, "actions"),
        [(0, "date_action", "01/01/2099")],
        "future_date",
    )
    w.quarantined(
        "end_before_start",
        "Employment spell ending before it starts.",
        (a, "occupations"),
        [(3, "date_fin", "01/01/1990")],
        "end_before_start",
    )
    w.quarantined(
        "unknown_commune",
        "Residence outside the 19 Brussels communes.",
        (a, "demandeurs"),
        [(1, "code_ins_commune", "21099")],
        "commune",
    )
    w.raw(
        "duplicate_key",
        "Two records with one id_participation: both are quarantined.",
        (bf, "stagiaires"),
        _duplicate_key_of_row0,
        expect=lambda rel: ExpectedDelivery(
            rel,
            "LOADED",
            None,
            ROWS - 2,
            2,
            [(2, "id_participation", "duplicate_key"), (5, "id_participation", "duplicate_key")],
        ),
    )
    w.quarantined(
        "unknown_code",
        "Match origin not in its code list.",
        (a, "mises_en_relation"),
        [(4, "origine", "ROBOT")],
        "code_list",
    )
    w.quarantined(
        "required_empty",
        "Procedure type left empty.",
        (a, "decisions_disponibilite"),
        [(0, "type_procedure", "")],
        "required",
    )
    w.quarantined(
        "bad_boolean", "VDAB boolean written Y.", (vdab, "opleidingen"), [(2, "attest", "Y")], "type_boolean"
    )
    w.quarantined(
        "negative_amount",
        "Negative cumulative execution.",
        (a, "budget"),
        [(3, "montant_cumule", "-5,00")],
        "non_negative",
    )
    w.quarantined("fte_out_of_range", "FTE of 1.5.", (a, "rh_personnel"), [(1, "etp", "1,50")], "fte")
    w.quarantined(
        "bad_enterprise_number",
        "Enterprise number failing its check.",
        (a, "offres_emploi"),
        [(0, "numero_bce", "0123456789")],
        "enterprise_checksum",
    )
    w.quarantined(
        "mois_not_period",
        "Staff row for another month.",
        (a, "rh_personnel"),
        [(2, "mois", "1999-01")],
        "period",
    )
    w.quarantined(
        "impossible_date",
        "Birth date 31 February.",
        (a, "demandeurs"),
        [(4, "date_naissance", "31/02/1990")],
        "type_date",
    )

    # Re-deliveries.
    ds, period = dataset(a, "rh_absences"), w.next_period()
    frame = sample_frame(ds, period, ROWS)
    first = write_delivery(landing, ds, period, frame, produced_at_for(period))
    again = write_file_then_manifest(
        landing,
        ds,
        DeliveryName(ds.name, period, 2),
        first.data_path.read_bytes(),
        ROWS,
        produced_at_for(period) + timedelta(days=1),
    )
    w.defects.append(
        Defect(
            "identical_redelivery",
            "The same bytes delivered again as a correction.",
            [
                ExpectedDelivery(first.data_path.relative_to(landing).as_posix(), "LOADED", None, ROWS, 0),
                ExpectedDelivery(again.data_path.relative_to(landing).as_posix(), "DUPLICATE", "duplicate"),
            ],
        )
    )
    ds, period = dataset(bf, "invitations_seances"), w.next_period()
    first = write_delivery(landing, ds, period, sample_frame(ds, period, ROWS), produced_at_for(period))
    fixed = write_delivery(
        landing,
        ds,
        period,
        sample_frame(ds, period, ROWS + 1, seed=1),
        produced_at_for(period) + timedelta(days=5),
        correction=2,
    )
    w.defects.append(
        Defect(
            "corrected_redelivery",
            "A correction of a loaded period.",
            [
                ExpectedDelivery(
                    first.data_path.relative_to(landing).as_posix(), "SUPERSEDED", None, ROWS, 0
                ),
                ExpectedDelivery(
                    fixed.data_path.relative_to(landing).as_posix(), "LOADED", None, ROWS + 1, 0
                ),
            ],
        )
    )

    catalogue = [asdict(d) for d in w.defects]
    (landing / "DEFECTS.json").write_text(json.dumps(catalogue, indent=2) + "\n", encoding="utf-8")
    return w.defects
