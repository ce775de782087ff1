"""The landing contract (../shared/spec/landing-contract.md) as data: one description used by the
synthetic export writer and by ingestion, so the two can never drift apart."""
