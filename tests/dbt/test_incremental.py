"""Incremental models equal a full rebuild, after new deliveries, corrections of old periods, a spell
and a registration moved to another person, models built alone before their staging, a move of the
cut-off (merged spells: islands stored without the cut-off, their running end moves in a view), after
the first delivery of a dataset (the model built empty, then incrementally), and after a correction of
the seeds the staging decodes codes with."""

from __future__ import annotations

import random
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.config import Settings
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.writer import write_delivery
from tests.dbt.conftest import (
    DEMANDEURS,
    OCCUPATIONS,
    RH_ABSENCES,
    TEST_KEY,
    Warehouse,
    deliver,
    make_niss,
    occupation,
    run_dbt,
)
from tests.dbt.scenario_training import STAGIAIRES, bf_participation

INCREMENTAL_MODELS = (
    "staging.stg_actiris__registrations",
    "staging.stg_actiris__employment_spells",
    "staging.stg_actiris__vacancies",
    "staging.stg_actiris__actions",
    "staging.stg_actiris__matches",
    "staging.stg_actiris__availability_decisions",
    "staging.stg_actiris__staff_absences",
    "staging.stg_bf__training_participations",
    "staging.stg_bf__session_invitations",
    "staging.stg_bf__training_applications",
    "staging.stg_vdab__training_participations",
    "intermediate.int_employment_spell_islands",
    "intermediate.int_registration_episodes",
)
# what reads them: the cut-off-dependent views and the tables built on them
DEPENDANTS = (
    "intermediate.int_employment_spells_merged",
    "intermediate.int_registration_windows",
    "intermediate.int_outflows_to_work",
    "intermediate.int_dei_month_end_counts",
    "intermediate.int_solutions",
    "intermediate.int_registration_guarantees",
    "intermediate.int_training_leaver_outcomes",
    "intermediate.int_training_participations",
    "intermediate.int_staff_absence_months",
)
# bookkeeping columns: what the last run that rewrote a row had seen (a full build stamps every row with
# the present deliveries and cut-off, an incremental run only the rows it rewrote)
WATERMARKS = {
    "intermediate.int_employment_spell_islands": ("through_batch_id", "merged_at_cutoff"),
    "intermediate.int_registration_episodes": ("through_batch_id",),
}
MARTS = (
    "marts.employment_rate_trajectory",
    "marts.budget_execution",
    "marts.absenteeism_monthly",
    "marts.absenteeism_yearly",
    "marts.solutions_volume",
    "marts.vacancies_matching",
    "marts.guarantee_clocks",
    "marts.shared_strategic_indicators",
)


def _registration(rid: str, niss: str, start: str, modified: str) -> dict[str, object]:
    return {
        "id_dossier": rid,
        "niss": niss,
        "date_naissance": "1990-05-17",
        "sexe": "M",
        "code_ins_commune": "21001",
        "niveau_etudes": "SUP",
        "nationalite": "FR",
        "langue": "FR",
        "type_inscription": "DEI_ALLOC",
        "code_ins_cpas": None,
        "date_inscription": start,
        "date_sortie": None,
        "motif_sortie": None,
        "date_modification": pd.Timestamp(modified),
    }


def _absence(aid: str, staff_id: str, start: str, end: str, modified: str) -> dict[str, object]:
    return {
        "id_absence": aid,
        "matricule": staff_id,
        "date_debut": start,
        "date_fin": end,
        "type_absence": "MALADIE",
        "date_modification": pd.Timestamp(modified),
    }


def _islands(warehouse: Warehouse, who: str) -> list[tuple]:
    """(start, end, end at the cut-off, duration, running) of one person's merged job spells."""
    return warehouse.rows(
        "select start_date::varchar, end_date::varchar, end_date_effective::varchar, duration_days, "
        "is_running from intermediate.int_employment_spells_merged where person_id = ("
        "  select person_id from staging.stg_actiris__employment_spells where employment_id = ?) "
        "order by start_date",
        [who],
    )


