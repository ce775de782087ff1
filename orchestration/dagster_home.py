"""The Dagster instance folder under the data folder, shared by the UI, the daemon and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

from orchestration.config import Settings
from orchestration.definitions import write_instance_config


def prepare_dagster_home(settings: Settings) -> Path:
    """Create DAGSTER_HOME with its instance config and point this process at it."""
    home = settings.dagster_home
    write_instance_config(home)
    os.environ["DAGSTER_HOME"] = str(home)
    return home
