"""What the gate checks, as data: one small spec per published table, turned into GX suites by `suites.py`.

A spec names the table's keys and the rules its figures obey. Rules that need a computation (a rate
against its numerator and denominator, a month series, a sum across tables) become *check columns*
added to the dataframe read from the build file (`frames.py`); the GX expectation then tests that
column, so a failure lists the offending rows by their key columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from orchestration.contract.reference import read_seed

# Rates are published rounded to 2 decimals, and some figures are computed from unrounded values
# (absenteeism changes and targets): one unit in the last decimal plus rounding is the tolerance.
TOLERANCE = 0.011
EUR = (0.0, 10_000_000_000.0)  # an Actiris budget article is in the tens of millions; 10 billion is absurd


@dataclass(frozen=True)
class Rate:
    """`rate` = `numerator` / `denominator` × 100, NULL when the denominator is 0.

    `bounded`: a share of a whole, so 0 ≤ rate ≤ 100 and numerator ≤ denominator (execution of a
    budget may exceed its credit: not bounded).
    """

    rate: str
    numerator: str
    denominator: str
    bounded: bool = True
    # False where the spec's own sums can pass the whole: the bound is then reported as a warning.
    bound_blocking: bool = True


@dataclass(frozen=True)
class Equation:
    """`column` equals a pandas expression over the row's columns (NULL when an input is NULL)."""

    column: str
    expression: str


@dataclass(frozen=True)
class Flag:
    """Boolean `column` equals a pandas comparison over the row's columns (NULL when an input is NULL)."""

    column: str
    expression: str


@dataclass(frozen=True)
class Series:
    """No gap in a time series: consecutive rows of a partition are one `unit` apart.

    Not `blocking` where rows follow what was delivered (a budget month not delivered yet, a directorate
    without staff for a month): the gap is a fact the validation reports (GX severity "warning"), and
    the marts are published with it.
    """

    column: str
    unit: Literal["month", "integer"]  # months as first-of-month dates, or consecutive integers
    partition: tuple[str, ...] = ()
    blocking: bool = True


@dataclass(frozen=True)
class Reconciliation:
    """Rows of this table (filtered by `where`) equal aggregates of `other` (filtered by `other_where`).

    `on` maps this table's columns to the other's grouping columns; `measures` maps this table's
    columns to `(aggregation, other column)`. Every selected row must find its group unless not
    `required`. The other direction (every group has its row here) is a reconciliation on the other table.
    """

    name: str
    other: str
    on: dict[str, str]
    measures: dict[str, tuple[str, str]] = field(default_factory=dict)
    where: str | None = None
    other_where: str | None = None
    required: bool = True


# The suites' row-count minimum is a GX expectation parameter, resolved per run (expected_min_rows).
MIN_ROWS_PARAMETER = "min_rows"


@dataclass(frozen=True)
class TableSpec:
    """One GX suite: a published table, its keys and the rules its rows obey."""

    table: str  # schema.table
    keys: tuple[str, ...]
    description: str
    not_null: tuple[str, ...] = ()
    in_set: dict[str, tuple[object, ...]] = field(default_factory=dict)
    ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    rates: tuple[Rate, ...] = ()
    at_most: tuple[tuple[str, str], ...] = ()  # (a, b): a ≤ b on every row
    equations: tuple[Equation, ...] = ()
    flags: tuple[Flag, ...] = ()
    series: tuple[Series, ...] = ()
    reconciliations: tuple[Reconciliation, ...] = ()
    # A function of frames.py that adds check columns the generic rules cannot compute.
    derive: str | None = None
    min_rows: int = 1
    # True where an empty table can be the spec's answer to loaded data (every row lies after the
    # cut-off, no training has ended yet): the row count is then reported as a warning, not a refusal.
    may_be_empty: bool = False
    # The landing datasets (source/dataset) the table is built from, as dbt's lineage says
    # (tests/gate/test_partial_deliveries.py checks it): `min_rows` holds once each has loaded rows, so
    # a warehouse that receives only some exports (the budget and staff ones, say) still publishes them.
    datasets: tuple[str, ...] = ()
    # Marts later issues add: their suite waits in git and runs once the mart is built.
    required: bool = True

    def expected_min_rows(self, delivered: set[str]) -> int:
        """`min_rows` once every dataset the table reads has loaded rows (`delivered`), else 0."""
        return self.min_rows if set(self.datasets) <= delivered else 0

    @property
    def suite(self) -> str:
        return self.table.replace(".", "__")

    @property
    def schema(self) -> str:
        return self.table.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.table.split(".", 1)[1]


