"""Files that break the contract in ways a reader's library trips over (line ends of a carriage return
alone, a field longer than Python's csv limit, a manifest nested beyond the JSON parser's recursion, a
header that is a data row of letters): each delivery gets its outcome and reason, and the run goes on
with the next one. Real ingestion on hand-edited deliveries."""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable
from datetime import datetime

from orchestration.config import Settings
from orchestration.contract.datasets import dataset
from orchestration.contract.formats import SOURCE_FORMATS
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.defects import random_niss
from tests.ingest.conftest import deliver_edited, query

VALID = dataset("vdab", "opleidingen")


def _outcomes(settings: Settings) -> dict[str, tuple[str, str | None]]:
    return {o.dataset: (str(o.status), o.rule) for o in ingest_landing(settings)}


def test_line_ends_of_a_carriage_return_alone_reject_the_delivery(settings: Settings) -> None:
    deliver_edited(
        settings.landing_dir, dataset("bf", "demandes_formation"), [], edit=lambda d: d.replace(b"\n", b"\r")
    )
    deliver_edited(settings.landing_dir, VALID, [])
    assert _outcomes(settings) == {
        "demandes_formation": ("REJECTED", "line_end"),
        "opleidingen": ("LOADED", None),
    }
    (reason,) = query(settings, "SELECT reason FROM audit.deliveries WHERE status = 'REJECTED'")[0]
    assert "carriage return alone" in reason and "demandes_formation_202403.csv" in reason


def test_a_field_longer_than_the_csv_module_allows_loads(settings: Settings) -> None:
    budget = dataset("actiris", "budget")
    label = "x" * 200_000
    # quoted, so that the record lines are read by Python's csv module too
    deliver_edited(settings.landing_dir, budget, [(1, "libelle_article", f'"{label}"')])
    deliver_edited(settings.landing_dir, VALID, [])
    assert _outcomes(settings) == {"budget": ("LOADED", None), "opleidingen": ("LOADED", None)}
    lengths = query(settings, "SELECT max(length(libelle_article)) FROM raw.actiris__budget")
    assert lengths == [(200_000,)]


def test_a_manifest_nested_too_deeply_is_rejected_and_one_with_a_bom_loads(settings: Settings) -> None:
    nested = deliver_edited(settings.landing_dir, dataset("bf", "stagiaires"), [])
    nested.manifest_path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with_bom = deliver_edited(settings.landing_dir, VALID, [])
    with_bom.manifest_path.write_bytes(b"\xef\xbb\xbf" + with_bom.manifest_path.read_bytes())
    assert _outcomes(settings) == {
        "stagiaires": ("REJECTED", "manifest_unreadable"),
        "opleidingen": ("LOADED", None),
    }


def test_a_header_that_is_a_row_of_letters_is_not_shown(settings: Settings) -> None:
    staff = dataset("actiris", "rh_personnel")
    # a staff number of letters only (the contract does not say it holds digits), generated here
    number = "".join(random.Random().choices(string.ascii_lowercase, k=10))
    line_end = SOURCE_FORMATS[staff.source].line_end.encode()

    def drop_header(data: bytes) -> bytes:  # the first line is now a data row
        return data[:3] + data[3:].split(line_end, 1)[1]  # after the BOM

    deliver_edited(settings.landing_dir, staff, [(0, "matricule", number)], edit=drop_header, records=2)
    assert _outcomes(settings) == {"rh_personnel": ("REJECTED", "header")}
    ((reason,),) = query(settings, "SELECT reason FROM audit.deliveries")
    assert "values not shown" in reason
    assert number not in reason


def test_a_record_with_a_field_too_many_is_named_by_its_physical_line(settings: Settings) -> None:
    budget = dataset("actiris", "budget")
    # Record 0 spans two lines (a quoted line break), a blank line follows record 1, and record 2 holds
    # one field too many: it starts on line 6 (header 1, record 0 on 2-3, record 1 on 4, blank 5).
    cells = [(2, "libelle_article", "one;two"), (0, "libelle_article", '"two\r\nlines"')]

    def blank_after_record_1(data: bytes) -> bytes:
        lines = data.split(b"\r\n")
        return b"\r\n".join([*lines[:4], b"", *lines[4:]])

    deliver_edited(settings.landing_dir, budget, cells, edit=blank_after_record_1)
    deliver_edited(settings.landing_dir, VALID, [])
    assert _outcomes(settings) == {"budget": ("REJECTED", "csv_structure"), "opleidingen": ("LOADED", None)}
    ((reason,),) = query(settings, "SELECT reason FROM audit.deliveries WHERE status = 'REJECTED'")
    assert "line 6 has" in reason and "fields where the header has" in reason, reason


def test_fields_too_many_in_a_file_without_quotes_are_all_counted(settings: Settings) -> None:
    budget = dataset("actiris", "budget")
    # DuckDB stops at the first field too many; the reason counts every field of the line
    deliver_edited(settings.landing_dir, budget, [(1, "libelle_article", "one;two;three")])
    assert _outcomes(settings) == {"budget": ("REJECTED", "csv_structure")}
    ((reason,),) = query(settings, "SELECT reason FROM audit.deliveries")
    assert "line 3 has 11 fields where the header has 9" in reason, reason


def test_a_manifest_of_another_delivery_is_named_by_its_fields_not_their_values(settings: Settings) -> None:
    written = deliver_edited(settings.landing_dir, dataset("actiris", "decisions_disponibilite"), [])
    manifest = json.loads(written.manifest_path.read_text(encoding="utf-8"))
    niss = random_niss(random.Random())
    written.manifest_path.write_text(json.dumps({**manifest, "source": niss}), encoding="utf-8")
    assert _outcomes(settings) == {"decisions_disponibilite": ("REJECTED", "manifest_mismatch")}
    ((reason,),) = query(settings, "SELECT reason FROM audit.deliveries")
    assert "the manifest's source does not match the file's actiris/decisions_disponibilite" in reason
    assert niss not in reason


