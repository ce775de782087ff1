"""What a production dbt build runs and what moves the cut-off, without importing Dagster.

Shared by the Dagster dbt assets (`orchestration.assets.dbt`) and the dbt benchmark, which times the
same build in a plain process.
"""

from orchestration.contract.datasets import dataset
from orchestration.ingest.schema import raw_table_name

# Unit tests check the SQL logic on fixed inputs: they run in CI (tests/dbt builds with them), not on
# every production build (dbt Labs' advice); data tests run every time and become asset checks.
PRODUCTION_BUILD_ARGS = ("--exclude", "test_type:unit")

# The cut-off (int_cutoff) reads audit.deliveries for actiris/demandeurs: that raw asset moves it.
CUTOFF_DATASET = ("actiris", "demandeurs")
CUTOFF_MODEL = "int_cutoff"


def delivery_selection(source_table: str) -> list[str]:
    """The dbt selection of what a new delivery of one raw table (`actiris__demandeurs`) rebuilds: the
    models downstream of its source, and of the cut-off when it moves it (the Dagster asset graph maps
    int_cutoff onto the demandeurs raw asset)."""
    selection = [f"source:raw.{source_table}+"]
    if source_table == raw_table_name(dataset(*CUTOFF_DATASET)):
        selection.append(f"{CUTOFF_MODEL}+")
    return selection