ABSENCE_PARTS = ("sickness", "work_accident", "private_accident", "other")
ABSENCE_LENGTHS = ("short", "medium", "long")
ABSENCE_SUMS = ("planned_workdays", "absence_workdays") + tuple(
    f"absence_workdays_{part}" for part in ABSENCE_PARTS + ABSENCE_LENGTHS
)
BUDGET_AMOUNTS = ("credit_initial_eur", "credit_adjusted_eur", "executed_cumulative_eur")
# Rates and projections are checked against their recomputation (`rates`), not against a plausible
# range: an article may be executed many times over its credit, and the data must still be published.
BUDGET_RANGES = {"fiscal_year": (2000, 2100), **{column: EUR for column in BUDGET_AMOUNTS}}


# Σ over absence spells (indicators.md): a day inside two overlapping spells counts in both, so a month
# can pass 100 %. The gate reports such a rate as a warning and publishes the spec's figure.
ABSENCE_RATE = Rate("absenteeism_rate_pct", "absence_workdays", "planned_workdays", bound_blocking=False)

ABSENCE_EQUATIONS = (
    Equation("absence_workdays", " + ".join(f"absence_workdays_{p}" for p in ABSENCE_PARTS)),
    Equation("absence_workdays", " + ".join(f"absence_workdays_{p}" for p in ABSENCE_LENGTHS)),
)


BUDGET_EXECUTION = TableSpec(
    table="marts.budget_execution",
    datasets=("actiris/budget",),
    keys=("fiscal_year", "month_number", "budget_article", "credit_type"),
    description="Budget execution per article (meetpunt 5.4).",
    not_null=("month", "programme", "article_label", *BUDGET_AMOUNTS, "over_credit"),
    in_set={"credit_type": ("ENG", "LIQ"), "month_number": tuple(range(1, 13))},
    ranges=BUDGET_RANGES,
    rates=(
        Rate("execution_rate_pct", "executed_cumulative_eur", "credit_adjusted_eur", bounded=False),
        Rate("projected_year_end_rate_pct", "projected_year_end_eur", "credit_adjusted_eur", bounded=False),
    ),
    equations=(Equation("month_number", "month.dt.month"), Equation("fiscal_year", "month.dt.year")),
    flags=(Flag("over_credit", "executed_cumulative_eur > credit_adjusted_eur"),),
    series=(
        Series("month_number", "integer", ("fiscal_year", "budget_article", "credit_type"), blocking=False),
    ),
    reconciliations=(
        Reconciliation(
            "programme_row",
            other="marts.budget_execution_programme",
            on={c: c for c in ("fiscal_year", "month_number", "programme", "credit_type")},
        ),
    ),
)

BUDGET_EXECUTION_PROGRAMME = TableSpec(
    table="marts.budget_execution_programme",
    datasets=("actiris/budget",),
    keys=("fiscal_year", "month_number", "programme", "credit_type"),
    description="Budget execution summed by programme: the sums of the article rows.",
    not_null=("month", "budget_articles", "articles_without_projection", *BUDGET_AMOUNTS, "over_credit"),
    in_set={"credit_type": ("ENG", "LIQ"), "month_number": tuple(range(1, 13))},
    ranges={**BUDGET_RANGES, "budget_articles": (1, 10_000), "articles_without_projection": (0, 10_000)},
    rates=(
        Rate("execution_rate_pct", "executed_cumulative_eur", "credit_adjusted_eur", bounded=False),
        Rate("projected_year_end_rate_pct", "projected_year_end_eur", "credit_adjusted_eur", bounded=False),
    ),
    at_most=(("articles_without_projection", "budget_articles"),),
    equations=(Equation("month_number", "month.dt.month"),),
    flags=(Flag("over_credit", "executed_cumulative_eur > credit_adjusted_eur"),),
    series=(Series("month_number", "integer", ("fiscal_year", "programme", "credit_type"), blocking=False),),
    reconciliations=(
        Reconciliation(
            "article_sums",
            other="marts.budget_execution",
            on={c: c for c in ("fiscal_year", "month_number", "programme", "credit_type")},
            measures={
                "budget_articles": ("count", "budget_article"),
                **{column: ("sum", column) for column in BUDGET_AMOUNTS},
                "projected_year_end_eur": ("sum", "projected_year_end_eur"),
            },
        ),
    ),
)