def test_manifest_values_out_of_range_reject_their_delivery_and_the_run_goes_on(settings: Settings) -> None:
    def set_manifest(ds_name: tuple[str, str], field: str, value: object) -> None:
        written = deliver_edited(settings.landing_dir, dataset(*ds_name), [])
        manifest = json.loads(written.manifest_path.read_text(encoding="utf-8"))
        written.manifest_path.write_text(json.dumps({**manifest, field: value}), encoding="utf-8")

    set_manifest(("bf", "demandes_formation"), "rows", 10**20)  # beyond a 64-bit integer
    set_manifest(("bf", "stagiaires"), "produced_at", "0001-01-01T00:30:00+01:00")  # year 0 in UTC
    set_manifest(("actiris", "budget"), "produced_at", "2999-01-01T08:00:00+01:00")
    deliver_edited(settings.landing_dir, VALID, [])
    assert _outcomes(settings) == {
        "demandes_formation": ("REJECTED", "manifest_field"),
        "stagiaires": ("REJECTED", "manifest_field"),
        "budget": ("REJECTED", "manifest_field"),
        "opleidingen": ("LOADED", None),
    }
    reasons = dict(query(settings, "SELECT dataset, reason FROM audit.deliveries"))
    assert "rows is not a non-negative integer" in reasons["demandes_formation"]
    assert "produced_at is not an ISO-8601 timestamp" in reasons["stagiaires"]
    assert "produced_at lies in the future" in reasons["budget"]


def test_a_period_that_had_not_begun_when_the_delivery_was_produced_is_rejected(settings: Settings) -> None:
    # a typo for 2025-03 would otherwise move the cut-off, and every open window with it, to 2099
    produced = datetime(2025, 4, 2, 8, 0)  # Brussels time, as the writer stamps it
    deliver_edited(settings.landing_dir, dataset("actiris", "demandeurs"), [], produced, period="2099-12")
    deliver_edited(settings.landing_dir, dataset("actiris", "budget"), [], produced, period="2025-04")
    assert _outcomes(settings) == {"demandeurs": ("REJECTED", "future_period"), "budget": ("LOADED", None)}
    ((reason,),) = query(settings, "SELECT reason FROM audit.deliveries WHERE status = 'REJECTED'")
    assert "the period 2099-12 begins after the delivery was produced (2025-04-02T08:00:00+02:00)" in reason


def test_a_renamed_column_and_a_bom_in_a_latin1_file_are_named(settings: Settings) -> None:
    actions, requests = dataset("actiris", "actions"), dataset("bf", "demandes_formation")
    deliver_edited(settings.landing_dir, actions, [], edit=lambda d: d.replace(b";canal;", b";channel;", 1))
    deliver_edited(settings.landing_dir, requests, [], edit=lambda d: b"\xef\xbb\xbf" + d)
    assert _outcomes(settings) == {
        "actions": ("REJECTED", "header"),
        "demandes_formation": ("REJECTED", "encoding"),
    }
    reasons = dict(query(settings, "SELECT dataset, reason FROM audit.deliveries"))
    assert "missing column(s) canal; unexpected column(s) channel" in reasons["actions"], reasons
    bom = "starts with a UTF-8 byte-order mark; its source writes ISO-8859-1"
    assert bom in reasons["demandes_formation"]


def test_a_line_ending_with_a_delimiter_too_many_is_rejected_in_a_file_without_quotes(
    settings: Settings,
) -> None:
    # DuckDB reads `a,b,…,i,` as nine fields; the contract's record has nine, so the line has ten
    line_end = SOURCE_FORMATS[VALID.source].line_end.encode()

    def trailing_delimiter_on_line_3(data: bytes) -> bytes:
        lines = data.split(line_end)
        lines[2] += b","
        return line_end.join(lines)

    deliver_edited(settings.landing_dir, VALID, [], edit=trailing_delimiter_on_line_3)
    assert _outcomes(settings) == {"opleidingen": ("REJECTED", "csv_structure")}
    ((reason,),) = query(settings, "SELECT reason FROM audit.deliveries")
    assert "line 3 has 10 fields where the header has 9" in reason, reason


def test_utf8_text_in_a_latin1_file_is_rejected_by_its_encoding(settings: Settings) -> None:
    trainees, requests = dataset("bf", "stagiaires"), dataset("bf", "demandes_formation")

    def utf8(text: str) -> Callable[[bytes], bytes]:
        return lambda data: data.replace(b"PLACEHOLDER", text.encode("utf-8"))

    # "é" is two printable latin-1 characters once in UTF-8 ("Ã©"); "É" holds the control byte 0x89
    deliver_edited(settings.landing_dir, trainees, [(1, "centre", "PLACEHOLDER")], edit=utf8("Métiers"))
    deliver_edited(settings.landing_dir, requests, [(2, "code_domaine", "PLACEHOLDER")], edit=utf8("École"))
    assert _outcomes(settings) == {
        "stagiaires": ("REJECTED", "encoding"),
        "demandes_formation": ("REJECTED", "encoding"),
    }
    reasons = dict(query(settings, "SELECT dataset, reason FROM audit.deliveries"))
    assert "bytes are UTF-8, not the source's ISO-8859-1 (first on line 3)" in reasons["stagiaires"]
    assert "control byte 0x89 on line 4" in reasons["demandes_formation"]
