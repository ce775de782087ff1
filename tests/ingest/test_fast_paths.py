"""The shortcuts that make ingestion fast give exactly the results of the plain way: HMAC from
precomputed states, identifiers remembered across deliveries, repeated keys found with GROUP BY
(composite keys, empty parts), and the audit ledger kept in memory across runs."""

from __future__ import annotations

import pytest

from orchestration.config import Settings
from orchestration.contract.datasets import dataset
from orchestration.contract.identifiers import niss_is_valid, normalise_niss
from orchestration.ingest.pseudonymise import Lookups, _Pseudonymiser, pseudonym
from orchestration.ingest.run import ingest_landing
from orchestration.synthetic.defects import produced_at_for, sample_frame
from orchestration.synthetic.writer import write_delivery
from tests.ingest.conftest import TEST_KEY, query

BUDGET = dataset("actiris", "budget")
PERIOD = "2024-04"


@pytest.mark.parametrize("key", [b"", b"k", b"x" * 64, b"y" * 65, b"z" * 300, "clé".encode()])
def test_precomputed_hmac_is_hmac(key: bytes) -> None:
    fast = _Pseudonymiser(key)
    for value in ("", "85073003328", "M12345", "é"):
        assert fast(value) == pseudonym(key, value)


def test_remembered_lookups_match_fresh_ones() -> None:
    niss = dataset("actiris", "occupations").column_index["niss"]
    lookups = Lookups(TEST_KEY.encode())
    values = ["85.07.30-033.28", "85073003328", "85073003329", "x"]
    for _ in range(2):  # the second time every value is remembered
        frame = lookups.frame(niss, values)
        assert list(frame["pseudonym"]) == [pseudonym(TEST_KEY.encode(), normalise_niss(v)) for v in values]
        assert list(frame["valid"]) == [niss_is_valid(v) for v in values]


def test_composite_key_duplicates(settings: Settings) -> None:
    frame = sample_frame(BUDGET, PERIOD, 6)
    frame.loc[1, BUDGET.key] = frame.loc[0, BUDGET.key].to_numpy()  # rows 0 and 1 share their key
    frame.loc[3, BUDGET.key] = frame.loc[2, BUDGET.key].to_numpy()
    frame.loc[2, "type_credit"] = frame.loc[3, "type_credit"] = ""  # same key but a part empty
    write_delivery(settings.landing_dir, BUDGET, PERIOD, frame, produced_at_for(PERIOD))
    (outcome,) = ingest_landing(settings)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (2, 4)
    got = query(settings, "SELECT line_number, rule FROM audit.quarantine ORDER BY line_number, column_name")
    assert got == [(2, "duplicate_key"), (3, "duplicate_key"), (4, "required"), (5, "required")]


def test_duplicate_and_supersession_across_runs(settings: Settings) -> None:
    frame = sample_frame(BUDGET, PERIOD, 3)
    first = write_delivery(settings.landing_dir, BUDGET, PERIOD, frame, produced_at_for(PERIOD))
    assert [o.status for o in ingest_landing(settings)] == ["LOADED"]
    # The same bytes again as a correction: a duplicate of batch 1, known from the build file alone.
    write_delivery(settings.landing_dir, BUDGET, PERIOD, frame, produced_at_for(PERIOD), 2)
    (again,) = ingest_landing(settings)
    assert (again.batch_id, again.status) == (2, "DUPLICATE")
    assert "batch 1" in (again.reason or "") and first.data_path.name in (again.reason or "")
    changed = sample_frame(BUDGET, PERIOD, 2, seed=3)
    write_delivery(settings.landing_dir, BUDGET, PERIOD, changed, produced_at_for(PERIOD), 3)
    (newer,) = ingest_landing(settings)
    assert (newer.batch_id, newer.status) == (3, "LOADED")
    statuses = query(settings, "SELECT batch_id, status FROM audit.deliveries ORDER BY batch_id")
    assert statuses == [(1, "SUPERSEDED"), (2, "DUPLICATE"), (3, "LOADED")]
