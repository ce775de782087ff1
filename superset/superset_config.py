"""Superset's configuration for the warehouse (loaded through SUPERSET_CONFIG_PATH).

Everything machine-specific comes from the environment that `orchestration.superset` sets when it
runs Superset's commands: WAREHOUSE_SUPERSET_HOME (metadata, secret key, logs, cache) and
WAREHOUSE_PUBLISHED_DB (the published file, whose identity keys the chart data cache).
This file runs inside .venv-superset; the pipeline's environment never imports it.
"""

from __future__ import annotations

import os
from pathlib import Path

_HOME = Path(os.environ["WAREHOUSE_SUPERSET_HOME"])

# Written once by orchestration.superset (0600): sessions and encrypted fields survive restarts.
SECRET_KEY = (_HOME / "secret_key").read_text(encoding="utf-8").strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{_HOME / 'superset.db'}"
# Many gunicorn threads write the event log at once: wait for SQLite's lock rather than fail
# (the bootstrap also switches the file to WAL, so readers never wait for writers).
SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}}
DATA_DIR = str(_HOME)
UPLOAD_FOLDER = str(_HOME / "uploads")

# Only the warehouse database is offered; nobody uploads files or adds SQLite databases.
PREVENT_UNSAFE_DB_CONNECTIONS = True
SQLLAB_TIMEOUT = 60
SUPERSET_WEBSERVER_TIMEOUT = 120
SQL_MAX_ROW = 100_000
ROW_LIMIT = 50_000


# Chart data: cached for a day within one publication (the marts change only when one is swapped in).
DATA_CACHE_CONFIG = {
    "CACHE_TYPE": "publication_cache.PublicationCache",
    "CACHE_DIR": str(_HOME / "cache" / "data"),
    "CACHE_PUBLISHED_DB": os.environ["WAREHOUSE_PUBLISHED_DB"],
    "CACHE_DEFAULT_TIMEOUT": 86_400,
    "CACHE_THRESHOLD": 20_000,
}
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}
FILTER_STATE_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 86_400}
EXPLORE_FORM_DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 86_400}

FEATURE_FLAGS = {
    "DASHBOARD_RBAC": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
    "THUMBNAILS": False,
    "ALERT_REPORTS": False,
}

# It listens on 127.0.0.1 over plain HTTP: no HSTS/HTTPS redirect; a CSP that allows Superset's own assets.
TALISMAN_ENABLED = False
CONTENT_SECURITY_POLICY_WARNING = False

# Login attempts stay rate-limited; the limit is per client, generous enough for the load script.
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = "20 per second"

LOG_LEVEL = os.environ.get("WAREHOUSE_SUPERSET_LOG_LEVEL", "WARNING")
