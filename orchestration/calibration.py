"""`warehouse calibrate`: the published marts beside the levels of the joint activity report 2020.

The synthetic exports are meant to reproduce the published levels (issue 7). The reference figures are the
seed `joint_report_results`; the warehouse figures are read from the published file, regrouped the way a
BI user would (SUM(numerator) / SUM(denominator)). Counts are divided by the scale of the landing folder, so
that a scale-0.1 build is compared with a tenth of Brussels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from orchestration.contract.reference import read_seed

# "Within a few points" (issue 7): rates within 5 points, counts within 15 % of the published level.
RATE_TOLERANCE_POINTS = 5.0
COUNT_TOLERANCE_SHARE = 0.15


def _rate(table: str, period: str, numerator: str, denominator: str, where: str = "true") -> str:
    return (
        f"select {period} as period, 100.0 * sum({numerator}) / nullif(sum({denominator}), 0) "
        f"from marts.{table} where {where} group by 1"
    )


def _count(table: str, period: str, column: str, where: str = "true") -> str:
    return f"select {period} as period, sum({column}) from marts.{table} where {where} group by 1"


# Measures whose mart definition (indicators.md) differs from the report's own: a gap there says so.
DEFINITION_NOTES = {
    "persons_internship": "the spec counts every FPI-E / IBO participation as an internship (and a "
    "training); the report's volume table does not",
    "youth_solution_12m_pct": "the report counts young people registered after their studies (DEI_BIT); the "
    "mart has every DEI registration under 30 and no registration type",
}

_SHARED = "shared_strategic_indicators"
_SOLUTIONS = ("job", "training", "internship", "any")

# measure of the seed -> (unit, query returning (period, value) over the published marts)
QUERIES: dict[str, tuple[Literal["pct", "count"], str]] = {
    "positive_outflow_pct": ("pct", _rate(_SHARED, "cohort_year", "positive_outflow", "leavers")),
    "work_any_pct": ("pct", _rate(_SHARED, "cohort_year", "work_any", "vocational_leavers")),
    "work_1m_pct": ("pct", _rate(_SHARED, "cohort_year", "work_1m", "vocational_leavers")),
    "work_sustained_pct": ("pct", _rate(_SHARED, "cohort_year", "work_sustained", "work_1m")),
    "first_job_0_3m_pct": ("pct", _rate(_SHARED, "cohort_year", "first_job_0_3m", "work_1m")),
    "first_job_3_6m_pct": ("pct", _rate(_SHARED, "cohort_year", "first_job_3_6m", "work_1m")),
    "first_job_6_12m_pct": ("pct", _rate(_SHARED, "cohort_year", "first_job_6_12m", "work_1m")),
    "invitations": ("count", _count("training_referrals", "year", "invitations")),
    # Distinct persons of the whole year, repeated on every row of the year (a per-row sum would count a
    # person who applied through two referrers twice).
    "applicants": (
        "count",
        "select year as period, max(applicants_in_year) from marts.training_applicants group by 1",
    ),
    **{
        f"{who}_{kind}": ("count", _count("solutions_volume", "year", f"{who}_{kind}"))
        for who in ("persons", "new_joiners")
        for kind in _SOLUTIONS
    },
    # The report counts young people registered after their studies; the mart has every DEI registration of
    # a person under 30: the nearest reading.
    "youth_solution_12m_pct": (
        "pct",
        _rate(
            "guarantee_clocks",
            "year(registration_month)",
            "solution_12m",
            "solution_due_12m",
            where="age_band in ('<25', '25-29')",
        ),
    ),
    "vacancies_direct": (
        "count",
        _count("vacancies_matching", "year(month)", "vacancies", where="channel = 'DIRECT'"),
    ),
}


@dataclass(frozen=True)
class Comparison:
    measure: str
    period_kind: str
    period: int
    unit: Literal["pct", "count"]
    published: float
    warehouse: float | None  # None: the mart has no figure for that period (not built, cohort still open)

    @property
    def gap(self) -> float | None:
        """Points for a rate, a share of the published level for a count."""
        if self.warehouse is None:
            return None
        if self.unit == "pct":
            return self.warehouse - self.published
        return self.warehouse / self.published - 1

    @property
    def within_tolerance(self) -> bool | None:
        if self.gap is None:
            return None
        limit = RATE_TOLERANCE_POINTS if self.unit == "pct" else COUNT_TOLERANCE_SHARE
        return abs(self.gap) <= limit


def compare(published_db: Path, scale: float) -> list[Comparison]:
    """Every published figure of the seed beside the warehouse's, counts divided by `scale`."""
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        tables = con.execute("select table_name from duckdb_tables() where schema_name = 'marts'")
        present = {row[0] for row in tables.fetchall()}
        figures: dict[str, dict[int, float | None]] = {}
        for measure, (unit, sql) in QUERIES.items():
            table = sql.split("from marts.", 1)[1].split()[0]
            rows = con.execute(sql).fetchall() if table in present else []
            divisor = scale if unit == "count" else 1.0
            figures[measure] = {int(p): (None if v is None else float(v) / divisor) for p, v in rows}
    finally:
        con.close()
    comparisons = []
    for row in read_seed("joint_report_results"):
        unit, _sql = QUERIES[row["measure"]]
        period = int(row["period"])
        comparisons.append(
            Comparison(
                measure=row["measure"],
                period_kind=row["period_kind"],
                period=period,
                unit=unit,
                published=float(row["published_value"]),
                warehouse=figures[row["measure"]].get(period),
            )
        )
    return comparisons


def format_comparisons(comparisons: list[Comparison], scale: float) -> str:
    lines = [
        f"published levels (joint activity report 2020) vs the published marts, counts / scale {scale:g}",
        f"{'measure':<24}{'period':>13}{'published':>12}{'warehouse':>12}{'gap':>10}  verdict",
    ]
    for item in comparisons:
        period = f"{item.period_kind} {item.period}"
        value = "—" if item.warehouse is None else _number(item.warehouse, item.unit)
        if item.gap is None:
            gap, verdict = "—", "no figure"
        elif item.unit == "pct":
            gap, verdict = f"{item.gap:+.1f} pt", "ok" if item.within_tolerance else "OFF"
        else:
            gap, verdict = f"{100 * item.gap:+.0f} %", "ok" if item.within_tolerance else "OFF"
        if verdict == "OFF" and item.measure in DEFINITION_NOTES:
            verdict = "OFF*"
        published = _number(item.published, item.unit)
        lines.append(f"{item.measure:<24}{period:>13}{published:>12}{value:>12}{gap:>10}  {verdict}")
    measured = [c for c in comparisons if c.within_tolerance is not None]
    within = sum(1 for c in measured if c.within_tolerance)
    by_definition = [c for c in measured if not c.within_tolerance and c.measure in DEFINITION_NOTES]
    lines += [
        f"* {measure}: {DEFINITION_NOTES[measure]}" for measure in sorted({c.measure for c in by_definition})
    ]
    lines.append(
        f"{within} of {len(measured)} figures within tolerance "
        f"(rates ±{RATE_TOLERANCE_POINTS:g} points, counts ±{100 * COUNT_TOLERANCE_SHARE:g} %); "
        f"{len(by_definition)} off where the definitions differ (*); "
        f"{len(comparisons) - len(measured)} without a figure in the warehouse"
    )
    return "\n".join(lines)


def _number(value: float, unit: str) -> str:
    return f"{value:.1f}" if unit == "pct" else f"{value:,.0f}"
