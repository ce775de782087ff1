"""Serve what the warehouse offers its users, until Ctrl-C: Dagster's UI and daemon."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click

from orchestration.config import Settings
from orchestration.dagster_home import prepare_dagster_home

DAGSTER_HOST = "127.0.0.1"


def dagster_port() -> int:
    return int(os.environ.get("WAREHOUSE_DAGSTER_PORT", "3000"))


def print_access(settings: Settings) -> None:
    click.echo(
        "\n".join(
            [
                "",
                "The warehouse is being served (Ctrl-C stops it):",
                f"  Dagster (data engineers)   http://{DAGSTER_HOST}:{dagster_port()}",
                "                             no login: it listens on this machine only",
                f"  Data Docs (validations)    {(settings.data_docs_dir / 'index.html').as_uri()}",
                f"  dbt docs (models, lineage) {(settings.data_dir / 'dbt_docs' / 'index.html').as_uri()}",
                f"  published file (readers)   {settings.published_db}",
                f"  landing folder             {settings.landing_dir}",
                f"  build file                 {settings.build_db}",
                "",
            ]
        )
    )


def serve_forever(settings: Settings) -> None:
    env = {**os.environ, "DAGSTER_HOME": str(prepare_dagster_home(settings))}
    env.setdefault("WAREHOUSE_LANDING_DIR", str(settings.landing_dir))
    env.setdefault("WAREHOUSE_DATA_DIR", str(settings.data_dir))
    command = [sys.executable, "-m", "dagster", "dev", "-m", "orchestration.definitions"]
    command += ["-h", DAGSTER_HOST, "-p", str(dagster_port())]
    process = subprocess.Popen(command, env=env)
    print_access(settings)
    try:
        process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
