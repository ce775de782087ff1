"""The GX suites kept in git (`expectations/suites/*.json`), generated from the specs.

`python -m orchestration.validation.suites` rewrites them after a spec changes; the gate refuses to
run (and a test fails) while the files in git differ from what the specs generate. Ids are derived
from the suite name and the expectation's position, and the text is written exactly as GX's
expectations store writes it, so neither regenerating nor a GX run changes a byte.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import great_expectations as gx

from orchestration.config import PROJECT_ROOT
from orchestration.validation.rules import compile_spec
from orchestration.validation.specs import SPECS, TableSpec

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SUITES_DIR = EXPECTATIONS_DIR / "suites"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/actiris/brussels-employment-warehouse/gate")


def suite_document(spec: TableSpec) -> dict[str, Any]:
    """The suite as GX stores it (ExpectationsStore JSON), with stable ids."""
    compiled = compile_spec(spec)
    expectations = []
    for position, expectation in enumerate(compiled.expectations):
        document = expectation.configuration.to_json_dict()
        document["id"] = str(uuid.uuid5(_NAMESPACE, f"{spec.suite}/{position}"))
        document["meta"] = {"table": spec.table}
        expectations.append(document)
    return {
        "expectations": expectations,
        "id": str(uuid.uuid5(_NAMESPACE, spec.suite)),
        "meta": {
            "description": spec.description,
            "table": spec.table,
            "generated_by": "orchestration/validation/specs.py",
            "great_expectations_version": gx.__version__,
        },
        "name": spec.suite,
        "notes": None,
    }


def suite_text(spec: TableSpec) -> str:
    return json.dumps(suite_document(spec), indent=2, sort_keys=True)  # GX's own format


def _content(text: str) -> dict[str, Any]:
    document = json.loads(text)
    document.get("meta", {}).pop("great_expectations_version", None)  # a GX upgrade is no change
    return document


def suite_path(spec: TableSpec, folder: Path = SUITES_DIR) -> Path:
    return folder / f"{spec.suite}.json"


def stale_suites(folder: Path = SUITES_DIR) -> list[str]:
    """Suites whose file in git is missing or differs from what the specs generate."""
    return [
        spec.suite
        for spec in SPECS
        if not suite_path(spec, folder).exists()
        or _content(suite_path(spec, folder).read_text(encoding="utf-8")) != _content(suite_text(spec))
    ]


def write_suites(folder: Path = SUITES_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in SPECS:
        path = suite_path(spec, folder)
        text = suite_text(spec)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    for path in write_suites():
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")