ABSENTEEISM_MONTHLY = TableSpec(
    table="marts.absenteeism_monthly",
    datasets=("actiris/rh_absences", "actiris/rh_personnel"),
    may_be_empty=True,
    keys=("month", "directorate"),
    description="Absenteeism per month and directorate (meetpunt 4.1).",
    not_null=("year", "fte", *ABSENCE_SUMS),
    ranges={**{column: (0.0, None) for column in ABSENCE_SUMS}, "fte": (0.0, 5_000.0)},
    rates=(ABSENCE_RATE,),
    equations=(*ABSENCE_EQUATIONS, Equation("year", "month.dt.year")),
    series=(Series("month", "month", ("directorate",), blocking=False),),
    reconciliations=(
        Reconciliation(
            "yearly_row", other="marts.absenteeism_yearly", on={"year": "year", "directorate": "directorate"}
        ),
        Reconciliation(
            "yearly_all_row",
            other="marts.absenteeism_yearly",
            on={"year": "year"},
            other_where="directorate == 'ALL'",
        ),
        Reconciliation(
            "deployment_row",
            other="marts.staff_deployment",
            on={"month": "month", "directorate": "directorate"},
        ),
    ),
)

ABSENTEEISM_YEARLY = TableSpec(
    table="marts.absenteeism_yearly",
    datasets=("actiris/rh_absences", "actiris/rh_personnel"),
    may_be_empty=True,
    keys=("year", "directorate"),
    description="Absenteeism per year and directorate, plus ALL: the sums of the monthly rows.",
    not_null=(*ABSENCE_SUMS, "months_with_staff", "target_reading"),
    in_set={"target_reading": ("relative", "points")},
    ranges={
        **{column: (0.0, None) for column in ABSENCE_SUMS},
        "fte": (0.0, 5_000.0),
        "months_with_staff": (1, 12),
        "year": (2000, 2100),
        # no upper bound (overlapping spells, above), and the `points` reading's target is the previous
        # rate minus 2.0, below 0 after a year under 2 %
        "previous_rate_pct": (0.0, None),
    },
    rates=(ABSENCE_RATE,),
    equations=(*ABSENCE_EQUATIONS, Equation("change_pp", "absenteeism_rate_pct - previous_rate_pct")),
    flags=(Flag("meets_target", "absenteeism_rate_pct <= target_rate_pct"),),
    series=(Series("year", "integer", ("directorate",), blocking=False),),
    reconciliations=(
        Reconciliation(
            "monthly_sums",
            other="marts.absenteeism_monthly",
            on={"year": "year", "directorate": "directorate"},
            measures={column: ("sum", column) for column in ABSENCE_SUMS}
            | {"months_with_staff": ("count", "month")},
            where="directorate != 'ALL'",
        ),
        Reconciliation(
            "monthly_sums_all",
            other="marts.absenteeism_monthly",
            on={"year": "year"},
            measures={column: ("sum", column) for column in ABSENCE_SUMS},
            where="directorate == 'ALL'",
        ),
    ),
)

STAFF_DEPLOYMENT = TableSpec(
    table="marts.staff_deployment",
    datasets=("actiris/rh_personnel",),
    keys=("month", "directorate"),
    description="Staff in direct guidance per month and directorate, plus ALL (meetpunt 4.3).",
    not_null=("year", "fte_total", "fte_direct_guidance", "target_pct"),
    ranges={"fte_total": (0.0, 5_000.0), "fte_direct_guidance": (0.0, 5_000.0), "target_pct": (0.0, 100.0)},
    rates=(Rate("direct_guidance_share_pct", "fte_direct_guidance", "fte_total"),),
    equations=(Equation("year", "month.dt.year"),),
    flags=(Flag("meets_target", "direct_guidance_share_pct >= target_pct"),),
    series=(Series("month", "month", ("directorate",), blocking=False),),
    reconciliations=(
        Reconciliation(
            "directorate_sums",
            other="marts.staff_deployment",
            on={"month": "month"},
            measures={
                "fte_total": ("sum", "fte_total"),
                "fte_direct_guidance": ("sum", "fte_direct_guidance"),
            },
            where="directorate == 'ALL'",
            other_where="directorate != 'ALL'",
        ),
        Reconciliation(
            "all_row",
            other="marts.staff_deployment",
            on={"month": "month"},
            where="directorate != 'ALL'",
            other_where="directorate == 'ALL'",
        ),
        # Both sum the `etp` of the month's staff rows; absenteeism stops at the cut-off.
        Reconciliation(
            "absenteeism_fte",
            other="marts.absenteeism_monthly",
            on={"month": "month", "directorate": "directorate"},
            measures={"fte_total": ("sum", "fte")},
            where="directorate != 'ALL'",
            required=False,
        ),
    ),
)

