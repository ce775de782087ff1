"""The one mechanism that turns a `TableSpec` into GX expectations and the check columns they test.

`compile_spec` returns, for a spec, the expectations of its suite and the derived check columns
(`check__…`) that `frames.py` adds to the table's dataframe before GX validates it. Both sides come
from the same list, so a suite in git and the frame it validates cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import great_expectations as gx
import numpy as np
import pandas as pd
from great_expectations.expectations import Expectation
from pandas.core.groupby import DataFrameGroupBy, SeriesGroupBy

from orchestration.validation.specs import (
    MIN_ROWS_PARAMETER,
    TOLERANCE,
    Equation,
    Flag,
    Rate,
    Reconciliation,
    Series,
    TableSpec,
)

# A deviation column holds |published − recomputed|; this marks "one side NULL, the other not".
NULL_MISMATCH = -1.0

Tables = Callable[[str], pd.DataFrame]  # schema.table -> the dataframe read from the build file


@dataclass(frozen=True)
class Derived:
    """A check column: its name and how to compute it from the table's frame (and other tables)."""

    column: str
    compute: Callable[[pd.DataFrame, Tables], pd.Series]


@dataclass(frozen=True)
class CompiledSpec:
    spec: TableSpec
    expectations: tuple[Expectation, ...]
    derived: tuple[Derived, ...]


def _referenced(expression: str, frame: pd.DataFrame) -> list[str]:
    return [name for name in dict.fromkeys(re.findall(r"[A-Za-z_]\w*", expression)) if name in frame.columns]


def evaluate(expression: str, frame: pd.DataFrame) -> pd.Series:
    """A pandas expression over the frame's columns, NULL where an input is NULL (SQL semantics)."""
    value = frame.eval(expression, engine="python")
    if not isinstance(value, pd.Series):
        value = pd.Series(value, index=frame.index)
    if pd.api.types.is_numeric_dtype(value) and not pd.api.types.is_bool_dtype(value):
        value = value.astype("float64").replace([np.inf, -np.inf], np.nan)
    inputs = _referenced(expression, frame)
    if inputs:
        value = value.astype("object").where(frame[inputs].notna().all(axis=1), None)
    return value


def deviation(published: pd.Series, expected: pd.Series) -> pd.Series:
    """|published − expected|; 0 when both are NULL, NULL_MISMATCH when only one is."""
    actual = pd.to_numeric(published, errors="coerce").astype("float64")
    wanted = pd.to_numeric(expected, errors="coerce").astype("float64")
    result = (actual - wanted).abs()
    result[actual.isna() & wanted.isna()] = 0.0
    result[actual.isna() != wanted.isna()] = NULL_MISMATCH
    return result


def _same(published: pd.Series, expected: pd.Series) -> pd.Series:
    both_null = published.isna() & expected.isna()
    equal = published.astype("object").where(published.notna(), None) == expected.where(
        expected.notna(), None
    )
    return (both_null | (published.notna() & expected.notna() & equal)).astype("bool")


def _between(
    column: str, low: float | None, high: float | None, description: str, severity: str = "critical"
) -> Expectation:
    return gx.expectations.ExpectColumnValuesToBeBetween(
        column=column, min_value=low, max_value=high, description=description, severity=severity
    )


def _within_tolerance(column: str, description: str) -> Expectation:
    return _between(column, 0.0, TOLERANCE, f"{description} (±{TOLERANCE}; {NULL_MISMATCH:g}: one side NULL)")


def _true(column: str, description: str) -> Expectation:
    return gx.expectations.ExpectColumnValuesToBeInSet(
        column=column, value_set=[True], description=description
    )


def _at_most(low: str, high: str, description: str, severity: str = "critical") -> Expectation:
    return gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=high,
        column_B=low,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        description=description,
        severity=severity,
    )


