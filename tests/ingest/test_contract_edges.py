"""Edges of the landing contract, each through the real ingestion: a file without its header (no field
value reaches the audit table), a quoted header, a NISS with a non-ASCII digit, two-digit years, the
future-date rule (a start after the delivery is quarantined, an end date ahead of it is kept as
delivered, produced_at's day is the Brussels one), blank lines (the quarantine names the physical line),
a staff number repeated with blanks around it, a decision date without its result, the workplace
codes of the municipalities merged in 2025, and a national number typed where no identifier belongs."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime

from orchestration.config import Settings
from orchestration.contract.datasets import dataset
from orchestration.contract.formats import SOURCE_FORMATS
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.defects import random_niss
from tests.ingest.conftest import deliver_edited, quarantined, query
from tests.privacy_scan import Identifiers, leaks_in_tables


def test_a_file_without_its_header_is_rejected_without_its_values(settings: Settings) -> None:
    ds = dataset("actiris", "demandeurs")
    niss = random_niss(random.Random())
    line_end = SOURCE_FORMATS[ds.source].line_end.encode()

    def drop_header(data: bytes) -> bytes:  # the first line is now a data row carrying a national number
        return data[:3] + data[3:].split(line_end, 1)[1]  # after the BOM

    deliver_edited(settings.landing_dir, ds, [(0, "niss", niss)], edit=drop_header, records=2)
    (outcome,) = ingest_landing(settings)
    assert (outcome.status, outcome.rule) == ("REJECTED", "header")
    assert outcome.reason is not None and "not column names (values not shown" in outcome.reason
    stored = query(settings, "SELECT reason FROM audit.deliveries")
    assert stored == [(outcome.reason,)]
    assert niss not in outcome.reason and niss[:6] not in outcome.reason


def test_a_quoted_header_is_the_contract_header(settings: Settings) -> None:
    ds = dataset("bf", "demandes_formation")
    fmt = SOURCE_FORMATS[ds.source]
    quoted = fmt.delimiter.join(f'"{c}"' for c in ds.header).encode(fmt.encoding)

    def quote_header(data: bytes) -> bytes:
        return quoted + fmt.line_end.encode() + data.split(fmt.line_end.encode(), 1)[1]

    deliver_edited(settings.landing_dir, ds, [], edit=quote_header)
    (outcome,) = ingest_landing(settings)
    assert (outcome.status, outcome.rows_loaded) == ("LOADED", 3)


def test_a_niss_with_a_non_ascii_digit_is_quarantined_and_the_run_goes_on(settings: Settings) -> None:
    niss = random_niss(random.Random())
    # "²" is a digit to str.isdigit() (and one byte in ISO-8859-1), not to the checksum
    deliver_edited(settings.landing_dir, dataset("bf", "demandes_formation"), [(1, "niss", niss[:10] + "²")])
    deliver_edited(settings.landing_dir, dataset("vdab", "opleidingen"), [(0, "insz", "٨٥٠٧٣٠٠٣٣٢٨")])
    outcomes = ingest_landing(settings)
    assert sorted((o.dataset, o.status, o.rows_loaded, o.rows_quarantined) for o in outcomes) == [
        ("demandes_formation", "LOADED", 2, 1),
        ("opleidingen", "LOADED", 2, 1),
    ]
    assert quarantined(settings, "bf__demandes_formation") == [(3, "niss", "niss_checksum")]
    assert quarantined(settings, "vdab__opleidingen") == [(2, "insz", "niss_checksum")]


def test_two_digit_years_do_not_parse(settings: Settings) -> None:
    deliver_edited(settings.landing_dir, dataset("bf", "stagiaires"), [(0, "date_debut", "01/03/24")])
    deliver_edited(settings.landing_dir, dataset("vdab", "opleidingen"), [(1, "startdatum", "24-03-01")])
    ingest_landing(settings)
    assert quarantined(settings, "bf__stagiaires") == [(2, "date_debut", "type_date")]
    assert quarantined(settings, "vdab__opleidingen") == [(3, "startdatum", "type_date")]


def test_iso_timestamps_with_z_or_fractions_load_without_an_offset_do_not(settings: Settings) -> None:
    vdab = dataset("vdab", "opleidingen")
    deliver_edited(
        settings.landing_dir,
        vdab,
        [
            (0, "laatst_gewijzigd", "2024-03-20T09:15:00Z"),
            (1, "laatst_gewijzigd", "2024-03-20T10:15:00.250+01:00"),
            (2, "laatst_gewijzigd", "2024-03-20T10:15:00"),  # which instant? not ISO-8601 with an offset
        ],
    )
    (outcome,) = ingest_landing(settings)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (2, 1)
    assert quarantined(settings, "vdab__opleidingen") == [(4, "laatst_gewijzigd", "type_timestamp")]
    stored = query(settings, "SELECT laatst_gewijzigd FROM raw.vdab__opleidingen ORDER BY 1")
    assert [str(t.astimezone(UTC)) for (t,) in stored] == [
        "2024-03-20 09:15:00+00:00",
        "2024-03-20 09:15:00.250000+00:00",
    ]


def test_future_dates_starts_are_quarantined_end_dates_are_kept(settings: Settings) -> None:
    written = deliver_edited(
        settings.landing_dir,
        dataset("actiris", "rh_absences"),
        [
            (0, "date_debut", "27/05/2024"),
            (0, "date_fin", "07/06/2024"),  # certified until next week: kept as delivered
            (1, "date_debut", "01/06/2024"),  # the delivery's own day in Brussels
            (1, "date_fin", "03/06/2024"),
            (2, "date_debut", "02/06/2024"),  # the day after: not a fact yet
            (2, "date_fin", "03/06/2024"),
        ],
        period="2024-05",
        produced_at=datetime(2024, 5, 31, 12, 0),
    )
    # produced on 31 May 22:45 UTC, as a manifest may say: already 1 June in Brussels, where dates are written
    content = json.loads(written.manifest_path.read_text(encoding="utf-8"))
    content["produced_at"] = "2024-05-31T22:45:00+00:00"
    written.manifest_path.write_text(json.dumps(content), encoding="utf-8")
    (outcome,) = ingest_landing(settings)
    assert (outcome.status, outcome.rows_loaded, outcome.rows_quarantined) == ("LOADED", 2, 1)
    assert quarantined(settings, "actiris__rh_absences") == [(4, "date_debut", "future_date")]


def _blank_lines(line_end: bytes) -> Callable[[bytes], bytes]:
    """A blank line after the first record and two after the second (DuckDB skips them)."""

    def edit(data: bytes) -> bytes:
        header, first, second, rest = data.split(line_end, 3)
        return line_end.join([header, first, b"", second, b"", b"", rest])

    return edit


def test_a_quarantined_row_after_blank_lines_names_its_physical_line(settings: Settings) -> None:
    bf, actiris = dataset("bf", "stagiaires"), dataset("actiris", "rh_absences")
    for ds, column in ((bf, "date_debut"), (actiris, "date_debut")):
        line_end = SOURCE_FORMATS[ds.source].line_end.encode()
        # the second and third records: lines 4 and 7 of the file (header 1, first record 2, blank 3)
        deliver_edited(
            settings.landing_dir, ds, [(1, column, "x"), (2, column, "y")], edit=_blank_lines(line_end)
        )
    outcomes = ingest_landing(settings)
    assert sorted((o.dataset, o.rows_loaded, o.rows_quarantined) for o in outcomes) == [
        ("rh_absences", 1, 2),
        ("stagiaires", 1, 2),
    ]
    for table, column in (("bf__stagiaires", "date_debut"), ("actiris__rh_absences", "date_debut")):
        assert quarantined(settings, table) == [(4, column, "type_date"), (7, column, "type_date")]
    loaded = query(settings, "SELECT line_number FROM raw.bf__stagiaires")
    assert loaded == [(2,)]


def test_a_staff_number_with_blanks_around_it_is_the_same_key(settings: Settings) -> None:
    ds = dataset("actiris", "rh_personnel")
    # generated here, as every staff number of the tests: none is committed
    staff = f"M{random.Random().randrange(100_000, 999_999)}"
    deliver_edited(settings.landing_dir, ds, [(0, "matricule", staff), (2, "matricule", f" {staff} ")])
    (outcome,) = ingest_landing(settings)
    # one pseudonym for both: loaded, they would count one person twice in the month
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 2)
    assert quarantined(settings, "actiris__rh_personnel") == [
        (2, "matricule,mois", "duplicate_key"),
        (4, "matricule,mois", "duplicate_key"),
    ]


def test_a_decision_date_without_its_result_is_quarantined(settings: Settings) -> None:
    ds = dataset("actiris", "decisions_disponibilite")
    deliver_edited(
        settings.landing_dir, ds, [(0, "resultat", ""), (1, "resultat", ""), (1, "date_decision", "")]
    )
    (outcome,) = ingest_landing(settings)
    # the second row is a pending procedure (neither given): it loads
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (2, 1)
    assert quarantined(settings, "actiris__decisions_disponibilite") == [(2, "resultat", "required")]


def test_workplaces_of_the_2025_mergers_load_under_either_code(settings: Settings) -> None:
    ds = dataset("actiris", "offres_emploi")
    # Beveren-Kruibeke-Zwijndrecht since 2025, Beveren before it, and a code that never existed
    cells = [(0, "lieu_code_ins", "46030"), (1, "lieu_code_ins", "46003"), (2, "lieu_code_ins", "46031")]
    deliver_edited(settings.landing_dir, ds, cells, period="2025-02")
    (outcome,) = ingest_landing(settings)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (2, 1)
    assert quarantined(settings, "actiris__offres_emploi") == [(4, "lieu_code_ins", "code_list")]


def test_a_national_number_typed_into_text_is_quarantined_and_never_stored(settings: Settings) -> None:
    rng = random.Random()
    typed, printed, as_id, in_cpas = (random_niss(rng) for _ in range(4))
    dotted = f"{printed[:2]}.{printed[2:4]}.{printed[4:6]}-{printed[6:9]}.{printed[9:]}"
    landing = settings.landing_dir
    deliver_edited(landing, dataset("actiris", "budget"), [(1, "libelle_article", f"Remboursement {typed}")])
    deliver_edited(landing, dataset("actiris", "rh_personnel"), [(0, "direction", dotted)])
    # a CPAS code is kept as delivered outside DEI_CPAS registrations (contract section 4): not this one
    registrations = [
        (0, "type_inscription", "DEI_ALLOC"),
        (0, "code_ins_cpas", in_cpas),
        (2, "id_dossier", as_id),
    ]
    deliver_edited(landing, dataset("actiris", "demandeurs"), registrations)
    outcomes = ingest_landing(settings)
    assert sorted((o.dataset, o.status, o.rows_loaded, o.rows_quarantined) for o in outcomes) == [
        ("budget", "LOADED", 2, 1),
        ("demandeurs", "LOADED", 1, 2),
        ("rh_personnel", "LOADED", 2, 1),
    ]
    assert quarantined(settings, "actiris__budget") == [(3, "libelle_article", "niss_in_text")]
    assert quarantined(settings, "actiris__rh_personnel") == [(2, "direction", "niss_in_text")]
    assert quarantined(settings, "actiris__demandeurs") == [
        (2, "code_ins_cpas", "niss_in_text"),
        (4, "id_dossier", "niss_in_text"),
    ]
    numbers = Identifiers(national=frozenset({typed, printed, as_id, in_cpas}), staff=frozenset())
    assert leaks_in_tables(settings.build_db, numbers) == []
