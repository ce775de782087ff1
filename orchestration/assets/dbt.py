"""The dbt project (`dbt_project/`) as Dagster assets: staging, intermediate and marts, seeds as `reference`.

* One translator (`WarehouseDbtTranslator`): asset keys `[schema, model]`, groups from the model folders
  (staging / intermediate / marts; seeds in `reference`), raw sources mapped onto the raw ingestion assets
  (`raw_asset_key`), so a new delivery of one dataset makes exactly its downstream models stale, and an
  eager automation condition rebuilds them.
* dbt tests (data and unit tests) run inside `dbt build` and are reported as asset checks.
* The build runs in the `duckdb_build` pool, like ingestion: never two writers on the build file.
* Every event is handed to Dagster as dbt reports it: Dagster stores each one in its own SQLite
  transactions (tens of milliseconds each, hundreds of checks), and doing that while dbt works hides most
  of the cost. Each mart's row count and column schema come from dbt itself (a post-hook logs them,
  macros/dagster_table_metadata.sql) and ride on its materialisation: a second connection while dbt
  writes the file would fail on DuckDB's file lock, which rules out dagster-dbt's `fetch_row_counts` /
  `fetch_column_metadata`, and waiting for dbt to exit would hold back every mart event until then.
* The dbt docs site is regenerated only when the project's files changed since the site was built
  (the catalog holds names and types only), from the build's own manifest (`--no-compile`).
* The manifest is built on demand (`dbt parse`, no build file needed), so the code location loads on a
  fresh clone and always reflects the project under `dagster dev`.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster._utils import run_with_concurrent_update_guard
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliEventMessage,
    DbtCliInvocation,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from dagster_dbt.dbt_project import using_dagster_dev

from orchestration.assets.raw import DUCKDB_POOL, raw_asset_key
from orchestration.config import PROJECT_ROOT, Settings
from orchestration.contract.datasets import dataset
from orchestration.dbt_build import CUTOFF_DATASET, PRODUCTION_BUILD_ARGS, run_target

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")
LAYERS = ("staging", "intermediate", "marts")
MARTS_LAYER = "marts"
SEED_GROUP = "reference"
AUDIT_SOURCE = "audit"


def dbt_environment(settings: Settings | None = None) -> dict[str, str]:
    """The environment dbt runs in: the data folder made absolute (profiles.yml reads it)."""
    settings = settings or Settings.from_env()
    return {**os.environ, "WAREHOUSE_DATA_DIR": str(settings.data_dir)}


def _parse(project: DbtProject) -> None:
    subprocess.run(
        [
            str(DBT_EXECUTABLE),
            "parse",
            "--quiet",
            "--project-dir",
            str(project.project_dir),
            "--profiles-dir",
            str(project.profiles_dir),
            "--target-path",
            str(project.target_path),
        ],
        cwd=project.project_dir,
        env=dbt_environment(),
        check=True,
    )


DOCS_SIGNATURE_FILE = "project.sha256"
# What the docs site is made of: the project's files (SQL, YAML, seeds) and the dbt version.
DOCS_SOURCES = ("dbt_project.yml", "models", "macros", "tests", "snapshots", "analyses")


def project_signature() -> str:
    """A hash of every file the docs site is built from (the seeds folder sits beside the project)."""
    digest = hashlib.sha256()
    roots = [DBT_PROJECT_DIR / name for name in DOCS_SOURCES] + [PROJECT_ROOT / "seeds"]
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(f"dbt-core {version('dbt-core')}, dbt-duckdb {version('dbt-duckdb')}".encode())
    return digest.hexdigest()


MANIFEST_SIGNATURE_FILE = "manifest.sha256"


def _signed_with(signature_file: Path, signature: str) -> bool:
    """Whether what sits beside `signature_file` was built from the project files of `signature`."""
    return signature_file.exists() and signature_file.read_text(encoding="utf-8") == signature


def _parse_and_sign(project: DbtProject, signature: str) -> None:
    _parse(project)
    (project.manifest_path.parent / MANIFEST_SIGNATURE_FILE).write_text(signature, encoding="utf-8")


def prepare_manifest(project: DbtProject) -> Path:
    """`dbt parse` when the manifest is missing (fresh clone), older than the project's files (a pull or
    an edit: a stale manifest makes Dagster fail on nodes it does not know) or under `dagster dev`.

    Parsing needs no database: the code location loads before anything was ingested.
    """
    signature = project_signature()
    current = project.manifest_path.exists() and _signed_with(
        project.manifest_path.parent / MANIFEST_SIGNATURE_FILE, signature
    )
    if using_dagster_dev() or not current:
        run_with_concurrent_update_guard(
            project.manifest_path, _parse_and_sign, project=project, signature=signature
        )
    return project.manifest_path


DBT_PROJECT = DbtProject(
    project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=Path("target")
)
prepare_manifest(DBT_PROJECT)


def dbt_docs_dir(settings: Settings) -> Path:
    """Where the static dbt docs site (one self-contained index.html) is published."""
    return settings.data_dir / "dbt_docs"


def docs_are_current(settings: Settings) -> bool:
    site = dbt_docs_dir(settings)
    return (site / "index.html").exists() and _signed_with(site / DOCS_SIGNATURE_FILE, project_signature())


def generate_docs(settings: Settings | None = None, build_target: Path | None = None) -> Path:
    """`dbt docs generate --static` against the build file, copied to `dbt_docs_dir`; returns index.html.

    Reads the build file's catalog, so it runs after a build (never while another writer holds it).
    With `build_target` (the target folder of the build that just ran) it reuses that build's manifest
    instead of compiling the project again.
    """
    settings = settings or Settings.from_env()
    signature = project_signature()
    target = build_target or settings.data_dir / "dbt_docs_target"
    command = [str(DBT_EXECUTABLE), "docs", "generate", "--static", "--quiet"]
    command += ["--no-compile"] if build_target else []
    command += ["--target-path", str(target), "--log-path", str(target / "logs")]
    subprocess.run(command, cwd=DBT_PROJECT_DIR, env=dbt_environment(settings), check=True)
    site = dbt_docs_dir(settings)
    site.mkdir(parents=True, exist_ok=True)
    index = site / "index.html"
    shutil.copy(target / "static_index.html", index)
    (site / DOCS_SIGNATURE_FILE).write_text(signature, encoding="utf-8")
    return index


def _layer(props: Mapping[str, Any]) -> str | None:
    fqn = props.get("fqn") or []
    return fqn[1] if len(fqn) > 1 and fqn[1] in LAYERS else None


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """The one translator of the warehouse's dbt project."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        resource_type = dbt_resource_props["resource_type"]
        name = dbt_resource_props["name"]
        if resource_type == "source":
            if dbt_resource_props["source_name"] == "raw":
                source, dataset_name = name.split("__", 1)
                return raw_asset_key(dataset(source, dataset_name))
            return dg.AssetKey([dbt_resource_props["source_name"], name])
        if resource_type == "seed":
            return dg.AssetKey([SEED_GROUP, name])
        return dg.AssetKey([_layer(dbt_resource_props) or "dbt", name])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return SEED_GROUP
        return _layer(dbt_resource_props) or "dbt"

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> dg.AutomationCondition:
        return dg.AutomationCondition.eager()

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        """audit.deliveries is written by every raw asset in the same transaction as its rows.

        A staging model reads its own dataset's audit rows, so its raw asset is already the right
        upstream; the cut-off depends on the demandeurs deliveries. The audit table itself is no asset.
        """
        spec = super().get_asset_spec(manifest, unique_id, project)
        audit_keys = {
            dep.asset_key for dep in spec.deps if dep.asset_key.path and dep.asset_key.path[0] == AUDIT_SOURCE
        }
        if not audit_keys:
            return spec
        deps = [dep for dep in spec.deps if dep.asset_key not in audit_keys]
        if not any(dep.asset_key.path[0] == "raw" for dep in deps):
            deps.append(dg.AssetDep(raw_asset_key(dataset(*CUTOFF_DATASET))))
        return spec.replace_attributes(deps=deps)