class _Compiler:
    def __init__(self, spec: TableSpec) -> None:
        self.spec = spec
        self.expectations: list[Expectation] = []
        self.derived: list[Derived] = []
        self._names: set[str] = set()

    def column_name(self, base: str) -> str:
        name, n = base, 1
        while name in self._names:
            n += 1
            name = f"{base}_{n}"
        self._names.add(name)
        return name

    def derive(self, base: str, compute: Callable[[pd.DataFrame, Tables], pd.Series]) -> str:
        column = self.column_name(base)
        self.derived.append(Derived(column, compute))
        return column

    def table_rules(self) -> None:
        spec = self.spec
        if spec.min_rows:
            datasets = ", ".join(spec.datasets)
            once = f" once each of its datasets has loaded rows ({datasets})" if datasets else ""
            self.expectations.append(
                # the runner passes min_rows: spec.min_rows, or 0 while a dataset has not delivered
                gx.expectations.ExpectTableRowCountToBeBetween(
                    min_value={"$PARAMETER": MIN_ROWS_PARAMETER},
                    description=f"{spec.table} has at least {spec.min_rows} row(s){once}",
                    severity="warning" if spec.may_be_empty else "critical",
                )
            )
        for column in dict.fromkeys((*spec.keys, *spec.not_null)):
            role = "key" if column in spec.keys else "column"
            self.expectations.append(
                gx.expectations.ExpectColumnValuesToNotBeNull(
                    column=column, description=f"{role} {column} complete"
                )
            )
        keys = ", ".join(spec.keys)
        if len(spec.keys) == 1:
            self.expectations.append(
                gx.expectations.ExpectColumnValuesToBeUnique(
                    column=spec.keys[0], description=f"key ({keys}) unique"
                )
            )
        else:
            self.expectations.append(
                gx.expectations.ExpectCompoundColumnsToBeUnique(
                    column_list=list(spec.keys), description=f"key ({keys}) unique"
                )
            )
        for column, values in spec.in_set.items():
            self.expectations.append(
                gx.expectations.ExpectColumnValuesToBeInSet(
                    column=column, value_set=list(values), description=f"{column} within its vocabulary"
                )
            )
        for column, (low, high) in spec.ranges.items():
            self.expectations.append(_between(column, low, high, f"{column} within [{low}, {high}]"))

    def rate(self, rate: Rate) -> None:
        formula = f"{rate.numerator} / {rate.denominator} * 100"
        column = self.derive(
            f"check__{rate.rate}__deviation",
            lambda frame, _t: deviation(frame[rate.rate], evaluate(formula, frame)),
        )
        self.expectations.append(
            _within_tolerance(column, f"{rate.rate} = {formula}, NULL when {rate.denominator} is 0")
        )
        for count in (rate.numerator, rate.denominator):
            self.expectations.append(_between(count, 0, None, f"{count} is not negative"))
        if rate.bounded:
            severity = "critical" if rate.bound_blocking else "warning"
            self.expectations.append(
                _between(rate.rate, 0, 100, f"{rate.rate} is a percentage (0-100)", severity=severity)
            )
            self.expectations.append(
                _at_most(rate.numerator, rate.denominator, f"{rate.numerator} ≤ {rate.denominator}", severity)
            )

    def equation(self, equation: Equation) -> None:
        column = self.derive(
            f"check__{equation.column}__deviation",
            lambda frame, _t: deviation(frame[equation.column], evaluate(equation.expression, frame)),
        )
        self.expectations.append(_within_tolerance(column, f"{equation.column} = {equation.expression}"))

    def flag(self, flag: Flag) -> None:
        column = self.derive(
            f"check__{flag.column}__consistent",
            lambda frame, _t: _same(frame[flag.column], evaluate(flag.expression, frame)),
        )
        self.expectations.append(
            _true(column, f"{flag.column} = ({flag.expression}), NULL when an input is NULL")
        )

    def series(self, series: Series) -> None:
        def step(frame: pd.DataFrame, _t: Tables) -> pd.Series:
            values = frame[series.column]
            if series.unit == "month":
                values = values.dt.year * 12 + values.dt.month
            ordered = frame.assign(_v=values).sort_values([*series.partition, "_v"])
            steps = (
                ordered.groupby(list(series.partition), dropna=False)["_v"].diff()
                if series.partition
                else ordered["_v"].diff()
            )
            return steps.reindex(frame.index)

        within = f" within each ({', '.join(series.partition)})" if series.partition else ""
        column = self.derive(f"check__{series.column}__step", step)
        self.expectations.append(
            _between(
                column,
                1,
                1,
                f"no {series.unit} missing or repeated in the {series.column} series{within}",
                severity="critical" if series.blocking else "warning",
            )
        )
        if series.unit == "month":
            first = self.derive(
                f"check__{series.column}__first_of_month",
                lambda frame, _t: frame[series.column].dt.day.eq(1).where(frame[series.column].notna(), None),
            )
            self.expectations.append(_true(first, f"{series.column} is the first day of a month"))

    def reconciliation(self, recon: Reconciliation) -> None:
        def joined(frame: pd.DataFrame, tables: Tables) -> pd.DataFrame:
            other = tables(recon.other)
            if recon.other_where:
                other = other[other.eval(recon.other_where, engine="python").astype(bool)]
            groups = list(recon.on.values())
            grouped = (
                _aggregate(other.groupby(groups, dropna=False), recon.measures)
                if recon.measures
                else other[groups].drop_duplicates()
            )
            grouped = grouped.rename(columns={v: k for k, v in recon.on.items()})
            mask = frame.eval(recon.where, engine="python").astype(bool) if recon.where else _all(frame)
            selected = frame.loc[mask, list(recon.on)].reset_index(names="_row")
            merged = selected.merge(grouped, how="left", on=list(recon.on), indicator=True).set_index("_row")
            return merged.reindex(frame.index).assign(_selected=mask)

        where = f" ({recon.where})" if recon.where else ""
        other_where = f" where {recon.other_where}" if recon.other_where else ""
        link = f"{recon.other}{other_where} on ({', '.join(recon.on.values())})"
        if recon.required:
            found = self.derive(
                f"check__{recon.name}__found",
                lambda frame, tables: _found(joined(frame, tables)),
            )
            self.expectations.append(_true(found, f"every row{where} has its group in {link}"))
        for measure, (how, source) in recon.measures.items():
            column = self.derive(
                f"check__{recon.name}__{measure}__deviation",
                lambda frame, tables, m=measure: _measure_deviation(frame, joined(frame, tables), m),
            )
            self.expectations.append(
                _within_tolerance(column, f"{measure}{where} = {how}({source}) of {link}")
            )


