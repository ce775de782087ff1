"""The file-mode GX project in `expectations/`: one pandas dataframe asset and one checkpoint per suite.

The datasource and its assets live in `expectations/great_expectations.yml` (in git); they are only
written when one is missing, so a run leaves the repository clean. Validation definitions,
checkpoints, results and Data Docs go under the data folder (the yml's `${WAREHOUSE_DATA_DIR}`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import great_expectations as gx
from great_expectations.checkpoint.checkpoint import CheckpointResult
from great_expectations.core.batch_definition import BatchDefinition
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import FileDataContext
from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

from orchestration.config import Settings
from orchestration.validation.specs import TableSpec
from orchestration.validation.suites import EXPECTATIONS_DIR

DATASOURCE = "warehouse"
BATCH_DEFINITION = "whole_table"
CHECKPOINT_PREFIX = "gate__"


def open_context(settings: Settings, root: Path = EXPECTATIONS_DIR) -> FileDataContext:
    # great_expectations.yml places every run artefact under ${WAREHOUSE_DATA_DIR}.
    os.environ["WAREHOUSE_DATA_DIR"] = str(settings.data_dir)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    context = gx.get_context(mode="file", context_root_dir=str(root))
    assert isinstance(context, FileDataContext)
    return context


def ensure_assets(context: FileDataContext, specs: Iterable[TableSpec]) -> dict[str, BatchDefinition]:
    """The batch definition of every suite's dataframe asset, created only where missing."""
    try:
        datasource = context.data_sources.get(DATASOURCE)
    except (KeyError, ValueError):
        datasource = context.data_sources.add_pandas(DATASOURCE)
    batches: dict[str, BatchDefinition] = {}
    for spec in specs:
        names = datasource.get_asset_names()
        asset = (
            datasource.get_asset(spec.suite)
            if spec.suite in names
            else datasource.add_dataframe_asset(spec.suite)
        )
        try:
            batches[spec.suite] = asset.get_batch_definition(BATCH_DEFINITION)
        except KeyError:
            batches[spec.suite] = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
    return batches


def checkpoint_for(context: FileDataContext, spec: TableSpec, batch: BatchDefinition) -> gx.Checkpoint:
    """The suite's checkpoint: COMPLETE results, failing rows identified by the table's keys.

    No UpdateDataDocsAction: it rebuilds the site once per suite; `update_data_docs` builds it once
    for the whole run (the same site builder call), five times faster with a dozen suites.
    """
    suite = context.suites.get(spec.suite)
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=spec.suite, data=batch, suite=suite)
    )
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"{CHECKPOINT_PREFIX}{spec.suite}",
            validation_definitions=[definition],
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": list(spec.keys),
                "partial_unexpected_count": 20,
            },
        )
    )


def update_data_docs(context: FileDataContext, results: Iterable[CheckpointResult]) -> None:
    """Render this run's validation results and their suites, and the site's index."""
    identifiers: list[object] = []
    for result in results:
        for identifier, validation in result.run_results.items():
            identifiers += [identifier, ExpectationSuiteIdentifier(name=validation.suite_name)]
    context.build_data_docs(resource_identifiers=identifiers)  # type: ignore[arg-type]


def result_page(context: FileDataContext, result: CheckpointResult) -> str | None:
    """The Data Docs page of the (single) validation result of a checkpoint run."""
    for identifier in result.run_results:
        for site in context.get_docs_sites_urls(resource_identifier=identifier, only_if_exists=False):
            if site.get("site_url"):
                return str(site["site_url"])
    return None


def run_identifier(run_id: str, run_time: object) -> RunIdentifier:
    return RunIdentifier(run_name=run_id, run_time=run_time)  # type: ignore[arg-type]