EMPLOYMENT_RATE_TRAJECTORY = TableSpec(
    table="marts.employment_rate_trajectory",
    datasets=("actiris/demandeurs", "actiris/occupations"),
    keys=("year", "region_code"),
    description="Employment rate 20-64 against the 2030 target (meetpunt 1.6).",
    not_null=("region_name",),
    in_set={"region_code": ("BE", "BE2", "BE3", "BE10")},
    ranges={
        "year": (2000, 2100),
        "employment_rate_pct": (30.0, 90.0),
        "target_rate_pct": (30.0, 90.0),
        "projected_rate_pct": (0.0, 100.0),
        "gap_pp": (-50.0, 50.0),
        "jobseekers_dei_avg": (0.0, 500_000.0),
        "outflows_to_work": (0, 500_000),
        "outflows_sustained": (0, 500_000),
    },
    at_most=(("outflows_sustained", "outflows_to_work"),),
    equations=(Equation("gap_pp", "employment_rate_pct - target_rate_pct"),),
    series=(Series("year", "integer", ("region_code",)),),
)

# --- the job seekers' side and the indicators shared with BF and VDAB (issue 7) --------------------

_COHORT = ("cohort_year", "provider", "training_type", "training_domain")
# The one vocabulary of both providers' training types: the project's mapping seed.
_TRAINING_TYPES = tuple(sorted({row["training_type"] for row in read_seed("training_type_map")}))
_COUNT = (0, 10_000_000)

GUARANTEE_CLOCKS = TableSpec(
    table="marts.guarantee_clocks",
    may_be_empty=True,
    datasets=(
        "actiris/actions",
        "actiris/demandeurs",
        "actiris/occupations",
        "bf/stagiaires",
        "vdab/opleidingen",
    ),
    keys=(
        "registration_month",
        "age_band",
        "sex",
        "education_level",
        "nationality_group",
        "commune_ins",
    ),
    description="Clocks that start at registration (meetpunten 2.1, 2.2; Youth Guarantee).",
    not_null=(
        "registrations",
        "first_interview_on_time",
        "first_interview_due",
        "offer_by_month_4",
        "offer_due",
        "youth_solution_6m",
        "youth_due",
        "solution_12m",
        "solution_due_12m",
    ),
    in_set={
        "sex": ("M", "F", "X"),
        "age_band": ("<25", "25-29", "30-44", "45+"),
        "education_level": ("P", "S2", "S3", "SUP", "ETR"),
        "nationality_group": ("BE", "EU", "NON_EU"),
    },
    ranges={"registrations": (1, 10_000_000)},
    rates=(
        Rate("first_interview_on_time_pct", "first_interview_on_time", "first_interview_due"),
        Rate("offer_by_month_4_pct", "offer_by_month_4", "offer_due"),
        Rate("youth_solution_6m_pct", "youth_solution_6m", "youth_due"),
        Rate("solution_12m_pct", "solution_12m", "solution_due_12m"),
    ),
    at_most=(
        ("first_interview_due", "registrations"),
        ("offer_due", "registrations"),
        ("youth_due", "registrations"),
        ("solution_due_12m", "registrations"),
        # a longer window closes later: its population is part of the shorter window's
        ("solution_due_12m", "offer_due"),
        ("youth_due", "offer_due"),
        ("offer_due", "first_interview_due"),
    ),
)

