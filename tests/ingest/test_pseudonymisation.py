"""Personal identifiers become one keyed pseudonym across sources and never reach the data folder."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest

from orchestration.config import Settings
from orchestration.contract.datasets import dataset
from orchestration.ingest.key_guard import PseudonymKeyChanged
from orchestration.ingest.pseudonymise import pseudonym
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.defects import produced_at_for, random_niss, sample_frame
from orchestration.synthetic.writer import write_delivery
from tests.ingest.conftest import TEST_KEY, deliver_edited, query

PERIOD = "2024-03"


def _dotted(niss: str) -> str:
    return f"{niss[:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:]}"


def _write_people(landing: Path, people: list[str]) -> dict[str, pd.DataFrame]:
    """The same people in Actiris (with separators), BF and VDAB; staff numbers in Actiris HR."""
    frames = {}
    for source, name, column, render in (
        ("actiris", "occupations", "niss", _dotted),
        ("bf", "stagiaires", "niss", str),
        ("vdab", "opleidingen", "insz", str),
    ):
        ds = dataset(source, name)
        frame = sample_frame(ds, PERIOD, len(people), seed=7)
        frame[column] = [render(p) for p in people]
        write_delivery(landing, ds, PERIOD, frame, produced_at_for(PERIOD))
        frames[name] = frame
    staff = dataset("actiris", "rh_personnel")
    frames["rh_personnel"] = sample_frame(staff, PERIOD, 6, seed=7)
    write_delivery(landing, staff, PERIOD, frames["rh_personnel"], produced_at_for(PERIOD))
    # A row with a failing checksum: quarantined, and its raw value must not be kept there either.
    bad = sample_frame(dataset("actiris", "demandeurs"), PERIOD, 3, seed=7)
    bad.loc[1, "niss"] = bad.loc[1, "niss"][:9] + f"{(int(bad.loc[1, 'niss'][9:]) + 1) % 100:02d}"
    write_delivery(landing, dataset("actiris", "demandeurs"), PERIOD, bad, produced_at_for(PERIOD))
    frames["demandeurs"] = bad
    return frames


def test_one_pseudonym_per_person_across_sources(settings: Settings) -> None:
    rng = random.Random()  # fresh numbers every run: no NISS is committed
    people = [random_niss(rng) for _ in range(8)]
    _write_people(settings.landing_dir, people)
    outcomes = ingest_landing(settings)
    assert {o.status for o in outcomes} == {"LOADED"}
    expected = {pseudonym(TEST_KEY.encode(), p) for p in people}
    for table, column in (
        ("actiris__occupations", "niss"),
        ("bf__stagiaires", "niss"),
        ("vdab__opleidingen", "insz"),
    ):
        values = {v for (v,) in query(settings, f"SELECT {column} FROM raw.{table}")}
        assert values == expected, table
    for (value,) in query(settings, "SELECT matricule FROM raw.actiris__rh_personnel"):
        assert re.fullmatch(r"[0-9a-f]{64}", value)


def test_no_raw_identifier_anywhere_in_the_data_folder(settings: Settings) -> None:
    rng = random.Random()
    people = [random_niss(rng) for _ in range(8)]
    frames = _write_people(settings.landing_dir, people)
    outcomes = ingest_landing(settings)
    assert sum(o.rows_quarantined for o in outcomes) == 1
    (reason,) = query(settings, "SELECT reason FROM audit.quarantine")[0]
    assert reason == "line 3, column niss: fails the national register number checksum (rule niss_checksum)"
    secrets = set(people) | {_dotted(p) for p in people}
    secrets |= set(frames["demandeurs"]["niss"]) | set(frames["rh_personnel"]["matricule"])
    files = [p for p in settings.data_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".duckdb" for p in files)
    for path in files:
        content = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in content, f"{secret!r} found in {path}"


def test_another_pseudonym_key_is_refused_before_anything_is_ingested(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build file made with one key refuses another: every person would get a second pseudonym."""
    budget = dataset("actiris", "budget")
    deliver_edited(settings.landing_dir, budget, [], period="2024-01")
    assert [o.status for o in ingest_landing(settings)] == ["LOADED"]
    deliver_edited(settings.landing_dir, budget, [], period="2024-02")
    monkeypatch.setenv("WAREHOUSE_PSEUDONYM_KEY", "another key")
    with pytest.raises(PseudonymKeyChanged, match="not the one .* was built with"):
        ingest_landing(settings)
    assert query(settings, "SELECT count(*) FROM audit.deliveries") == [(1,)]
    monkeypatch.setenv("WAREHOUSE_PSEUDONYM_KEY", TEST_KEY)
    assert [o.period for o in ingest_landing(settings)] == ["2024-02"]
