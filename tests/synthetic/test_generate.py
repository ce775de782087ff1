"""The synthetic exports: deterministic, byte-exact to the landing contract, one coherent population."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from orchestration.contract.datasets import Column, Kind
from orchestration.contract.identifiers import enterprise_number_is_valid, niss_is_valid, normalise_niss
from orchestration.contract.manifest import MANIFEST_FIELDS
from orchestration.contract.reference import code_list, nace_divisions
from orchestration.synthetic.volumes import measure, scale_of
from tests.synthetic.conftest import run_generate
from tests.synthetic.contract_reader import ReadDelivery, parse_value, read_delivery


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def deliveries(landing_001: Path) -> list[ReadDelivery]:
    return [read_delivery(p) for p in sorted(landing_001.rglob("*.manifest.json"))]


def test_same_seed_gives_byte_identical_folders(landing_001: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    run_generate(again, "--scale", "0.01", "--seed", "1")
    first, second = tree_digest(landing_001), tree_digest(again)
    assert len(first) == 2 * 13 * 120  # 13 datasets x 120 months, a data file and a manifest each
    assert first == second


def test_another_seed_gives_other_bytes(landing_001: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    run_generate(other, "--scale", "0.01", "--seed", "2", "--from", "2016-01", "--to", "2016-03")
    name = "actiris/demandeurs/demandeurs_201601.csv"
    assert (other / name).read_bytes() != (landing_001 / name).read_bytes()


def test_every_manifest_matches_its_file(landing_001: Path, deliveries: list[ReadDelivery]) -> None:
    for delivery in deliveries:
        manifest = delivery.manifest
        assert tuple(manifest) == MANIFEST_FIELDS
        assert manifest["sha256"] == hashlib.sha256(delivery.raw).hexdigest()
        assert manifest["rows"] == len(delivery.records)
        assert manifest["schema_version"] == 1
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", manifest["produced_at"])
        produced = datetime.fromisoformat(manifest["produced_at"]).date()
        period_end = date.fromisoformat(manifest["period"] + "-01") + timedelta(days=31)
        assert produced >= period_end.replace(day=1), "exported after its month"
    manifests = sorted(landing_001.rglob("*.manifest.json"))
    data_files = sorted(landing_001.rglob("*.csv"))
    assert len(manifests) == len(data_files)
    assert not list(landing_001.rglob(".*")), "no partial files left behind"


def test_files_follow_their_source_format(deliveries: list[ReadDelivery]) -> None:
    for delivery in deliveries:
        source = delivery.dataset.source
        assert delivery.header == list(delivery.dataset.header)
        text = delivery.raw.decode("utf-8" if source != "bf" else "iso-8859-1")
        if source == "actiris":
            assert delivery.raw.startswith(b"\xef\xbb\xbf")
            assert text.count("\r\n") >= len(delivery.records) + 1
        else:
            assert not delivery.raw.startswith(b"\xef\xbb\xbf")
            assert "\r\n" not in text
    bf = [d for d in deliveries if d.dataset.source == "bf"]
    with pytest.raises(UnicodeDecodeError):
        # Bruxelles Formation writes ISO-8859-1: its accented bytes are not UTF-8.
        b"".join(d.raw for d in bf).decode("utf-8")


def _required(column: Column, record: dict[str, str]) -> bool:
    if column.required:
        return True
    if column.required_when is None:
        return False
    other, values = column.required_when
    return record[other] != "" if values is None else record[other] in values


def test_every_value_keeps_its_rule(deliveries: list[ReadDelivery]) -> None:
    checked = defaultdict(int)
    for delivery in deliveries:
        spec, source = delivery.dataset, delivery.dataset.source
        period = delivery.manifest["period"]
        keys = set()
        for line, record in enumerate(delivery.records, start=2):
            where = f"{spec.qualified_name} {period} record {line}"
            for column in spec.columns:
                value = record[column.name]
                if value == "":
                    assert not _required(column, record), f"{where}: {column.name} is required"
                    continue
                parsed = parse_value(column.kind, value, source)
                checked[column.kind] += 1
                codes = column.codes
                allowed = (
                    code_list(codes) if codes is not None and not isinstance(codes, frozenset) else codes
                )
                if allowed is not None:
                    assert value in allowed, f"{where}: {column.name}={value!r} not in its code list"
                if column.check and column.check.value == "niss":
                    assert niss_is_valid(value), f"{where}: national number checksum"
                if column.check and column.check.value == "enterprise_number":
                    assert enterprise_number_is_valid(value), f"{where}: enterprise number checksum"
                if column.check and column.check.value == "nace5":
                    assert len(value) == 5 and value[:2] in nace_divisions(), f"{where}: NACE code"
                if column.not_before and record[column.not_before]:
                    start = parse_value(Kind.DATE, record[column.not_before], source)
                    assert parsed >= start, f"{where}: {column.name} before {column.not_before}"
            if spec.name == "rh_personnel":
                assert record["mois"] == period and 0 < float(record["etp"].replace(",", ".")) <= 1
            if spec.name == "budget":
                assert f"{int(record['exercice']):04d}-{int(record['mois']):02d}" == period
            key = tuple(record[k] for k in spec.key)
            assert key not in keys, f"{where}: key {key} twice in one delivery"
            keys.add(key)
    assert set(checked) == {Kind.TEXT, Kind.DATE, Kind.TIMESTAMP, Kind.DECIMAL, Kind.INTEGER, Kind.BOOLEAN}


def test_end_dates_are_empty_exactly_while_running(deliveries: list[ReadDelivery]) -> None:
    running = {
        "stagiaires": ("date_fin", "statut_fin", "EN_COURS"),
        "opleidingen": ("einddatum", "uitstroomstatus", "LOPEND"),
    }
    seen = defaultdict(int)
    for delivery in deliveries:
        if delivery.dataset.name not in running:
            continue
        end, status, value = running[delivery.dataset.name]
        for record in delivery.records:
            assert (record[end] == "") == (record[status] == value)
            seen[record[status] == value] += 1
    assert seen[True] and seen[False]


def day(text: str) -> date:
    """An Actiris date (DD/MM/YYYY)."""
    return datetime.strptime(text, "%d/%m/%Y").date()


def _records(deliveries: list[ReadDelivery], name: str) -> list[dict[str, str]]:
    return [r for d in deliveries if d.dataset.name == name for r in d.records]


def test_one_population_links_across_sources(deliveries: list[ReadDelivery]) -> None:
    registrations = _records(deliveries, "demandeurs")
    registered = {r["niss"] for r in registrations}
    dossiers = {r["id_dossier"] for r in registrations}
    trainees = {normalise_niss(r["niss"]) for r in _records(deliveries, "stagiaires")}
    vdab = {r["insz"] for r in _records(deliveries, "opleidingen")}
    workers = {r["niss"] for r in _records(deliveries, "occupations")}
    assert len(trainees & registered) / len(trainees) > 0.9
    assert len(vdab & registered) / len(vdab) > 0.9
    # Some jobs began after a registration that ended before the first delivered month.
    assert len(workers & registered) / len(workers) > 0.8
    assert {r["id_dossier"] for r in _records(deliveries, "actions")} <= dossiers
    assert {r["id_dossier"] for r in _records(deliveries, "mises_en_relation")} <= dossiers
    # People leave and come back: several registration episodes for one person.
    episodes = defaultdict(set)
    for r in registrations:
        episodes[r["niss"]].add(r["id_dossier"])
    assert sum(len(v) > 1 for v in episodes.values()) / len(episodes) > 0.1


def test_hires_end_registrations_for_work(deliveries: list[ReadDelivery]) -> None:
    exits = {
        r["id_dossier"]: r["motif_sortie"] for r in _records(deliveries, "demandeurs") if r["motif_sortie"]
    }
    hires = [r for r in _records(deliveries, "mises_en_relation") if r["resultat"] == "EMBAUCHE"]
    assert hires
    assert sum(exits.get(h["id_dossier"]) == "EMPLOI" for h in hires) / len(hires) > 0.95


def test_jobs_that_end_a_registration_start_while_it_is_open(deliveries: list[ReadDelivery]) -> None:
    # The volume of solutions counts a job for a person registered on its start date (indicators.md).
    def modified(record: dict[str, str]) -> datetime:
        return datetime.strptime(record["date_modification"], "%d/%m/%Y %H:%M:%S")

    latest: dict[str, dict[str, str]] = {}
    for r in _records(deliveries, "demandeurs"):
        if r["id_dossier"] not in latest or modified(r) > modified(latest[r["id_dossier"]]):
            latest[r["id_dossier"]] = r
    job_starts = defaultdict(list)
    for r in _records(deliveries, "occupations"):
        if r["type_contrat"] != "STAGE":
            job_starts[r["niss"]].append(day(r["date_debut"]))
    # Exits before the first delivered month come with the registration history; their jobs do not.
    delivered = [r for r in latest.values() if r["date_sortie"] and day(r["date_sortie"]) >= date(2016, 1, 1)]
    to_work = [r for r in delivered if r["motif_sortie"] == "EMPLOI" and r["niss"] in job_starts]
    assert len(to_work) > 100
    open_at_start = sum(
        any(day(r["date_inscription"]) <= d <= day(r["date_sortie"]) for d in job_starts[r["niss"]])
        for r in to_work
    )
    assert open_at_start / len(to_work) > 0.9


def test_interim_workers_chain_day_contracts(deliveries: list[ReadDelivery]) -> None:
    spells = defaultdict(list)
    for r in _records(deliveries, "occupations"):
        if r["type_contrat"] == "INTERIM" and r["date_fin"]:
            spells[(r["niss"], r["id_occupation"])] = [r["date_debut"], r["date_fin"]]
    by_person = defaultdict(list)
    for (niss, _), (start, end) in spells.items():
        by_person[niss].append((datetime.strptime(start, "%d/%m/%Y"), datetime.strptime(end, "%d/%m/%Y")))
    gaps = [
        (b[0] - a[1]).days - 1
        for chain in by_person.values()
        for a, b in zip(sorted(chain), sorted(chain)[1:], strict=False)
    ]
    assert sum(0 <= g <= 3 for g in gaps) > 100
    assert any(g >= 4 for g in gaps), "some breaks longer than the 3-day merge rule"


def test_budget_execution_ends_mostly_between_90_and_100_percent(deliveries: list[ReadDelivery]) -> None:
    december = [r for r in _records(deliveries, "budget") if r["mois"] == "12" and r["type_credit"] == "ENG"]
    rates = [
        float(r["montant_cumule"].replace(",", ".")) / float(r["credit_ajuste"].replace(",", "."))
        for r in december
    ]
    assert sum(0.9 <= x <= 1.0 for x in rates) / len(rates) > 0.7
    assert 0 < sum(x > 1.0 for x in rates) / len(rates) < 0.2


def test_volumes_match_the_real_ones_at_scale(tmp_path: Path) -> None:
    """At scale 0.1 each yearly volume is a tenth of the real one (the scale-1 run is `make volumes`)."""
    landing = tmp_path / "landing"
    run_generate(landing, "--scale", "0.1", "--seed", "3", "--from", "2019-01", "--to", "2020-12")
    volumes = measure(landing)
    assert {v.measure.split(" ")[0] for v in volumes} >= {"unemployed", "training", "vacancies", "staff"}
    for v in volumes:
        s = scale_of(v, 0.1)
        if v.measure.startswith("absenteeism"):
            # 165 staff instead of 1,650: a handful of long absences moves the rate by a point or two.
            assert v.low - 2.5 <= v.value <= v.high + 2.5, v
        else:
            # A tenth of the people gives noisier yearly figures: allow 5 % beyond the real range.
            assert v.low * s * 0.95 <= v.value <= v.high * s * 1.05, v


def test_the_first_registration_delivery_carries_the_history(deliveries: list[ReadDelivery]) -> None:
    # "First DEI registration ever" (new joiners) needs the registrations closed before the first month.
    first = date(2016, 1, 1)
    by_period = defaultdict(list)
    for d in deliveries:
        if d.dataset.name == "demandeurs":
            by_period[d.manifest["period"]].extend(d.records)
    history = [r for r in by_period["2016-01"] if r["date_sortie"] and day(r["date_sortie"]) < first]
    assert len(history) > len(by_period["2016-01"]) / 3
    assert all(r["motif_sortie"] for r in history)
    later = [r for p, records in by_period.items() if p != "2016-01" for r in records]
    assert later and all(not r["date_sortie"] or day(r["date_sortie"]) >= first for r in later)