SHARED_STRATEGIC_INDICATORS = TableSpec(
    table="marts.shared_strategic_indicators",
    datasets=("actiris/occupations", "bf/stagiaires", "vdab/opleidingen"),
    may_be_empty=True,
    keys=_COHORT,
    description="The indicators shared with Bruxelles Formation and VDAB Brussel (1-4, by training cohort).",
    not_null=("leavers", "vocational_leavers"),
    in_set={"provider": ("BF", "VDAB"), "training_type": _TRAINING_TYPES},
    ranges={"cohort_year": (2000, 2100), "leavers": (1, 10_000_000)},
    rates=(
        Rate("positive_outflow_pct", "positive_outflow", "leavers"),
        Rate("work_any_pct", "work_any", "vocational_leavers"),
        Rate("work_1m_pct", "work_1m", "vocational_leavers"),
        Rate("work_sustained_pct", "work_sustained", "work_1m"),
        Rate("first_job_0_3m_pct", "first_job_0_3m", "work_1m"),
        Rate("first_job_3_6m_pct", "first_job_3_6m", "work_1m"),
        Rate("first_job_6_12m_pct", "first_job_6_12m", "work_1m"),
    ),
    at_most=(("vocational_leavers", "leavers"), ("work_1m", "work_any")),
    # The first job of at least a month starts in exactly one of the three periods of the window.
    equations=(Equation("work_1m", "first_job_0_3m + first_job_3_6m + first_job_6_12m"),),
)

TRAINING_REFERRALS = TableSpec(
    table="marts.training_referrals",
    datasets=("bf/invitations_seances",),
    may_be_empty=True,
    keys=("year", "channel", "training_domain"),
    description="Indicator 5: invitations to Bruxelles Formation's information sessions.",
    not_null=("invitations", "attended"),
    ranges={"year": (2000, 2100), "invitations": (1, 10_000_000), "attended": _COUNT},
    at_most=(("attended", "invitations"),),
)

TRAINING_APPLICANTS = TableSpec(
    table="marts.training_applicants",
    datasets=("bf/demandes_formation",),
    may_be_empty=True,
    keys=("year", "organisme", "prescripteur"),
    description="Indicator 6: distinct persons who applied for a training.",
    not_null=("applicants",),
    ranges={"year": (2000, 2100), "applicants": (1, 10_000_000)},
)

AVAILABILITY_CONTROL = TableSpec(
    table="marts.availability_control",
    datasets=("actiris/decisions_disponibilite",),
    may_be_empty=True,
    keys=("month", "procedure_type"),
    description="Availability-control decisions within the legal deadline (meetpunt 1.7).",
    not_null=("procedures", "decided", "decided_on_time", "pending_late", "appeals"),
    ranges={
        "procedures": (1, 10_000_000),
        "decided": _COUNT,
        "decided_on_time": _COUNT,
        "pending_late": _COUNT,
        "appeals": _COUNT,
        "on_time_pct": (0.0, 100.0),
    },
    at_most=(
        ("decided", "procedures"),
        ("decided_on_time", "decided"),
        ("pending_late", "procedures"),
    ),
    equations=(Equation("on_time_pct", "decided_on_time / (decided + pending_late) * 100"),),
)

VACANCIES_MATCHING = TableSpec(
    table="marts.vacancies_matching",
    datasets=("actiris/demandeurs", "actiris/mises_en_relation", "actiris/offres_emploi"),
    may_be_empty=True,
    keys=("month", "nace_section", "channel", "work_region"),
    description="Vacancies and matching (meetpunten 1.5, 2.3, 2.4, 3.3).",
    not_null=("vacancies", "positions", "filled_by_actiris", "matches", "matches_ai", "hires"),
    in_set={"work_region": ("BRU", "VLA", "WAL", "ETR")},
    ranges={
        "vacancies": _COUNT,
        "positions": _COUNT,
        "matches": _COUNT,
        "hires": _COUNT,
        "matched_jobseekers": _COUNT,
        "days_registration_to_match_sum": (0, None),
    },
    rates=(Rate("hire_conversion_pct", "hires", "matches"),),
    at_most=(
        ("filled_by_actiris", "vacancies"),
        ("matches_ai", "matches"),
        ("hires", "matches"),
        ("vacancies", "positions"),
        ("matched_jobseekers", "matches"),
    ),
)

