"""Superset for BI users and auditors: its own environment (.venv-superset), dashboards as code.

The pipeline's environment never imports Superset: every Superset step runs as a subprocess of
.venv-superset's executables. `start_superset` prepares the metadata and starts gunicorn;
`superset_access_lines` says where it listens and who may log in.
"""

from orchestration.superset.credentials import Login, logins
from orchestration.superset.server import start_superset, superset_access_lines, superset_url

__all__ = ["Login", "logins", "start_superset", "superset_access_lines", "superset_url"]
