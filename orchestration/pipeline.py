"""`warehouse run`: the whole pipeline once, as a Dagster run recorded in the instance the UI shows."""

from __future__ import annotations

from orchestration.config import Settings


def run_pipeline(settings: Settings) -> int:
    """Ingest -> dbt build -> validate -> publish; 0 only when a publication happened."""
    from orchestration.definitions import defs
    from orchestration.full_pipeline import run_full

    return run_full(settings, defs)