SOLUTIONS_VOLUME = TableSpec(
    table="marts.solutions_volume",
    datasets=("actiris/demandeurs", "actiris/occupations", "bf/stagiaires", "vdab/opleidingen"),
    keys=("year",),
    description="Job seekers with a solution in the year.",
    not_null=(
        "persons_job",
        "persons_training",
        "persons_internship",
        "persons_any",
        "new_joiners_job",
        "new_joiners_training",
        "new_joiners_internship",
        "new_joiners_any",
    ),
    ranges={"year": (2000, 2100)},
    at_most=(
        ("persons_job", "persons_any"),
        ("persons_training", "persons_any"),
        ("persons_internship", "persons_any"),
        ("new_joiners_any", "persons_any"),
        ("new_joiners_job", "new_joiners_any"),
        ("new_joiners_training", "new_joiners_any"),
        ("new_joiners_internship", "new_joiners_any"),
        ("new_joiners_job", "persons_job"),
        ("new_joiners_training", "persons_training"),
        ("new_joiners_internship", "persons_internship"),
    ),
    series=(Series("year", "integer"),),
)

# --- the audit tables ---------------------------------------------------------------------------

DELIVERY_STATUSES = ("LOADED", "REJECTED", "DUPLICATE", "SUPERSEDED")

AUDIT_DELIVERIES = TableSpec(
    table="audit.deliveries",
    keys=("batch_id",),
    description="Every delivery seen: every row of a loaded delivery is in raw.* or in audit.quarantine.",
    not_null=("source", "dataset", "file_name", "status", "rows_loaded", "rows_quarantined", "loaded_at"),
    in_set={"status": DELIVERY_STATUSES, "check__reason_given": (True,)},
    # The check columns come from frames.delivery_accounting: for a loaded (or superseded) delivery,
    # declared rows not loaded nor quarantined, loaded rows missing from raw.*, quarantined rows missing
    # from audit.quarantine; for a refused one, whether it says why.
    ranges={
        "rows_loaded": (0, None),
        "rows_quarantined": (0, None),
        "rows_declared": (0, None),
        "check__rows_unaccounted": (0, 0),
        "check__rows_loaded_not_in_raw": (0, 0),
        "check__rows_quarantined_not_listed": (0, 0),
    },
    derive="delivery_accounting",
    min_rows=0,
)

AUDIT_QUARANTINE = TableSpec(
    table="audit.quarantine",
    keys=("batch_id", "line_number", "column_name", "rule"),
    description="Every quarantined row belongs to a loaded delivery and says why.",
    not_null=("reason", "source", "dataset"),
    ranges={"line_number": (1, None)},
    reconciliations=(
        Reconciliation(
            "loaded_delivery",
            other="audit.deliveries",
            on={"batch_id": "batch_id"},
            other_where="status in ('LOADED', 'SUPERSEDED') and rows_quarantined > 0",
        ),
    ),
    min_rows=0,
)

AUDIT_PUBLICATIONS = TableSpec(
    table="audit.publications",
    keys=("publication_id",),
    description="Every earlier publication: one row each, with its validation run and batches.",
    not_null=("published_at", "code_version", "validation_run_id"),
    series=(Series("publication_id", "integer"),),  # consecutive integers: 1, 2, 3…
    min_rows=0,
    required=False,
)

MART_SPECS: tuple[TableSpec, ...] = (
    BUDGET_EXECUTION,
    BUDGET_EXECUTION_PROGRAMME,
    ABSENTEEISM_MONTHLY,
    ABSENTEEISM_YEARLY,
    STAFF_DEPLOYMENT,
    EMPLOYMENT_RATE_TRAJECTORY,
    GUARANTEE_CLOCKS,
    SHARED_STRATEGIC_INDICATORS,
    AVAILABILITY_CONTROL,
    VACANCIES_MATCHING,
    SOLUTIONS_VOLUME,
    TRAINING_REFERRALS,
    TRAINING_APPLICANTS,
)
AUDIT_SPECS: tuple[TableSpec, ...] = (AUDIT_DELIVERIES, AUDIT_QUARANTINE, AUDIT_PUBLICATIONS)
SPECS: tuple[TableSpec, ...] = MART_SPECS + AUDIT_SPECS
SPECS_BY_TABLE: dict[str, TableSpec] = {spec.table: spec for spec in SPECS}
