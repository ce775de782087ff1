"""`warehouse generate`: simulate one population and write every dataset's monthly deliveries."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from orchestration.contract.datasets import DATASETS, Dataset
from orchestration.synthetic.budget import budget_snapshots
from orchestration.synthetic.careers import Careers, CareerSimulator
from orchestration.synthetic.employment import occupations
from orchestration.synthetic.jobseekers import availability_decisions, guidance_actions, registrations
from orchestration.synthetic.staff import staff_datasets
from orchestration.synthetic.timeline import Horizon, produced_at
from orchestration.synthetic.training import BF, VDAB, applications_and_invitations, participations
from orchestration.synthetic.vacancies import vacancies_and_matches
from orchestration.synthetic.writer import write_delivery


@dataclass
class GenerationReport:
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    bytes_written: int = 0
    seconds: float = 0.0


def simulate(horizon: Horizon, scale: float, seed: int, show_progress: bool) -> dict[str, pd.DataFrame]:
    """Every dataset's delivered rows, with the delivery month in column `_period`."""
    # One independent stream per part, so that changing one part leaves the others' bytes unchanged.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(12)]
    simulator = CareerSimulator(streams[0], horizon, scale)
    months = len(horizon.month_starts(horizon.simulation_start))
    with tqdm(total=months, desc="simulating careers", unit="month", disable=not show_progress) as bar:
        careers: Careers = simulator.run(bar.update)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("demandeurs", lambda: registrations(careers, horizon, streams[1])),
        ("actions", lambda: guidance_actions(careers, horizon, streams[2])),
        ("decisions_disponibilite", lambda: availability_decisions(careers, horizon, streams[3])),
        ("occupations", lambda: occupations(careers, horizon, streams[4])),
        (
            "offres_emploi+mises_en_relation",
            lambda: vacancies_and_matches(careers, horizon, scale, streams[5]),
        ),
        ("stagiaires", lambda: participations(careers, BF, horizon, streams[6])),
        ("opleidingen", lambda: participations(careers, VDAB, horizon, streams[7])),
        (
            "demandes_formation+invitations_seances",
            lambda: applications_and_invitations(careers, horizon, streams[8]),
        ),
        ("rh_personnel+rh_absences", lambda: staff_datasets(horizon, scale, streams[9])),
        ("budget", lambda: budget_snapshots(horizon, streams[10])),
    ]
    tables: dict[str, pd.DataFrame] = {}
    for names, step in tqdm(steps, desc="building datasets", unit="step", disable=not show_progress):
        result = step()
        frames = result if isinstance(result, tuple) else (result,)
        for name, frame in zip(names.split("+"), frames, strict=True):
            tables[name] = frame
    return tables


def write_all(
    landing: Path, tables: dict[str, pd.DataFrame], horizon: Horizon, show_progress: bool
) -> GenerationReport:
    report = GenerationReport()
    periods = horizon.periods
    deliveries = [(d, p) for d in DATASETS for p in _delivery_periods(d, periods)]
    grouped = {d.name: dict(iter(tables[d.name].groupby("_period", sort=True))) for d in DATASETS}
    empty = {d.name: tables[d.name].iloc[0:0] for d in DATASETS}
    for spec, period in tqdm(deliveries, desc="writing deliveries", unit="file", disable=not show_progress):
        frame = grouped[spec.name].get(period, empty[spec.name])
        written = write_delivery(landing, spec, period, frame, produced_at(period))
        report.rows[spec.qualified_name] = report.rows.get(spec.qualified_name, 0) + written.rows
        report.files[spec.qualified_name] = report.files.get(spec.qualified_name, 0) + 1
        report.bytes_written += written.size_bytes
    return report


def _delivery_periods(spec: Dataset, periods: list[str]) -> list[str]:
    return [p for p in periods if p.endswith("-12")] if spec.yearly else periods


def generate(
    landing: Path,
    *,
    scale: float,
    seed: int,
    first: tuple[int, int],
    last: tuple[int, int],
    show_progress: bool = True,
) -> GenerationReport:
    if scale <= 0:
        raise ValueError("--scale must be positive")
    started = time.perf_counter()
    horizon = Horizon(first, last)
    tables = simulate(horizon, scale, seed, show_progress)
    report = write_all(landing, tables, horizon, show_progress)
    report.seconds = time.perf_counter() - started
    return report
