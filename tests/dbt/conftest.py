"""A real warehouse built from hand-made deliveries: write them, ingest them, run `dbt build`.

The deliveries are small and chosen so that every figure the tests check can be worked out by hand
(boundary days, merged spells, budget articles over and under their credits, absences across holidays
and months, corrections that supersede earlier deliveries). National register and staff numbers are made
up at run time; nothing personal is committed.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from orchestration.config import PROJECT_ROOT, Settings
from orchestration.contract.datasets import dataset
from orchestration.contract.identifiers import niss_check_digits
from orchestration.ingest.model import DeliveryOutcome
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.writer import write_delivery

DBT = Path(sys.executable).with_name("dbt")
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
TEST_KEY = "dbt-test-pseudonym-key"

DEMANDEURS = dataset("actiris", "demandeurs")
OCCUPATIONS = dataset("actiris", "occupations")
BUDGET = dataset("actiris", "budget")
RH_PERSONNEL = dataset("actiris", "rh_personnel")
RH_ABSENCES = dataset("actiris", "rh_absences")


def make_niss(rng: random.Random, born: date) -> str:
    """A valid national register number for someone born on `born` (serial drawn at random)."""
    body = int(f"{born:%y%m%d}{rng.randint(1, 997):03d}")
    return f"{body:09d}{niss_check_digits(body, born.year >= 2000):02d}"


def run_dbt(
    args: list[str], data_dir: Path, extra_env: dict[str, str] | None = None, expect_success: bool = True
) -> subprocess.CompletedProcess[str]:
    """dbt in the project on `data_dir`; asserts it succeeded (with expect_success=False: that it failed)."""
    env = {k: v for k, v in os.environ.items() if k != "WAREHOUSE_CUTOFF"}
    env.update({"WAREHOUSE_DATA_DIR": str(data_dir), **(extra_env or {})})
    result = subprocess.run(
        [
            str(DBT),
            *args,
            "--target-path",
            str(data_dir / "dbt_target"),
            "--log-path",
            str(data_dir / "dbt_logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert (result.returncode == 0) is expect_success, result.stdout[-6000:]
    return result


@dataclass
class Warehouse:
    data_dir: Path
    people: dict[str, str]  # letter -> national register number (raw, as delivered)
    staff: dict[str, str]  # S1.. -> staff number (raw, as delivered)

    @property
    def build_db(self) -> Path:
        return self.data_dir / "build" / "warehouse.duckdb"

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.build_db), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def one(self, sql: str, params: list[Any] | None = None) -> tuple:
        (row,) = self.rows(sql, params)
        return row

    def copy_to(self, root: Path) -> Warehouse:
        """A copy of the build file under `root`/data, to change without touching this warehouse."""
        data = root / "data"
        (data / "build").mkdir(parents=True)
        shutil.copy(self.build_db, data / "build" / "warehouse.duckdb")
        return Warehouse(data, self.people, self.staff)


def _frame(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def deliver(
    landing: Path, ds: Any, period: str, rows: list[dict[str, Any]], produced: str, correction: int = 1
) -> None:
    """One delivery of `rows` (dicts by contract field), produced at `produced` (ISO date and time)."""
    write_delivery(landing, ds, period, _frame(ds.header, rows), datetime.fromisoformat(produced), correction)


def occupation(
    oid: str, niss: str, start: str, end: str | None, contract: str, modified: str
) -> dict[str, Any]:
    """An actiris/occupations row: a part-time job in temporary work (NACE 78100) in Brussels."""
    return {
        "id_occupation": oid,
        "niss": niss,
        "date_debut": start,
        "date_fin": end,
        "type_contrat": contract,
        "regime": "TP",
        "code_nace": "78100",
        "region_travail": "BRU",
        "date_modification": pd.Timestamp(modified),
    }


@contextmanager
def ingested(landing: Path, data: Path) -> Iterator[list[DeliveryOutcome]]:
    """The environment of a test warehouse (test key, its folders, no hand-set cut-off), with the
    landing folder ingested for real; the environment holds until the block ends."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_PSEUDONYM_KEY", TEST_KEY)
        patch.setenv("WAREHOUSE_LANDING_DIR", str(landing))
        patch.setenv("WAREHOUSE_DATA_DIR", str(data))
        patch.delenv("WAREHOUSE_CUTOFF", raising=False)
        yield ingest_landing(Settings(landing_dir=landing, data_dir=data))


