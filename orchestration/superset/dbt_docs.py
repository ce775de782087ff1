"""Keep the Superset datasets' column descriptions equal to dbt's (the marts' YAML is the source).

    python -m orchestration.superset.dbt_docs          # rewrite the bundle's dataset YAML
    python -m orchestration.superset.dbt_docs --check  # exit 1 when a description differs (CI)

Only `description` of physical columns and the dataset's own description are touched; labels,
metrics and calculated columns are the bundle's own. `publication_id`, which the publication adds to
every table, has its description here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from orchestration.config import PROJECT_ROOT
from orchestration.superset.paths import BUNDLE_DIR

MARTS_DIR = PROJECT_ROOT / "dbt_project" / "models" / "marts"
# Columns the publication adds to every published table, beside the dbt model's own.
PUBLISHED_COLUMNS = {
    "publication_id": "The publication this row belongs to: audit.publications says when it was published, "
    "from which code version, validation run and deliveries.",
}


def _one_line(text: object) -> str:
    return " ".join(str(text or "").split())


def dbt_models() -> dict[str, dict[str, Any]]:
    """Every mart model of the dbt project by name, with its description and column descriptions."""
    models: dict[str, dict[str, Any]] = {}
    for path in sorted(MARTS_DIR.rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in document.get("models", []):
            models[model["name"]] = {
                "description": _one_line(model.get("description", "")),
                "columns": {c["name"]: _one_line(c.get("description", "")) for c in model["columns"]},
            }
    return models


def dataset_files() -> list[Path]:
    return sorted((BUNDLE_DIR / "datasets").rglob("*.yaml"))


def dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)


def synced(document: dict[str, Any], models: dict[str, dict[str, Any]]) -> dict[str, Any]:
    model = models.get(document["table_name"])
    if model is None:
        raise KeyError(f"dataset {document['table_name']} is not a dbt mart")
    document = {**document, "description": model["description"]}
    descriptions = {**model["columns"], **PUBLISHED_COLUMNS}
    columns = []
    for column in document["columns"]:
        if not column.get("expression"):
            name = column["column_name"]
            if name not in descriptions:
                raise KeyError(f"{document['table_name']}.{name} is not a column of the dbt model")
            column = {**column, "description": descriptions[name]}
        columns.append(column)
    document["columns"] = columns
    return document


def stale_datasets() -> list[str]:
    models = dbt_models()
    stale = []
    for path in dataset_files():
        text = path.read_text(encoding="utf-8")
        if dump(synced(yaml.safe_load(text), models)) != text:
            stale.append(path.relative_to(BUNDLE_DIR).as_posix())
    return stale


def write_all() -> list[str]:
    models = dbt_models()
    changed = []
    for path in dataset_files():
        text = path.read_text(encoding="utf-8")
        new = dump(synced(yaml.safe_load(text), models))
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path.relative_to(BUNDLE_DIR).as_posix())
    return changed


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = stale_datasets()
        for name in stale:
            print(f"{name}: descriptions differ from dbt's (run python -m orchestration.superset.dbt_docs)")
        return 1 if stale else 0
    for name in write_all():
        print(f"updated {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
