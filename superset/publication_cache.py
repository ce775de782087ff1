"""Superset's chart data cache, kept per publication (named in superset_config.DATA_CACHE_CONFIG).

Imported by Superset from this folder (on PYTHONPATH for Superset's processes only).
"""

from __future__ import annotations

import os
from typing import Any

from flask_caching.backends.filesystemcache import FileSystemCache


class PublicationCache(FileSystemCache):
    """Chart data cached per publication, shared by the gunicorn workers (files under the home).

    Every key carries the identity of the published file (inode and modification time): a new
    publication is a new file swapped in, so it is never answered from the previous one's cache.
    """

    def __init__(self, cache_dir: str, published_db: str, **kwargs: Any) -> None:
        self._published_db = published_db  # before the base class, which already writes a count key
        super().__init__(cache_dir, **kwargs)

    def _key(self, key: str) -> str:
        try:
            stat = os.stat(self._published_db)
        except FileNotFoundError:
            return f"unpublished/{key}"
        return f"{stat.st_ino}-{stat.st_mtime_ns}/{key}"

    def get(self, key: str) -> Any:
        return super().get(self._key(key))

    def set(self, key: str, value: Any, timeout: int | None = None, mgmt_element: bool = False) -> bool:
        return bool(super().set(self._key(key), value, timeout, mgmt_element))

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return bool(super().add(self._key(key), value, timeout))

    def delete(self, key: str, mgmt_element: bool = False) -> bool:
        return bool(super().delete(self._key(key), mgmt_element))

    def has(self, key: str) -> bool:
        return bool(super().has(self._key(key)))

    @classmethod
    def factory(cls, app: Any, config: dict, args: list, kwargs: dict) -> PublicationCache:
        kwargs.update(threshold=config["CACHE_THRESHOLD"], ignore_errors=config["CACHE_IGNORE_ERRORS"])
        return cls(config["CACHE_DIR"], config["CACHE_PUBLISHED_DB"], *args, **kwargs)
