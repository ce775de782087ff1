"""One Dagster asset per landing dataset (group `raw`): ingest its pending deliveries into the build file.

Every asset that writes the build file runs in the `duckdb_build` concurrency pool, whose limit is 1
(see `orchestration.definitions.write_instance_config`), so two runs never fight over DuckDB's lock.
The metadata of each materialisation lists, per delivery, rows declared / loaded / quarantined and
why anything was rejected or quarantined.
"""

from collections.abc import Iterator, Sequence

import dagster as dg
from dagster import AssetExecutionContext

from orchestration.config import Settings
from orchestration.contract.datasets import DATASETS, Dataset
from orchestration.ingest.model import DeliveryOutcome, Status
from orchestration.ingest.run import ingest_landing
from orchestration.ingest.schema import raw_table_name

DUCKDB_POOL = "duckdb_build"
RAW_GROUP = "raw"
# A run that promises a build (the job build_and_publish) carries this tag: there every raw asset
# materialises, new delivery or not, because Dagster skips the dbt step unless all its upstream assets
# did, and a month in which one dataset delivered nothing would build nothing.
BUILD_RUN_TAG = "warehouse/build"

_DELIVERY_COLUMNS = dg.TableSchema(
    columns=[
        dg.TableColumn("batch_id", "int"),
        dg.TableColumn("file_name", "string"),
        dg.TableColumn("status", "string"),
        dg.TableColumn("rows_declared", "int"),
        dg.TableColumn("rows_loaded", "int"),
        dg.TableColumn("rows_quarantined", "int"),
        dg.TableColumn("reason", "string"),
    ]
)


def raw_asset_key(dataset: Dataset) -> dg.AssetKey:
    return dg.AssetKey([RAW_GROUP, raw_table_name(dataset)])


def _why(outcome: DeliveryOutcome) -> str:
    if outcome.reason:
        return outcome.reason
    return "; ".join(
        f"{rows} row(s): {column} broke rule {rule}" for column, rule, rows in outcome.quarantine_summary
    )


def delivery_metadata(outcomes: Sequence[DeliveryOutcome]) -> dict[str, dg.MetadataValue]:
    loaded = [o for o in outcomes if o.status in (Status.LOADED, Status.SUPERSEDED)]
    records = [
        dg.TableRecord(
            {
                "batch_id": o.batch_id,
                "file_name": o.file_name,
                "status": str(o.status),
                "rows_declared": o.rows_declared if o.rows_declared is not None else -1,
                "rows_loaded": o.rows_loaded,
                "rows_quarantined": o.rows_quarantined,
                "reason": _why(o),
            }
        )
        for o in outcomes
    ]
    problems = [f"* `{o.file_name}` **{o.status}**: {_why(o)}" for o in outcomes if _why(o)]
    return {
        "deliveries": dg.MetadataValue.table(records, schema=_DELIVERY_COLUMNS),
        "deliveries_ingested": dg.MetadataValue.int(len(outcomes)),
        "deliveries_rejected": dg.MetadataValue.int(sum(o.status is Status.REJECTED for o in outcomes)),
        "rows_declared": dg.MetadataValue.int(sum(o.rows_declared or 0 for o in loaded)),
        "rows_loaded": dg.MetadataValue.int(sum(o.rows_loaded for o in loaded)),
        "rows_quarantined": dg.MetadataValue.int(sum(o.rows_quarantined for o in loaded)),
        "problems": dg.MetadataValue.md(
            "\n".join(problems) if problems else "nothing rejected or quarantined"
        ),
    }


def build_raw_asset(dataset: Dataset) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(dataset),
        group_name=RAW_GROUP,
        pool=DUCKDB_POOL,
        kinds={"duckdb"},
        description=f"{dataset.description} Raw deliveries of {dataset.qualified_name}, typed, one batch "
        "per delivery, personal identifiers pseudonymised.",
        metadata={"table": f"raw.{raw_table_name(dataset)}", "update_kind": str(dataset.update_kind)},
        # No new rows, no materialisation (but in a build run, BUILD_RUN_TAG): what depends on the table
        # is rebuilt only when it changed.
        output_required=False,
    )
    def _ingest(context: AssetExecutionContext) -> Iterator[dg.MaterializeResult | dg.AssetObservation]:
        outcomes = ingest_landing(Settings.from_env(), [dataset])
        for outcome in outcomes:
            context.log.info(f"{outcome.file_name}: {outcome.status} {_why(outcome)}".strip())
        changed = any(o.status in (Status.LOADED, Status.SUPERSEDED) for o in outcomes)
        if changed or context.run.tags.get(BUILD_RUN_TAG) == "true":
            metadata = {**delivery_metadata(outcomes), "table_changed": dg.MetadataValue.bool(changed)}
            yield dg.MaterializeResult(metadata=metadata)
        elif outcomes:
            # Rejected or duplicate deliveries change nothing, but data engineers still see why.
            yield dg.AssetObservation(asset_key=raw_asset_key(dataset), metadata=delivery_metadata(outcomes))

    return _ingest


RAW_ASSETS: list[dg.AssetsDefinition] = [build_raw_asset(d) for d in DATASETS]
