"""Ingestion of landing deliveries into the build file's `raw` and `audit` schemas.

One mechanism for every source and dataset, configured from `orchestration.contract`:
discovery -> decode (bytes, manifest, header) -> load (DuckDB read_csv, rules as SQL, pseudonyms)
-> one transaction per delivery covering raw rows and audit rows.
"""
