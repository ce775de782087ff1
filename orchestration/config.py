"""Settings from the environment, with the defaults a newcomer gets from the README."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    data_dir: Path

    @classmethod
    def from_env(cls) -> Settings:
        landing = Path(os.environ.get("WAREHOUSE_LANDING_DIR", "./landing")).expanduser().resolve()
        data = Path(os.environ.get("WAREHOUSE_DATA_DIR", "./data")).expanduser().resolve()
        return cls(landing_dir=landing, data_dir=data)

    @property
    def build_db(self) -> Path:
        """The pipeline's own read-write DuckDB file (raw, audit, staging, marts)."""
        return self.data_dir / "build" / "warehouse.duckdb"

    @property
    def published_db(self) -> Path:
        """The validated, read-only file that readers open; replaced atomically."""
        return self.data_dir / "published" / "warehouse.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster"

    @property
    def superset_home(self) -> Path:
        return self.data_dir / "superset"

    @property
    def data_docs_dir(self) -> Path:
        return self.data_dir / "data_docs"

    @property
    def pseudonym_key_file(self) -> Path:
        return self.data_dir / "secrets" / "pseudonym.key"

    def pseudonym_key(self) -> bytes:
        """The HMAC key: `WAREHOUSE_PSEUDONYM_KEY`, else a random key kept in the data folder.

        The key file is created once and reused, so pseudonyms stay stable across runs.
        """
        from_env = os.environ.get("WAREHOUSE_PSEUDONYM_KEY")
        if from_env:
            return from_env.encode("utf-8")
        path = self.pseudonym_key_file
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".partial")
            temporary.write_text(secrets.token_hex(32), encoding="utf-8")
            temporary.chmod(0o600)
            try:
                os.link(temporary, path)  # fails if another process created it first: keep theirs
            except FileExistsError:
                pass
            finally:
                temporary.unlink()
        return path.read_text(encoding="utf-8").strip().encode("utf-8")

    def ensure_folders(self) -> None:
        for folder in (self.landing_dir, self.build_db.parent, self.published_db.parent, self.dagster_home):
            folder.mkdir(parents=True, exist_ok=True)
