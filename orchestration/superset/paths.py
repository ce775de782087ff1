"""Where Superset's environment, configuration and dashboards-as-code live in the project."""

from __future__ import annotations

from pathlib import Path

from orchestration.config import PROJECT_ROOT, Settings

SUPERSET_DIR = PROJECT_ROOT / "superset"
BUNDLE_DIR = SUPERSET_DIR / "bundle"
CONFIG_FILE = SUPERSET_DIR / "superset_config.py"
BOOTSTRAP = SUPERSET_DIR / "bootstrap.py"
REQUIREMENTS_LOCK = SUPERSET_DIR / "requirements.lock"
VENV = PROJECT_ROOT / ".venv-superset"


def venv_bin(name: str) -> Path:
    return VENV / "bin" / name


def secret_key_file(settings: Settings) -> Path:
    return settings.superset_home / "secret_key"


def logins_file(settings: Settings) -> Path:
    return settings.data_dir / "secrets" / "superset-logins.json"


def log_dir(settings: Settings) -> Path:
    return settings.superset_home / "logs"
