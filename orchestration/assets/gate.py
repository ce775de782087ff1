"""The gate in Dagster (group `gate`): validation of the marts, then publication.

* `gate/validation` runs after every mart: all GX suites on dataframes read read-only from the build
  file, one blocking asset check per suite (its result, failing rows and Data Docs page in the check's
  metadata), a row per suite in `audit.validations`, Data Docs rebuilt. A failed suite fails the step:
  the publication downstream does not run and the previous published file keeps serving.
* `gate/publication` copies the validated marts and audit tables to a new file and swaps it in.

Both write the build file, so both run in the `duckdb_build` pool like ingestion and dbt.
"""

from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext

from orchestration.assets.build_settled import unsettled
from orchestration.assets.dbt import warehouse_dbt_assets
from orchestration.assets.raw import DUCKDB_POOL
from orchestration.config import Settings
from orchestration.publish.publication import publish
from orchestration.validation.audit import record_validation
from orchestration.validation.runner import SuiteResult, ValidationRun, validate
from orchestration.validation.specs import SPECS

GATE_GROUP = "gate"
VALIDATION_KEY = dg.AssetKey([GATE_GROUP, "validation"])
PUBLICATION_KEY = dg.AssetKey([GATE_GROUP, "publication"])
MART_KEYS = sorted(
    (key for key in warehouse_dbt_assets.keys if key.path[0] == "marts"), key=lambda k: k.to_user_string()
)
ROWS_IN_METADATA = 50

_SUITES = dg.TableSchema(
    columns=[
        dg.TableColumn("suite", "string"),
        dg.TableColumn("table", "string"),
        dg.TableColumn("success", "bool"),
        dg.TableColumn("expectations_evaluated", "int"),
        dg.TableColumn("expectations_failed", "int"),
        dg.TableColumn("rows", "int"),
        dg.TableColumn("note", "string"),
    ]
)


def _check_metadata(result: SuiteResult) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "table": result.table,
        "expectations_evaluated": result.evaluated,
        "expectations_failed": result.failed,
        "rows_validated": result.rows,
    }
    if result.note:
        metadata["note"] = result.note
    if result.data_docs_page:
        metadata["data_docs"] = dg.MetadataValue.url(result.data_docs_page)
    if result.failures:
        metadata["failures"] = dg.MetadataValue.md(
            "\n".join(f"* {failure.describe()}" for failure in result.failures)
        )
        metadata["failing_rows"] = dg.MetadataValue.json(
            {
                failure.description: list(failure.rows[:ROWS_IN_METADATA])
                for failure in result.failures
                if failure.rows
            }
        )
    return metadata


def _run_metadata(run: ValidationRun) -> dict[str, Any]:
    records = [
        dg.TableRecord(
            {
                "suite": r.suite,
                "table": r.table,
                "success": r.success,
                "expectations_evaluated": r.evaluated,
                "expectations_failed": r.failed,
                "rows": r.rows,
                "note": r.note or "",
            }
        )
        for r in run.results
    ]
    return {
        "validation_run_id": run.run_id,
        "success": run.success,
        "suites": dg.MetadataValue.table(records, schema=_SUITES),
        "suites_failed": sum(not r.success for r in run.results),
        "data_docs": dg.MetadataValue.url(run.data_docs_index.as_uri()),
        "deliveries_in_build": len(run.batch_ids),
    }


@dg.asset(
    key=VALIDATION_KEY,
    group_name=GATE_GROUP,
    pool=DUCKDB_POOL,
    deps=MART_KEYS,
    kinds={"great_expectations", "duckdb"},
    description="Great Expectations suites on every mart and audit table (expectations/); the gate.",
    automation_condition=dg.AutomationCondition.eager(),
    check_specs=[
        dg.AssetCheckSpec(name=spec.suite, asset=VALIDATION_KEY, blocking=True, description=spec.description)
        for spec in SPECS
    ],
)
def validation(context: AssetExecutionContext) -> Iterator[Any]:
    settings = Settings.from_env()
    run = validate(settings)
    record_validation(settings.build_db, run)
    for line in run.warning_lines():
        context.log.warning(line)
    context.log.info(f"Data Docs: {run.data_docs_index.as_uri()}")
    yield dg.MaterializeResult(metadata=_run_metadata(run))
    specified = {spec.suite for spec in SPECS}
    for result in run.results:
        if result.suite in specified:
            yield dg.AssetCheckResult(
                check_name=result.suite,
                passed=result.success,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata=_check_metadata(result),
            )
    if not run.success:
        # Stop the run here, with the failing expectations and rows in the message.
        raise dg.Failure(description=run.failure_report(), metadata={"validation_run_id": run.run_id})


@dg.asset(
    key=PUBLICATION_KEY,
    group_name=GATE_GROUP,
    pool=DUCKDB_POOL,
    deps=[VALIDATION_KEY],
    kinds={"duckdb"},
    description="The published file: validated marts and audit tables, replaced atomically.",
    # Also refused by publish() itself unless the latest validation run passed for every table.
    automation_condition=dg.AutomationCondition.eager(),
    # not materialised while the build is half done (build_settled)
    output_required=False,
)
def publication(context: AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
    from orchestration.definitions import defs  # the code location this asset belongs to

    # the validation included: it must have seen the marts as they are now
    waiting = unsettled(context.instance, defs.resolve_asset_graph(), [VALIDATION_KEY])
    if waiting:
        context.log.info(
            "the build is not one state yet, nothing published: "
            f"{'; '.join(waiting[:5])}{' …' if len(waiting) > 5 else ''}. The gate runs again once "
            "automation has rebuilt them."
        )
        return
    settings = Settings.from_env()
    published = publish(settings)
    context.log.info(f"publication {published.publication_id} at {published.path}")
    yield dg.MaterializeResult(
        metadata={
            "publication_id": published.publication_id,
            "path": dg.MetadataValue.path(str(published.path)),
            "code_version": published.code_version,
            "validation_run_id": published.validation_run_id,
            "deliveries": len(published.batch_ids),
            "tables": dg.MetadataValue.json(list(published.tables)),
        }
    )


GATE_ASSETS: list[dg.AssetsDefinition] = [validation, publication]
