"""Incremental staging equals a full rebuild, after new deliveries and corrections of old periods."""

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
from tests.dbt.conftest import DEMANDEURS, OCCUPATIONS, TEST_KEY, Warehouse, make_niss, run_dbt

INCREMENTAL_MODELS = (
    "staging.stg_actiris__registrations",
    "staging.stg_actiris__employment_spells",
    "staging.stg_actiris__vacancies",
    "staging.stg_actiris__actions",
    "staging.stg_actiris__matches",
    "staging.stg_actiris__availability_decisions",
    "intermediate.int_employment_spells_merged",
)
MARTS = (
    "marts.employment_rate_trajectory",
    "marts.budget_execution",
    "marts.absenteeism_monthly",
    "marts.absenteeism_yearly",
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


def test_incremental_staging_matches_a_full_rebuild(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    for data in (incremental, full):
        (data / "build").mkdir(parents=True)
        shutil.copy(warehouse.build_db, data / "build" / "warehouse.duckdb")
    landing = tmp_path / "landing"
    newcomer = make_niss(random.Random(), datetime(1990, 5, 17).date())
    # A correction of February 2023 that holds R11 instead of R2 (R2's only version): R2 must disappear.
    correction = pd.DataFrame([_registration("R11", newcomer, "2023-02-01", "2023-02-01 09:00")])
    write_delivery(landing, DEMANDEURS, "2023-02", correction, datetime(2024, 7, 6, 8), 2)
    # A new month with a newcomer (July 2024 was a rejected delivery: its file name is taken).
    frame = pd.DataFrame([_registration("R10", newcomer, "2024-08-01", "2024-08-01 09:00")])
    write_delivery(landing, DEMANDEURS, "2024-08", frame, datetime(2024, 9, 5, 8))
    # A correction of April 2024's occupations: O9 now ends on 15 May.
    spell = {
        "id_occupation": "O9",
        "niss": warehouse.people["B"],
        "date_debut": "2024-04-01",
        "date_fin": "2024-05-15",
        "type_contrat": "CDI",
        "regime": "TP",
        "code_nace": "78100",
        "region_travail": "BRU",
        "date_modification": pd.Timestamp("2024-04-01 08:00"),
    }
    write_delivery(landing, OCCUPATIONS, "2024-04", pd.DataFrame([spell]), datetime(2024, 6, 1, 8), 2)
    monkeypatch.setenv("WAREHOUSE_PSEUDONYM_KEY", TEST_KEY)
    for data in (incremental, full):
        outcomes = ingest_landing(Settings(landing_dir=landing, data_dir=data))
        assert sorted(str(o.status) for o in outcomes) == ["LOADED"] * 3, outcomes
    run_dbt(["run"], incremental)
    run_dbt(["run", "--full-refresh"], full)

    inc = Warehouse(incremental, warehouse.people, warehouse.staff)
    ids = {row[0] for row in inc.rows("select registration_id from staging.stg_actiris__registrations")}
    assert "R2" not in ids and {"R10", "R11"} <= ids
    assert inc.one(
        "select end_date from staging.stg_actiris__employment_spells where employment_id = 'O9'"
    ) == (datetime(2024, 5, 15).date(),)
    merged = inc.rows(
        "select start_date, end_date, duration_days from intermediate.int_employment_spells_merged "
        "where person_id = (select person_id from staging.stg_actiris__employment_spells "
        "where employment_id = 'O9') and start_date >= '2024-01-01'"
    )
    assert merged == [(datetime(2024, 4, 1).date(), datetime(2024, 5, 15).date(), 45)]
    for relation in (*INCREMENTAL_MODELS, *MARTS):
        assert _difference(inc, full, relation) == 0, relation


def _difference(inc: Warehouse, full: Path, relation: str) -> int:
    """Rows in one build and not the other (both ways)."""
    con = duckdb.connect(str(inc.build_db), read_only=True)
    try:
        con.execute(f"attach '{full / 'build' / 'warehouse.duckdb'}' as full_build (read_only)")
        (count,) = con.execute(
            f"select count(*) from ((select * from {relation} except all "
            f"select * from full_build.{relation}) union all (select * from full_build.{relation} "
            f"except all select * from {relation}))"
        ).fetchone()
        return int(count)
    finally:
        con.close()
