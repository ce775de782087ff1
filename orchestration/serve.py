"""Serve what the warehouse offers its users, until Ctrl-C: Dagster's UI and daemon, and Superset."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

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
    # `dagster dev` is superseded by `dg dev`, which needs the dg project layout and its own package; the
    # command stays supported until Dagster 2.0, and its warning would only be noise in every start.
    quiet = ["-W", "ignore:Function `dev_command` is superseded"]
    command = [sys.executable, *quiet, "-m", "dagster", "dev", "-m", "orchestration.definitions"]
    command += ["-h", DAGSTER_HOST, "-p", str(dagster_port())]
    # Ctrl-C and a service manager's SIGTERM both stop everything. Set before the children start: a
    # command started in the background of a non-interactive shell inherits SIGINT ignored, and so would
    # Dagster, while Python leaves an ignored SIGINT ignored (Ctrl-C then stopped nothing).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    # Its own process group: stopping it reaches its webserver, daemon and code server too.
    process = subprocess.Popen(command, env=env, start_new_session=True)
    superset = None
    try:
        try:
            superset = start_superset(settings)  # returns once Superset answers its health check
        except SupersetError as error:
            click.echo(f"Superset did not start: {error}", err=True)
        print_access(settings)
        if superset is not None:
            click.echo("\n".join(superset_access_lines(settings)) + "\n")
        process.wait()
    except KeyboardInterrupt:
        _stop(process, superset)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _stop(dagster: subprocess.Popen[bytes], superset: subprocess.Popen[bytes] | None) -> None:
    """SIGINT lets `dagster dev` stop its webserver and daemon; gunicorn stops gracefully on SIGTERM.

    A process started with SIGINT ignored (a background job of a non-interactive shell) never sees the
    SIGINT: after a grace period Dagster's whole process group gets SIGTERM, then SIGKILL, so nothing is
    left running.
    """
    _signal_group(dagster, signal.SIGINT)
    if superset is not None:
        superset.terminate()
        _wait_or(superset, superset.kill)
    with contextlib.suppress(subprocess.TimeoutExpired):  # SIGINT ignored: SIGTERM below
        dagster.wait(timeout=30)
    for last in (signal.SIGTERM, signal.SIGKILL):
        if not _signal_group(dagster, last):
            break
        time.sleep(5)
    dagster.wait()


def _wait_or(child: subprocess.Popen[bytes], escalate: Callable[[], None], seconds: float = 30) -> None:
    try:
        child.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        escalate()
        child.wait()


def _signal_group(child: subprocess.Popen[bytes], signum: signal.Signals) -> bool:
    """Signal the child's process group; False when no process of it is left."""
    try:
        os.killpg(child.pid, signum)
    except ProcessLookupError:
        return False
    return True
