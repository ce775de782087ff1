"""Serve what the warehouse offers its users, until Ctrl-C: Dagster's UI and daemon, and Superset."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click

from orchestration.config import Settings
from orchestration.dagster_home import prepare_dagster_home
from orchestration.superset import start_superset, superset_access_lines
from orchestration.superset.server import SupersetError

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
    superset = None
    try:
        superset = start_superset(settings)  # returns once Superset answers its health check
    except SupersetError as error:
        click.echo(f"Superset did not start: {error}", err=True)
    print_access(settings)
    if superset is not None:
        click.echo("\n".join(superset_access_lines(settings)) + "\n")
    try:
        process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        if superset is not None:
            superset.terminate()  # gunicorn stops gracefully on SIGTERM
            superset.wait(timeout=60)
        process.wait(timeout=60)
