"""The build file remembers which pseudonym key made its pseudonyms.

Another key (a lost key file, `WAREHOUSE_PSEUDONYM_KEY` set in one shell and not in the next) would give
every person a second pseudonym from the next delivery on: their history split in two, every count of
persons wrong, and no error anywhere. The build file keeps a fingerprint of the key (an HMAC of a fixed
text: it tells nothing of the key) and ingestion refuses to run with another one.
"""

from __future__ import annotations

import hashlib
import hmac

import duckdb

from orchestration.ingest.schema import BUILD_CATALOG

# its own schema: not published, and no table of the gate's schemas (audit, marts) or raw
KEY_TABLE = f"{BUILD_CATALOG}.ingestion.pseudonym_key"
_FINGERPRINT_TEXT = b"fingerprint of the pseudonym key of the Brussels employment warehouse"


class PseudonymKeyChanged(RuntimeError):
    """The key differs from the one the build file's pseudonyms were made with."""


def fingerprint(key: bytes) -> str:
    return hmac.new(key, _FINGERPRINT_TEXT, hashlib.sha256).hexdigest()


def check_pseudonym_key(con: duckdb.DuckDBPyConnection, key: bytes, build_file: str) -> None:
    """Record the key's fingerprint in a new build file; refuse another key in an existing one."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {BUILD_CATALOG}.ingestion")
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {KEY_TABLE} (fingerprint VARCHAR NOT NULL, "
        "recorded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)"
    )
    recorded = con.execute(f"SELECT fingerprint FROM {KEY_TABLE}").fetchall()
    if not recorded:
        con.execute(f"INSERT INTO {KEY_TABLE} (fingerprint) VALUES (?)", [fingerprint(key)])
    elif recorded[0][0] != fingerprint(key):
        raise PseudonymKeyChanged(
            f"the pseudonym key is not the one {build_file} was built with: its persons would get a second "
            "pseudonym. Nothing was ingested. Use the key it was built with (WAREHOUSE_PSEUDONYM_KEY, or "
            "data/secrets/pseudonym.key), or remove the build file to rebuild everything with the new key."
        )
