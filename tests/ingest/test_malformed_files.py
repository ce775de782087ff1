"""Files that break the contract in ways a reader's library trips over (line ends of a carriage return
alone, a field longer than Python's csv limit, a manifest nested beyond the JSON parser's recursion, a
header that is a data row of letters): each delivery gets its outcome and reason, and the run goes on
with the next one. Real ingestion on hand-edited deliveries."""

from __future__ import annotations

import random
import string

from orchestration.config import Settings
from orchestration.contract.datasets import dataset
from orchestration.contract.formats import SOURCE_FORMATS
from orchestration.ingest.run import ingest_landing
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
