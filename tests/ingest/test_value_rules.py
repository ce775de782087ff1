"""Value rules of the landing contract (sections 4 and 5) at their edges, each through the real
ingestion: dates and timestamps held to their format's digits, a field of blanks is empty, an integer
key part compared as its value, code lists where the rule says a value is given (and kept as delivered
elsewhere), and the full ISCO-08 list."""

from __future__ import annotations

from orchestration.config import Settings
from orchestration.contract.datasets import dataset
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.defects import sample_frame
from tests.ingest.conftest import deliver_edited, quarantined


def _loaded_and_quarantined(settings: Settings) -> list[tuple[str, int, int]]:
    return sorted((o.dataset, o.rows_loaded, o.rows_quarantined) for o in ingest_landing(settings))


def test_dates_and_timestamps_must_have_every_digit_of_their_format(settings: Settings) -> None:
    absences = dataset("actiris", "rh_absences")
    cells = [
        (0, "date_debut", " 1/03/2024"),
        (1, "date_debut", "1/03/2024"),
        (2, "date_modification", "26/03/2024 1:2:3"),
    ]
    deliver_edited(settings.landing_dir, absences, cells)
    deliver_edited(settings.landing_dir, dataset("vdab", "opleidingen"), [(0, "startdatum", "2024-03-1")])
    assert _loaded_and_quarantined(settings) == [("opleidingen", 2, 1), ("rh_absences", 0, 3)]
    assert quarantined(settings, "actiris__rh_absences") == [
        (2, "date_debut", "type_date"),
        (3, "date_debut", "type_date"),
        (4, "date_modification", "type_timestamp"),
    ]
    assert quarantined(settings, "vdab__opleidingen") == [(2, "startdatum", "type_date")]


def test_a_staff_number_of_blanks_is_empty(settings: Settings) -> None:
    deliver_edited(settings.landing_dir, dataset("actiris", "rh_absences"), [(1, "matricule", "   ")])
    assert _loaded_and_quarantined(settings) == [("rh_absences", 2, 1)]
    assert quarantined(settings, "actiris__rh_absences") == [(3, "matricule", "required")]


def test_a_month_written_03_and_3_is_one_key(settings: Settings) -> None:
    budget = dataset("actiris", "budget")
    first = sample_frame(budget, "2024-03", 3, seed=11).iloc[0]
    cells = [
        (1, "article_budgetaire", str(first["article_budgetaire"])),
        (1, "type_credit", str(first["type_credit"])),
        (1, "mois", "03"),
    ]
    deliver_edited(settings.landing_dir, budget, cells)
    assert _loaded_and_quarantined(settings) == [("budget", 1, 2)]
    key = "exercice,mois,article_budgetaire,type_credit"
    assert quarantined(settings, "actiris__budget") == [(2, key, "duplicate_key"), (3, key, "duplicate_key")]


def test_code_lists_hold_where_the_rule_says_a_value_is_given(settings: Settings) -> None:
    cells = [
        # given where the rule says empty: kept as delivered (section 4)
        (0, "type_inscription", "DEI_ALLOC"),
        (0, "code_ins_cpas", "62063"),
        # a CPAS outside Brussels (Antwerp): an INS code, which the rule asks for
        (1, "type_inscription", "DEI_CPAS"),
        (1, "code_ins_cpas", "11002"),
        # no municipality has this code
        (2, "type_inscription", "DEI_CPAS"),
        (2, "code_ins_cpas", "99999"),
    ]
    deliver_edited(settings.landing_dir, dataset("actiris", "demandeurs"), cells)
    actions = [(0, "type_action", "PAI"), (0, "organisme_cible", "ACTIRIS")]
    deliver_edited(settings.landing_dir, dataset("actiris", "actions"), actions)
    assert _loaded_and_quarantined(settings) == [("actions", 3, 0), ("demandeurs", 2, 1)]
    assert quarantined(settings, "actiris__demandeurs") == [(4, "code_ins_cpas", "code_list")]


def test_every_isco_08_unit_group_is_a_code(settings: Settings) -> None:
    vacancies = dataset("actiris", "offres_emploi")
    # 2240 (paramedical practitioners) is missing from Statbel's published list
    cells = [(0, "code_isco", "2240"), (1, "code_isco", "2250"), (2, "code_isco", "2249")]
    deliver_edited(settings.landing_dir, vacancies, cells)
    assert _loaded_and_quarantined(settings) == [("offres_emploi", 2, 1)]
    assert quarantined(settings, "actiris__offres_emploi") == [(4, "code_isco", "code_list")]