def test_incremental_models_match_a_full_rebuild(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    for data in (incremental, full):
        (data / "build").mkdir(parents=True)
        shutil.copy(warehouse.build_db, data / "build" / "warehouse.duckdb")
    landing = tmp_path / "landing"
    monkeypatch.setenv("WAREHOUSE_PSEUDONYM_KEY", TEST_KEY)
    people = warehouse.people
    # Step 1, cut-off still 30 June 2024: occupations of July 2024. E's running spell O12 merges with O11,
    # a closed spell that ends after the cut-off (20 July): the island ends on 20 July. H's O13 starts
    # after the cut-off: not known yet (and no later delivery touches H: only the cut-off's move makes
    # it known).
    july = pd.DataFrame(
        [
            occupation("O11", people["E"], "2024-06-25", "2024-07-20", "CDD", "2024-08-01 08:00"),
            occupation("O12", people["E"], "2024-06-01", None, "CDI", "2024-08-01 08:00"),
            occupation("O13", people["H"], "2024-07-15", "2024-07-30", "CDD", "2024-08-01 08:00"),
        ]
    )
    write_delivery(landing, OCCUPATIONS, "2024-07", july, datetime(2024, 8, 5, 8))
    for data in (incremental, full):
        outcomes = ingest_landing(Settings(landing_dir=landing, data_dir=data))
        assert [str(o.status) for o in outcomes] == ["LOADED"], outcomes
    # the islands built alone first, on staging that has not read July yet: the next run still merges E
    run_dbt(["run", "--select", "int_employment_spell_islands"], incremental)
    run_dbt(["run"], incremental)
    inc = Warehouse(incremental, warehouse.people, warehouse.staff)
    assert _islands(inc, "O12") == [("2024-06-01", None, "2024-07-20", 50, True)]
    assert ("2024-07-15",) not in {row[:1] for row in _islands(inc, "O13")}

    # Step 2
    newcomer = make_niss(random.Random(), datetime(1990, 5, 17).date())
    # A correction of February 2023 that holds R11 instead of R2 (R2's only version): R2 must disappear.
    correction = pd.DataFrame([_registration("R11", newcomer, "2023-02-01", "2023-02-01 09:00")])
    write_delivery(landing, DEMANDEURS, "2023-02", correction, datetime(2024, 7, 6, 8), 2)
    # A new month with a newcomer (July 2024 was a rejected delivery: its file name is taken).
    # And R7 moves from G to H: G is left without registrations, and H's first DEI registration is now R7
    # (the same day as H's R8, the smaller id).
    frame = pd.DataFrame(
        [
            _registration("R10", newcomer, "2024-08-01", "2024-08-01 09:00"),
            _registration("R7", people["H"], "2023-03-01", "2024-08-02 09:00"),
        ]
    )
    write_delivery(landing, DEMANDEURS, "2024-08", frame, datetime(2024, 9, 5, 8))
    # A correction of August 2023's occupations (the whole period again): G's spell O6 now ends on
    # 28 August (28 days); F's spells O4 and O5 are withdrawn (F has no spell left). B's running spell O9
    # is unchanged: only its end (the cut-off) moves.
    august = [
        ("O1", "B", "2023-05-01", "2023-05-10", "CDD"),
        ("O2", "B", "2023-05-14", "2023-05-31", "INTERIM"),
        ("O3", "A", "2023-04-30", "2023-05-27", "CDD"),
        ("O6", "G", "2023-08-01", "2023-08-28", "CDD"),
    ]
    spells = pd.DataFrame(
        [
            occupation(oid, people[who], start, end, kind, "2023-08-31 08:00")
            for oid, who, start, end, kind in august
        ]
    )
    write_delivery(landing, OCCUPATIONS, "2023-08", spells, datetime(2023, 9, 10, 8), 2)
    # C's only spell O7 moves to D (a new version in August 2024's occupations): no new row names C, yet
    # C's island must go.
    # The newcomer's only spell, O14, starts in August (step 5 sets the cut-off back before it).
    moved = pd.DataFrame(
        [
            occupation("O7", people["D"], "2023-05-01", "2023-12-31", "CDI", "2024-08-20 08:00"),
            occupation("O14", newcomer, "2024-08-10", "2024-08-20", "CDD", "2024-08-20 08:00"),
        ]
    )
    write_delivery(landing, OCCUPATIONS, "2024-08", moved, datetime(2024, 9, 5, 8))
    # A correction of May 2024's absences: X now ends on 17 May, W is withdrawn; June brings T. And the
    # first delivery of BF's participations (the model was built empty).
    staff = warehouse.staff
    absences = [
        _absence("X", staff["S1"], "2024-04-29", "2024-05-17", "2024-05-18 12:00"),
        _absence("V", staff["S3"], "2024-05-01", "2024-05-01", "2024-05-02 12:00"),
    ]
    deliver(landing, RH_ABSENCES, "2024-05", absences, "2024-06-20T08:00:00", correction=2)
    june = [_absence("T", staff["S2"], "2024-06-03", "2024-06-04", "2024-06-04 12:00")]
    deliver(landing, RH_ABSENCES, "2024-06", june, "2024-07-03T08:00:00")
    training = [bf_participation("B1", people["A"], "QUALIFIANTE", "BF04", "2024-03-04", None, "EN_COURS")]
    deliver(landing, STAGIAIRES, "2024-03", training, "2024-04-03T08:00:00")
    for data in (incremental, full):
        outcomes = ingest_landing(Settings(landing_dir=landing, data_dir=data))
        assert sorted(str(o.status) for o in outcomes) == ["LOADED"] * 7, outcomes
    # the episodes built alone first, on staging that has not read August yet
    run_dbt(["run", "--select", "int_registration_episodes"], incremental)
    run_dbt(["run"], incremental)
    run_dbt(["run", "--full-refresh"], full)

    ids = {row[0] for row in inc.rows("select registration_id from staging.stg_actiris__registrations")}
    assert "R2" not in ids and {"R10", "R11"} <= ids
    merged = dict(
        inc.rows(
            "select spells.employment_id, merged.duration_days "
            "from intermediate.int_employment_spells_merged as merged "
            "inner join staging.stg_actiris__employment_spells as spells "
            "on merged.person_id = spells.person_id and merged.start_date = spells.start_date "
            "where spells.employment_id in ('O6', 'O9')"
        )
    )
    # the cut-off moved to 31 August 2024 (demandeurs 2024-08): 1 April - 31 August = 153 days
    assert merged == {"O6": 28, "O9": 153}
    # the cut-off moved past E's closed spell and made H's O13 known
    assert _islands(inc, "O12") == [("2024-06-01", None, "2024-08-31", 92, True)]
    assert ("2024-07-15", "2024-07-30", "2024-07-30", 16, False) in _islands(inc, "O13")
    # F's spells were withdrawn, C's moved to D, G's registration moved to H: none of them keeps rows
    assert _rows_of(inc, "intermediate.int_employment_spell_islands", "registrations", "R6") == 0  # F
    assert _rows_of(inc, "intermediate.int_employment_spell_islands", "registrations", "R3") == 0  # C
    assert _rows_of(inc, "intermediate.int_registration_episodes", "employment_spells", "O6") == 0  # G
    first_dei = inc.rows(
        "select registration_id, is_first_dei_registration from intermediate.int_registration_episodes "
        "where registration_id in ('R7', 'R8') order by registration_id"
    )
    assert first_dei == [("R7", True), ("R8", False)]
    assert _islands(inc, "O7") == [("2023-05-01", "2023-12-31", "2023-12-31", 245, False)]
    absence_ids = {row[0] for row in inc.rows("select absence_id from staging.stg_actiris__staff_absences")}
    assert "W" not in absence_ids and {"T", "X"} <= absence_ids
    assert inc.rows("select participation_id from staging.stg_bf__training_participations") == [("B1",)]
    for relation in (*INCREMENTAL_MODELS, *DEPENDANTS, *MARTS):
        assert _difference(inc, full, relation) == 0, relation

    # Step 3, no new delivery: corrected seeds (as `dbt seed` loads them). French nationals become
    # non-EU, BF's domain BF04 moves to construction and its qualifying training is in company: the
    # incremental run recomputes the rows decoded with the old seeds.
    for data in (incremental, full):
        con = duckdb.connect(str(data / "build" / "warehouse.duckdb"))
        try:
            con.execute(
                "update reference.countries set nationality_group = 'NON_EU' where country_code = 'FR'"
            )
            con.execute(
                "update reference.training_domain_map set training_domain = 'construction' "
                "where provider = 'BF' and provider_domain_code = 'BF04'"
            )
            con.execute(
                "update reference.training_type_map set is_in_company = true "
                "where provider = 'BF' and provider_type_code = 'QUALIFIANTE'"
            )
        finally:
            con.close()
    run_dbt(["run"], incremental)
    run_dbt(["run", "--full-refresh"], full)
    french = "select distinct nationality_group from {} where nationality_code = 'FR'"
    for relation in ("staging.stg_actiris__registrations", "intermediate.int_registration_episodes"):
        assert inc.rows(french.format(relation)) == [("NON_EU",)], relation
    bf = inc.rows("select training_domain, is_in_company from staging.stg_bf__training_participations")
    assert bf == [("construction", True)]
    for relation in (*INCREMENTAL_MODELS, *DEPENDANTS, *MARTS):
        assert _difference(inc, full, relation) == 0, relation

    # Step 3b, no new delivery: the cut-off set forward by hand past every spell (to 30 September). No
    # spell starts between a person's stored cut-off and it, so no person is merged again: H, merged at
    # 31 August in step 2 (O13 became known), keeps that cut-off, and E that of step 1 (a window from the
    # oldest stored cut-off, 30 June, would merge H again, and every person merged since at every month).
    forward = ["run", "--select", "int_cutoff", "int_employment_spell_islands"]
    run_dbt(forward, incremental, extra_env={"WAREHOUSE_CUTOFF": "2024-09-30"})
    assert (_merged_at(inc, "O13"), _merged_at(inc, "O12")) == (["2024-08-31"], ["2024-06-30"])

    # Step 4, no new delivery: the cut-off set back by hand (to rebuild an earlier figure), then released.
    # Set back, E's O11 and H's O13 (July) are not known; the persons merged again then keep that cut-off,
    # the others the later one, and the release must merge E and H again.
    run_dbt(["run"], incremental, extra_env={"WAREHOUSE_CUTOFF": "2024-06-10"})
    assert ("2024-07-15",) not in {row[:1] for row in _islands(inc, "O13")}
    run_dbt(["run"], incremental)
    assert ("2024-07-15", "2024-07-30", "2024-07-30", 16, False) in _islands(inc, "O13")
    for relation in (*INCREMENTAL_MODELS, *DEPENDANTS, *MARTS):
        assert _difference(inc, full, relation) == 0, relation

    # Step 5, no new delivery: the islands rebuilt in full (every row stamped 31 August), the cut-off set
    # back before the newcomer's only spell (the newcomer's rows are removed, and no row keeps that
    # cut-off), then released: the newcomer, with a known spell and no row, is merged again.
    run_dbt(["run", "--full-refresh", "--select", "int_employment_spell_islands"], incremental)
    back = ["run", "--select", "int_cutoff", "int_employment_spell_islands"]
    run_dbt(back, incremental, extra_env={"WAREHOUSE_CUTOFF": "2024-08-05"})
    assert _islands(inc, "O14") == []
    run_dbt(["run"], incremental)
    assert _islands(inc, "O14") == [("2024-08-10", "2024-08-20", "2024-08-20", 11, False)]
    for relation in (*INCREMENTAL_MODELS, *DEPENDANTS, *MARTS):
        assert _difference(inc, full, relation) == 0, relation


def _merged_at(inc: Warehouse, who: str) -> list[str]:
    """The cut-offs stored on the islands of the person of one staged employment spell."""
    rows = inc.rows(
        "select distinct merged_at_cutoff::varchar from intermediate.int_employment_spell_islands "
        "where person_id = (select person_id from staging.stg_actiris__employment_spells "
        "where employment_id = ?)",
        [who],
    )
    return [row[0] for row in rows]


def _rows_of(inc: Warehouse, relation: str, staged: str, key: str) -> int:
    """Rows of `relation` for the person of one staged registration (R…) or employment spell (O…)."""
    key_column = {"registrations": "registration_id", "employment_spells": "employment_id"}[staged]
    (count,) = inc.one(
        f"select count(*) from {relation} where person_id = ("
        f"  select person_id from staging.stg_actiris__{staged} where {key_column} = ?)",
        [key],
    )
    return int(count)


def _difference(inc: Warehouse, full: Path, relation: str) -> int:
    """Rows in one build and not the other (both ways), bookkeeping columns aside."""
    watermarks = WATERMARKS.get(relation)
    columns = f"* exclude ({', '.join(watermarks)})" if watermarks else "*"
    con = duckdb.connect(str(inc.build_db), read_only=True)
    try:
        con.execute(f"attach '{full / 'build' / 'warehouse.duckdb'}' as full_build (read_only)")
        (count,) = con.execute(
            f"select count(*) from ((select {columns} from {relation} except all "
            f"select {columns} from full_build.{relation}) union all (select {columns} from "
            f"full_build.{relation} except all select {columns} from {relation}))"
        ).fetchone()
        return int(count)
    finally:
        con.close()
