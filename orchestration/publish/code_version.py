"""Which code built a publication: `git describe --always --dirty`, else the package version."""

from __future__ import annotations

import subprocess
from importlib.metadata import PackageNotFoundError, version

from orchestration.config import PROJECT_ROOT

PACKAGE = "brussels-employment-warehouse"


def code_version() -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        if described:
            return described
    except (OSError, subprocess.SubprocessError):
        pass  # no git, or not a clone (an installed package): fall back to the version
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return "unknown"
