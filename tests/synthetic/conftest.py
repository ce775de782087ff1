"""A landing folder generated once per test session by the real `warehouse generate` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run_generate(landing: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "orchestration.cli", "generate", "--landing", str(landing), "--quiet"]
    return subprocess.run([*command, *args], check=True, capture_output=True, text=True)


@pytest.fixture(scope="session")
def landing_001(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("landing-001")
    run_generate(landing, "--scale", "0.01", "--seed", "1")
    return landing
