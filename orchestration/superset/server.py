"""Prepare Superset's metadata and serve it with gunicorn on 127.0.0.1 (port 8088 by default).

Every start runs, through .venv-superset's executables: `superset db upgrade` (migrations of the
SQLite metadata under <data>/superset), `superset init` (Superset's own roles and permissions), then
superset/bootstrap.py (the dashboards-as-code bundle, the warehouse roles and users). Each step is
idempotent, so a restart converges to what is in git.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from orchestration.config import Settings
from orchestration.superset import paths
from orchestration.superset.credentials import ROLES, logins, users_payload

HOST = "127.0.0.1"


class SupersetError(RuntimeError):
    """Superset could not be prepared or did not answer."""


def superset_port() -> int:
    return int(os.environ.get("WAREHOUSE_SUPERSET_PORT", "8088"))


def superset_url(port: int | None = None) -> str:
    return f"http://{HOST}:{port or superset_port()}"


def _ensure_secret_key(settings: Settings) -> None:
    path = paths.secret_key_file(settings)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48))


def superset_environment(settings: Settings) -> dict[str, str]:
    """The environment of every Superset subprocess: its own venv first on PATH, its config, its home."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    env.update(
        {
            "PATH": f"{paths.VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            "SUPERSET_CONFIG_PATH": str(paths.CONFIG_FILE),
            "PYTHONPATH": str(paths.SUPERSET_DIR),  # superset/publication_cache.py, named in the config
            "WAREHOUSE_SUPERSET_HOME": str(settings.superset_home),
            "WAREHOUSE_PUBLISHED_DB": str(settings.published_db),
            "FLASK_APP": "superset.app:create_app()",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _run(step: str, command: list[str], env: dict[str, str], log: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=paths.SUPERSET_DIR)
    with log.open("a", encoding="utf-8") as handle:
        seconds = time.monotonic() - started
        handle.write(f"$ {' '.join(command)}  ({seconds:.1f} s, exit {result.returncode})\n")
        handle.write(result.stdout + result.stderr + "\n")
    if result.returncode != 0:
        raise SupersetError(f"{step} failed (exit {result.returncode}); log: {log}\n{result.stderr[-4000:]}")


def prepare(settings: Settings) -> None:
    """Migrations, Superset's roles, the bundle, the warehouse roles and users: every start, idempotent."""
    if not paths.venv_bin("superset").exists():
        raise SupersetError(
            f"Superset's environment {paths.VENV} is missing: run `make install` "
            f"(uv pip sync --compile-bytecode {paths.REQUIREMENTS_LOCK})"
        )
    settings.superset_home.mkdir(parents=True, exist_ok=True)
    paths.log_dir(settings).mkdir(parents=True, exist_ok=True)
    _ensure_secret_key(settings)
    env = superset_environment(settings)
    log = paths.log_dir(settings) / "prepare.log"
    superset = str(paths.venv_bin("superset"))
    _run("superset db upgrade", [superset, "db", "upgrade"], env, log)
    _run("superset init", [superset, "init"], env, log)
    users_file = settings.superset_home / "users.json"
    fd = os.open(users_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(users_payload(settings))
    try:
        command = [str(paths.venv_bin("python")), str(paths.BOOTSTRAP), str(paths.BUNDLE_DIR)]
        command += [str(settings.published_db), str(users_file)]
        _run("bootstrap (bundle, roles, users)", command, env, log)
    finally:
        users_file.unlink(missing_ok=True)


def gunicorn_command(port: int) -> list[str]:
    workers = os.environ.get("WAREHOUSE_SUPERSET_WORKERS", "3")
    threads = os.environ.get("WAREHOUSE_SUPERSET_THREADS", "8")
    return [
        str(paths.venv_bin("gunicorn")),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        workers,
        "--worker-class",
        "gthread",
        "--threads",
        threads,
        "--timeout",
        "120",
        # Longer than a dashboard's pauses between requests: a browser's kept-alive connection is not
        # closed by the server just as the next request goes out (seen as resets under load).
        "--keep-alive",
        "75",
        "--limit-request-line",
        "0",
        "--limit-request-field_size",
        "0",
        "superset.app:create_app()",
    ]


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SupersetError(f"gunicorn exited with code {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SupersetError(f"Superset did not answer at {url}/health within {timeout:.0f} s")


def start_superset(settings: Settings, port: int | None = None, wait: bool = True) -> subprocess.Popen:
    """Prepare the metadata, then start gunicorn; returns once /health answers (unless wait=False).

    The caller owns the process: send it SIGTERM (gunicorn's graceful stop) and wait for it.
    """
    port = port or superset_port()
    prepare(settings)
    log = (paths.log_dir(settings) / "gunicorn.log").open("a", encoding="utf-8")
    process = subprocess.Popen(
        gunicorn_command(port),
        env=superset_environment(settings),
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=paths.SUPERSET_DIR,
    )
    log.close()  # the child holds its own descriptor
    if wait:
        try:
            wait_until_healthy(superset_url(port), process)
        except BaseException:  # it did not start, or Ctrl-C came meanwhile: leave no server behind
            process.terminate()
            process.wait(timeout=30)
            raise
    return process


def superset_access_lines(settings: Settings, port: int | None = None) -> list[str]:
    """What to print at start: the URL and the four logins (passwords the environment did not set)."""
    lines = [f"  Superset (BI users)        {superset_url(port)}"]
    for login in logins(settings):
        purpose = ROLES[login.key][2]
        secret = "(password from the environment)" if login.from_environment else f"password {login.password}"
        lines.append(f"    {login.username:<10} {secret:<34} {purpose}")
    if not settings.published_db.exists():
        lines.append(f"    no publication yet at {settings.published_db}: dashboards are empty until one")
    else:
        lines.append(f"    reads {settings.published_db} (read-only)")
    return lines