def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def write_scenario(landing: Path, people: dict[str, str], staff: dict[str, str]) -> None:
    """Every delivery of the scenario (see the tests for the figures they lead to)."""

    def registration(
        rid: str, who: str, kind: str, start: str, end: str | None, reason: str | None, modified: str
    ) -> dict[str, Any]:
        return {
            "id_dossier": rid,
            "niss": people[who],
            "date_naissance": "1990-05-17",
            "sexe": "F",
            "code_ins_commune": "21004",
            "niveau_etudes": "S3",
            "nationalite": "BE",
            "langue": "FR",
            "type_inscription": kind,
            "code_ins_cpas": "21004" if kind == "DEI_CPAS" else None,
            "date_inscription": start,
            "date_sortie": end,
            "motif_sortie": reason,
            "date_modification": _ts(modified),
        }

    # --- actiris/demandeurs: first period 2023-01, cut-off 2024-06-30 ---------------------------------
    deliver(
        landing,
        DEMANDEURS,
        "2023-01",
        [
            registration("R1", "A", "DEI_ALLOC", "2023-01-10", None, None, "2023-01-10 09:00"),
            registration("R3", "C", "DE_OCCUPE", "2023-01-01", None, None, "2023-01-02 09:00"),
            registration("R6", "F", "DEI_AUTRE", "2023-01-05", None, None, "2023-01-05 09:00"),
        ],
        "2023-02-03T08:00:00",
    )
    deliver(
        landing,
        DEMANDEURS,
        "2023-02",
        [
            registration("R2", "B", "DEI_BIT", "2023-02-01", None, None, "2023-02-01 09:00"),
        ],
        "2023-03-03T08:00:00",
    )
    deliver(
        landing,
        DEMANDEURS,
        "2023-03",
        [
            registration("R7", "G", "DEI_ALLOC", "2023-03-01", None, None, "2023-03-01 09:00"),
            registration("R8", "H", "DEI_ALLOC", "2023-03-01", None, None, "2023-03-01 09:00"),
        ],
        "2023-04-03T08:00:00",
    )
    # R1 leaves on 31 March: delivered in April's delta (its latest version).
    deliver(
        landing,
        DEMANDEURS,
        "2023-04",
        [
            registration("R1", "A", "DEI_ALLOC", "2023-01-10", "2023-03-31", "EMPLOI", "2023-04-02 10:00"),
        ],
        "2023-05-03T08:00:00",
    )
    deliver(
        landing,
        DEMANDEURS,
        "2024-03",
        [
            registration("R4", "D", "DEI_AUTRE", "2024-03-31", None, None, "2024-03-31 09:00"),
        ],
        "2024-04-03T08:00:00",
    )
    deliver(
        landing,
        DEMANDEURS,
        "2024-04",
        [
            registration("R4", "D", "DEI_AUTRE", "2024-03-31", "2024-04-01", "AUTRE", "2024-04-02 10:00"),
        ],
        "2024-05-03T08:00:00",
    )
    # June 2024 delivered, then corrected: the correction drops R5, which must not count.
    deliver(
        landing,
        DEMANDEURS,
        "2024-06",
        [
            registration("R5", "E", "DEI_ALLOC", "2024-06-01", None, None, "2024-06-01 09:00"),
        ],
        "2024-07-03T08:00:00",
    )
    deliver(landing, DEMANDEURS, "2024-06", [], "2024-07-05T08:00:00", correction=2)

    # --- actiris/occupations: spells -------------------------------------------------------------------
    def spell(
        oid: str, who: str, start: str, end: str | None, contract: str, modified: str
    ) -> dict[str, Any]:
        return occupation(oid, people[who], start, end, contract, modified)

    deliver(
        landing,
        OCCUPATIONS,
        "2023-08",
        [
            spell("O1", "B", "2023-05-01", "2023-05-10", "CDD", "2023-08-01 08:00"),
            spell("O2", "B", "2023-05-14", "2023-05-31", "INTERIM", "2023-08-01 08:00"),
            spell("O3", "A", "2023-04-30", "2023-05-27", "CDD", "2023-08-01 08:00"),
            spell("O4", "F", "2023-06-01", "2023-06-10", "INTERIM", "2023-08-01 08:00"),
            spell("O5", "F", "2023-06-15", "2023-06-30", "INTERIM", "2023-08-01 08:00"),
            spell("O6", "G", "2023-08-01", "2023-08-27", "CDD", "2023-08-01 08:00"),
        ],
        "2023-09-03T08:00:00",
    )
    deliver(  # end dates may not lie after the delivery was produced: delivered in January
        landing,
        OCCUPATIONS,
        "2024-01",
        [
            spell("O7", "C", "2023-05-01", "2023-12-31", "CDI", "2023-08-01 08:00"),
            spell("O8", "H", "2023-07-01", "2023-12-31", "STAGE", "2023-08-01 08:00"),
        ],
        "2024-02-03T08:00:00",
    )
    deliver(
        landing,
        OCCUPATIONS,
        "2024-04",
        [
            spell("O9", "B", "2024-04-01", None, "CDI", "2024-04-01 08:00"),
        ],
        "2024-05-03T08:00:00",
    )

    # --- actiris/budget: 2022 complete for A1 (December 16,000), incomplete for A2 -----------------------
    def line(
        year: int, month: int, article: str, executed: float, adjusted: float, initial: float
    ) -> dict[str, Any]:
        return {
            "exercice": year,
            "mois": month,
            "article_budgetaire": article,
            "libelle_article": f"Article {article}",
            "programme": "FORMATION",
            "type_credit": "ENG",
            "credit_initial": initial,
            "credit_ajuste": adjusted,
            "montant_cumule": executed,
        }

    for month in range(1, 13):
        rows = [line(2022, month, "A1", 16000.0 if month == 12 else 1000.0 * month, 20000.0, 20000.0)]
        if month < 12:
            rows.append(line(2022, month, "A2", 500.0 * month, 8000.0, 8000.0))
        deliver(landing, BUDGET, f"2022-{month:02d}", rows, f"2022-{month:02d}-28T08:00:00")
    deliver(
        landing,
        BUDGET,
        "2023-06",
        [
            line(2023, 6, "A1", 9999.99, 10000.0, 9000.0),
            line(2023, 6, "A2", 6000.0, 5000.0, 5000.0),
        ],
        "2023-07-03T08:00:00",
    )
    deliver(
        landing,
        BUDGET,
        "2023-06",
        [
            line(2023, 6, "A1", 4500.0, 10000.0, 9000.0),
            line(2023, 6, "A2", 6000.0, 5000.0, 5000.0),
        ],
        "2023-07-10T08:00:00",
        correction=2,
    )

    # --- actiris/rh_personnel and rh_absences --------------------------------------------------------
    def member(who: str, period: str, directorate: str, category: str, fte: float) -> dict[str, Any]:
        return {
            "matricule": staff[who],
            "mois": period,
            "direction": directorate,
            "categorie_fonction": category,
            "etp": fte,
            "statut": "STATUTAIRE",
        }

    direct, support = "ACCOMPAGNEMENT_DIRECT", "SUPPORT"
    deliver(
        landing, RH_PERSONNEL, "2023-12", [member("S2", "2023-12", "D1", support, 1.0)], "2024-01-03T08:00:00"
    )
    deliver(
        landing,
        RH_PERSONNEL,
        "2024-04",
        [
            member("S1", "2024-04", "D1", direct, 0.5),
            member("S2", "2024-04", "D1", support, 1.0),
            member("S3", "2024-04", "D2", direct, 1.0),
        ],
        "2024-05-03T08:00:00",
    )
    deliver(
        landing,
        RH_PERSONNEL,
        "2024-05",
        [
            member("S1", "2024-05", "D1", direct, 1.0),
            member("S2", "2024-05", "D1", support, 1.0),
            member("S3", "2024-05", "D2", direct, 1.0),
        ],
        "2024-06-03T08:00:00",
    )
    deliver(
        landing,
        RH_PERSONNEL,
        "2024-05",
        [  # correction: S1 moved to D2 at 0.8 FTE
            member("S1", "2024-05", "D2", direct, 0.8),
            member("S2", "2024-05", "D1", support, 1.0),
            member("S3", "2024-05", "D2", direct, 1.0),
        ],
        "2024-06-10T08:00:00",
        correction=2,
    )
    deliver(
        landing, RH_PERSONNEL, "2024-06", [member("S2", "2024-06", "D1", support, 1.0)], "2024-07-03T08:00:00"
    )

    def absence(aid: str, who: str, start: str, end: str | None, kind: str, modified: str) -> dict[str, Any]:
        return {
            "id_absence": aid,
            "matricule": staff[who],
            "date_debut": start,
            "date_fin": end,
            "type_absence": kind,
            "date_modification": _ts(modified),
        }

    deliver(
        landing,
        RH_ABSENCES,
        "2023-12",
        [
            absence("U", "S2", "2023-12-04", "2023-12-08", "MALADIE", "2023-12-08 12:00"),
        ],
        "2024-01-03T08:00:00",
    )
    deliver(
        landing,
        RH_ABSENCES,
        "2024-04",
        [
            absence("X", "S1", "2024-04-29", None, "MALADIE", "2024-04-29 12:00"),
            absence("Y", "S2", "2024-04-15", None, "ACCIDENT_TRAVAIL", "2024-04-15 12:00"),
            absence("Z", "S3", "2023-01-01", "2024-04-29", "AUTRE", "2024-04-30 12:00"),
        ],
        "2024-05-03T08:00:00",
    )
    deliver(
        landing,
        RH_ABSENCES,
        "2024-05",
        [
            absence("X", "S1", "2024-04-29", "2024-05-10", "MALADIE", "2024-05-11 12:00"),
            absence("V", "S3", "2024-05-01", "2024-05-01", "ACCIDENT_VIE_PRIVEE", "2024-05-02 12:00"),
            absence("W", "S9", "2024-05-02", "2024-05-03", "MALADIE", "2024-05-03 12:00"),
        ],
        "2024-06-03T08:00:00",
    )

    # A rejected delivery delivers nothing: its bytes no longer match the manifest.
    rejected = write_delivery(
        landing,
        DEMANDEURS,
        "2024-07",
        _frame(
            DEMANDEURS.header,
            [registration("R9", "E", "DEI_ALLOC", "2024-07-01", None, None, "2024-07-01 09:00")],
        ),
        datetime(2024, 8, 3, 8),
        1,
    )
    rejected.data_path.write_bytes(rejected.data_path.read_bytes().replace(b"R9", b"R0"))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    root = tmp_path_factory.mktemp("dbt_warehouse")
    landing, data = root / "landing", root / "data"
    landing.mkdir()
    rng = random.Random()
    births = {
        "A": date(1990, 5, 17),
        "B": date(2001, 2, 3),
        "C": date(1985, 11, 30),
        "D": date(1979, 1, 1),
        "E": date(1995, 7, 7),
        "F": date(1999, 12, 31),
        "G": date(2000, 1, 1),
        "H": date(2003, 3, 3),
    }
    people = {who: make_niss(rng, born) for who, born in births.items()}
    staff = {f"S{i}": f"{rng.randint(10**6, 10**7 - 1)}" for i in (1, 2, 3, 9)}
    write_scenario(landing, people, staff)
    with ingested(landing, data) as outcomes:
        assert sum(o.status == "REJECTED" for o in outcomes) == 1
        run_dbt(["build"], data)
        yield Warehouse(data, people, staff)


@pytest.fixture(scope="module")
def warehouse_cut_in_may(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The same deliveries with the cut-off set by hand to 31 May 2024 (a copy of the build file)."""
    cut = warehouse.copy_to(tmp_path_factory.mktemp("dbt_warehouse_may"))
    run_dbt(["run"], cut.data_dir, {"WAREHOUSE_CUTOFF": "2024-05-31"})
    return cut