TRANSLATOR = WarehouseDbtTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_code_references=True)
)


TABLE_METADATA_LOG = "dagster_table_metadata "  # the prefix of the post-hook's log line


def logged_table_metadata(event: DbtCliEventMessage) -> tuple[dg.AssetKey, dict[str, Any]] | None:
    """The asset key and table metadata a `dagster_table_metadata` log line carries, if it is one."""
    info = event.raw_event.get("info", {})
    message = info.get("msg", "")
    if info.get("name") != "JinjaLogInfo" or not message.startswith(TABLE_METADATA_LOG):
        return None
    payload = json.loads(message[len(TABLE_METADATA_LOG) :])
    schema = dg.TableSchema(
        columns=[
            dg.TableColumn(name, data_type, constraints=dg.TableColumnConstraints(nullable=nullable))
            for name, data_type, nullable in payload["columns"]
        ]
    )
    return dg.AssetKey(payload["relation"]), {
        "dagster/row_count": dg.MetadataValue.int(int(payload["row_count"])),
        "dagster/column_schema": dg.MetadataValue.table_schema(schema),
    }


def dagster_events(invocation: DbtCliInvocation, context: AssetExecutionContext) -> Iterator[Any]:
    """dagster-dbt's events for the invocation, as dbt reports them, the marts' with table metadata."""
    tables: dict[dg.AssetKey, dict[str, Any]] = {}
    for raw in invocation.stream_raw_events():
        logged = logged_table_metadata(raw)
        if logged is not None:
            tables[logged[0]] = logged[1]
            continue
        for event in raw.to_default_asset_events(
            manifest=invocation.manifest,
            dagster_dbt_translator=invocation.dagster_dbt_translator,
            context=context,
            target_path=invocation.target_path,
            project=invocation.project,
        ):
            if isinstance(event, dg.Output):
                key = context.asset_key_for_output(event.output_name)
                if key in tables:
                    event = event.with_metadata({**event.metadata, **tables.pop(key)})
                elif key.path[0] == MARTS_LAYER:
                    context.log.warning(f"no table metadata for {key.to_user_string()}")
            yield event


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=TRANSLATOR,
    pool=DUCKDB_POOL,
    name="warehouse_dbt",
)
def warehouse_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """`dbt build` of the selected models, seeds and their tests."""
    settings = Settings.from_env()
    os.environ["WAREHOUSE_DATA_DIR"] = str(settings.data_dir)  # profiles.yml reads it (absolute)
    settings.build_db.parent.mkdir(parents=True, exist_ok=True)
    # raise_on_error=False: the models and checks dbt did report reach Dagster, then the step fails
    invocation = dbt.cli(
        ["build", *PRODUCTION_BUILD_ARGS],
        context=context,
        raise_on_error=False,
        target_path=run_target(settings.data_dir, context.run.run_id),
    )
    yield from dagster_events(invocation, context)
    error = invocation.get_error()
    if error is not None:
        raise error
    if docs_are_current(settings):
        context.log.info(f"dbt docs unchanged: {dbt_docs_dir(settings) / 'index.html'}")
    else:
        context.log.info(f"dbt docs: {generate_docs(settings, invocation.target_path)}")


DBT_RESOURCE = DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(DBT_EXECUTABLE))

DBT_ASSETS: list[dg.AssetsDefinition] = [warehouse_dbt_assets]

# Runs the eager automation conditions of the dbt assets: a raw materialisation rebuilds its dependants.
DBT_AUTOMATION_SENSOR = dg.AutomationConditionSensorDefinition(
    "dbt_automation",
    target=dg.AssetSelection.assets(warehouse_dbt_assets),
    default_status=dg.DefaultSensorStatus.RUNNING,
)