# Aggregates as SQL computes them: a sum over only NULLs is NULL (pandas' own sum says 0), as where no
# article of a programme has a projection.
_SQL_AGGREGATES: dict[str, Callable[[SeriesGroupBy], pd.Series]] = {
    "sum": lambda values: values.sum(min_count=1),
    "count": lambda values: values.count(),
}


def _aggregate(grouped: DataFrameGroupBy, measures: dict[str, tuple[str, str]]) -> pd.DataFrame:
    columns = {f"_agg_{c}": _SQL_AGGREGATES[how](grouped[src]) for c, (how, src) in measures.items()}
    return pd.DataFrame(columns).reset_index()


def _all(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=frame.index)


def _found(merged: pd.DataFrame) -> pd.Series:
    found = merged["_merge"].astype("object").eq("both")
    return found.astype("object").where(merged["_selected"], None)


def _measure_deviation(frame: pd.DataFrame, merged: pd.DataFrame, measure: str) -> pd.Series:
    matched = merged["_merge"].astype("object").eq("both")
    result = deviation(frame[measure], merged[f"_agg_{measure}"])
    return result.where(matched, np.nan)


def compile_spec(spec: TableSpec) -> CompiledSpec:
    compiler = _Compiler(spec)
    compiler.table_rules()
    for rate in spec.rates:
        compiler.rate(rate)
    for low, high in spec.at_most:
        compiler.expectations.append(_at_most(low, high, f"{low} ≤ {high}"))
    for equation in spec.equations:
        compiler.equation(equation)
    for flag in spec.flags:
        compiler.flag(flag)
    for series in spec.series:
        compiler.series(series)
    for recon in spec.reconciliations:
        compiler.reconciliation(recon)
    return CompiledSpec(spec, tuple(compiler.expectations), tuple(compiler.derived))


def add_check_columns(compiled: CompiledSpec, frame: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """The table's frame with every check column of its spec (computed on a copy)."""
    frame = frame.copy()
    for derived in compiled.derived:
        frame[derived.column] = compiled_value(derived, frame, tables)
    return frame


def compiled_value(derived: Derived, frame: pd.DataFrame, tables: Tables) -> pd.Series:
    if frame.empty:
        return pd.Series([], dtype="float64", index=frame.index)
    return derived.compute(frame, tables)
