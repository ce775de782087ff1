"""Code lists that the contract takes from the project's reference data in `seeds/`."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from orchestration.contract.datasets import CodeList

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


def read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def code_list(name: CodeList) -> frozenset[str]:
    match name:
        case CodeList.BRUSSELS_COMMUNES:
            return frozenset(r["commune_ins"] for r in read_seed("communes"))
        case CodeList.MUNICIPALITIES:
            # either vintage (the seed's description says why): the 2020 codes and the mergers of 2025
            return frozenset(r["municipality_ins"] for r in read_seed("municipalities"))
        case CodeList.COUNTRIES:
            return frozenset(r["country_code"] for r in read_seed("countries"))
        case CodeList.ISCO_UNIT_GROUPS:
            return frozenset(r["isco_code"] for r in read_seed("isco08_unit_groups"))
        case CodeList.BF_DOMAINS | CodeList.VDAB_DOMAINS:
            provider = "BF" if name is CodeList.BF_DOMAINS else "VDAB"
            return frozenset(
                r["provider_domain_code"]
                for r in read_seed("training_domain_map")
                if r["provider"] == provider
            )
    raise KeyError(name)


@cache
def nace_divisions() -> dict[str, str]:
    """Two-digit NACE-BEL division -> section letter."""
    divisions: dict[str, str] = {}
    for row in read_seed("nace_sections"):
        for division in range(int(row["division_from"]), int(row["division_to"]) + 1):
            divisions[f"{division:02d}"] = row["nace_section"]
    return divisions
