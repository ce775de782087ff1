"""Every row rule of the landing contract (section 5, "a row is quarantined") as one SQL projection.

`checked_select` turns the all-VARCHAR staging table into typed columns plus one flag per rule, in one
vectorised pass. Rules come from the Column descriptions of `orchestration.contract`;
nothing here is specific to a source or dataset.

Rule codes (stable, stored in audit.quarantine.rule):
required, type_date, type_timestamp, type_decimal, type_integer, type_boolean, code_list, commune,
niss_checksum, enterprise_checksum, nace, non_negative, at_least_one, fte, period_year, period_month,
period, end_before_start, future_date, niss_in_text, duplicate_key.

The "NISS in text" rule, which the contract implies (section 3: no raw national number in any table):
a text column other than the identifiers, whose value is not held to a code list or check, that holds a
national register number (11 digits, or the printed `85.07.30-033.28`, passing its checksum with a
plausible birth month and day) would carry it into the build file; such a row is quarantined. Staff
numbers have no checksum or shape to find them by in free text.

The "future date" rule, which the contract leaves to us: a date or timestamp later than the delivery's
`produced_at` (dates compared with produced_at's calendar day in Brussels) cannot be a fact the export
reports. End dates are exempt: each is empty while its spell runs, and one given anyway is kept as
delivered (contract section 4), such as an absence certified until next week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import duckdb

from orchestration.contract.datasets import Check, CodeList, Column, Dataset, Kind
from orchestration.contract.formats import SOURCE_FORMATS, SOURCE_TIMEZONE, SourceFormat
from orchestration.contract.reference import code_list, nace_divisions
from orchestration.ingest.pseudonymise import PYTHON_CHECKS, normalised_sql
from orchestration.ingest.sql import ident, in_list, literal

# strptime accepts `1/03/2024`, ` 01/03/2024` or `1:2:3`: a value is first held to its format's digits.
_FORMAT_DIGITS = {
    "%d": "[0-9]{2}",
    "%m": "[0-9]{2}",
    "%Y": "[0-9]{4}",
    "%H": "[0-9]{2}",
    "%M": "[0-9]{2}",
    "%S": "[0-9]{2}",
}
_ISO_OFFSET = "([.][0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})"
# an integer as the contract writes it (and as DuckDB's INTEGER holds it)
_INTEGER = "-?[0-9]{1,9}"


def format_pattern(pattern: str) -> str:
    """The regular expression of a strptime pattern's exact text (`%d/%m/%Y`: `[0-9]{2}/[0-9]{2}/...`);
    the contract's formats hold no other character with a meaning in a regular expression."""
    for code, digits in _FORMAT_DIGITS.items():
        pattern = pattern.replace(code, digits)
    return pattern


_TYPE_RULES = {
    Kind.DATE: "type_date",
    Kind.TIMESTAMP: "type_timestamp",
    Kind.DECIMAL: "type_decimal",
    Kind.INTEGER: "type_integer",
    Kind.BOOLEAN: "type_boolean",
}


@dataclass(frozen=True)
class Violation:
    column_name: str
    rule: str
    message: str
    condition: str  # SQL, true when the row breaks the rule


def lookup_table(column: Column) -> str:
    return f"lookup_{column.name}"


def needs_lookup(column: Column) -> bool:
    return column.is_personal_identifier or (column.check in PYTHON_CHECKS)


def _human_format(pattern: str) -> str:
    for code, text in (("%d", "DD"), ("%m", "MM"), ("%Y", "YYYY"), ("%H", "hh"), ("%M", "mm")):
        pattern = pattern.replace(code, text)
    return pattern.replace("%S", "ss").replace("%z", "+hh:mm")


def raw_ref(column: Column) -> str:
    """The delivered text in the outer query (empty fields are already NULL)."""
    return f"t.{ident('raw__' + column.name)}"


def _valid(column: Column) -> str:
    return f"t.{ident('valid__' + column.name)}"


def typed_expression(column: Column, fmt: SourceFormat) -> str:
    """The column's typed value, NULL when empty or unparseable (a violation says which)."""
    v = f"s.{ident(column.name)}"
    if column.is_personal_identifier:
        return f"{lookup_table(column)}.pseudonym"
    match column.kind:
        case Kind.TEXT:
            return v
        case Kind.DATE:
            exact = f"regexp_full_match({v}, {literal(format_pattern(fmt.date_format))})"
            parsed = f"CAST(try_strptime({v}, {literal(fmt.date_format)}) AS DATE)"
            return f"CASE WHEN {exact} THEN {parsed} END"
        case Kind.TIMESTAMP:
            if fmt.timestamp_has_offset:
                # ISO-8601 with its offset, 'Z' and fractional seconds included (strptime's %z refuses
                # both); without an offset the instant is unknown
                iso = format_pattern(fmt.timestamp_format.removesuffix("%z")) + _ISO_OFFSET
                exact = f"regexp_full_match({v}, {literal(iso)})"
                return f"CASE WHEN {exact} THEN TRY_CAST({v} AS TIMESTAMPTZ) END"
            exact = f"regexp_full_match({v}, {literal(format_pattern(fmt.timestamp_format))})"
            parsed = f"try_strptime({v}, {literal(fmt.timestamp_format)})"
            return f"timezone({literal(SOURCE_TIMEZONE)}, CASE WHEN {exact} THEN {parsed} END)"
        case Kind.DECIMAL:
            sep = fmt.decimal_separator
            escaped = "[.]" if sep == "." else sep
            pattern = f"-?[0-9]{{1,16}}({escaped}[0-9]{{1,2}})?"
            return (
                f"CASE WHEN regexp_full_match({v}, {literal(pattern)}) "
                f"THEN CAST(replace({v}, {literal(sep)}, '.') AS DECIMAL(18, 2)) END"
            )
        case Kind.INTEGER:
            return f"CASE WHEN regexp_full_match({v}, {literal(_INTEGER)}) THEN CAST({v} AS INTEGER) END"
        case Kind.BOOLEAN:
            return (
                f"CASE {v} WHEN {literal(fmt.true_value)} THEN true "
                f"WHEN {literal(fmt.false_value)} THEN false END"
            )
    raise ValueError(column.kind)


def _typed(column: Column) -> str:
    return f"t.{ident(column.name)}"


# An 11-digit run, or the printed form with its dots and dash (landing contract, section 3).
_NISS_SHAPE = r"[0-9]{2}[.]?[0-9]{2}[.]?[0-9]{2}-?[0-9]{3}[.]?[0-9]{2}"
_NISS_WORD = r"[0-9]{11}|[0-9]{2}[.][0-9]{2}[.][0-9]{2}-[0-9]{3}[.][0-9]{2}"
# a word holds letters, digits and the `_`, `.` and `-` of ids and printed numbers; anything else breaks it
_WORD_BREAK = r"[^0-9A-Za-z_.-]+"
_TRIM_PUNCTUATION = r"regexp_replace(w, '^[^0-9A-Za-z]+|[^0-9A-Za-z]+$', '', 'g')"


def screens_for_niss(column: Column) -> bool:
    """Text whose value no code list or check holds (free text, identifiers of records, and a coded
    column where its value is kept as delivered): where a national number typed by hand would pass."""
    held = column.check is not None or (column.codes is not None and column.required_when is None)
    return column.kind is Kind.TEXT and not column.is_personal_identifier and not held


def niss_in_text(text: str) -> str:
    """SQL, true when `text` holds a national register number: a word (see _WORD_BREAK; a full stop or
    dash around it aside) of 11 digits or in the printed form, whose check digits pass either century's
    rule, born on a plausible month (00-12, or 20-32 and 40-52 for bis numbers) and day (00-31):
    `identifiers.niss_is_valid` in SQL, on every row of the delivery. Digits inside a longer word (a
    record id such as `ID_20240300012`) are the source's own numbering, not a number typed by hand.
    The shape test first: most values hold no 11 digits at all."""
    # the words of the text, punctuation around them trimmed, that are a national number and nothing else
    split = f"string_split_regex({text}, {literal(_WORD_BREAK)})"
    words = f"list_transform({split}, lambda w: {_TRIM_PUNCTUATION})"
    candidates = (
        f"list_transform(list_filter({words}, lambda w: regexp_full_match(w, {literal(_NISS_WORD)})), "
        "lambda w: regexp_replace(w, '[^0-9]', '', 'g'))"
    )
    body, check = "CAST(substr(n, 1, 9) AS BIGINT)", "CAST(substr(n, 10, 2) AS INTEGER)"
    month, day = "CAST(substr(n, 3, 2) AS INTEGER)", "CAST(substr(n, 5, 2) AS INTEGER)"
    valid = (
        f"{check} IN (97 - {body} % 97, 97 - (2000000000 + {body}) % 97) "
        f"AND {month} < 60 AND {month} % 20 <= 12 AND {day} <= 31"
    )
    # CASE, not AND: DuckDB evaluates a CASE's branch only on the rows that reach it
    return (
        f"CASE WHEN regexp_matches({text}, {literal(_NISS_SHAPE)}) "
        f"THEN list_bool_or(list_transform({candidates}, lambda n: {valid})) ELSE false END"
    )


def column_violations(
    dataset: Dataset, column: Column, fmt: SourceFormat, period: str, produced_at: datetime
) -> list[Violation]:
    v, typed = raw_ref(column), _typed(column)
    present = f"{v} IS NOT NULL"
    # a field of blanks is empty too (a blank staff number would otherwise be one shared person)
    empty = f"({v} IS NULL OR trim({v}) = '')"
    # Where the rule says when a value is given, its code list holds there only: elsewhere a value is
    # "kept as delivered, not a reason to quarantine" (contract section 4).
    where_given = ""
    found: list[Violation] = []

    def add(rule: str, message: str, condition: str) -> None:
        found.append(Violation(column.name, rule, message, condition))

    if column.required:
        add("required", "a value is required", empty)
    elif column.required_when:
        other_name, values = column.required_when
        other = raw_ref(dataset.column_index[other_name])
        if values is None:
            where_given = f" AND {other} IS NOT NULL"
            add("required", f"a value is required when {other_name} is given", f"{empty}{where_given}")
        else:
            where_given = f" AND {other} IN {in_list(values)}"
            add(
                "required",
                f"a value is required when {other_name} is {', '.join(sorted(values))}",
                f"{empty}{where_given}",
            )
    if column.kind in _TYPE_RULES and not column.is_personal_identifier:
        pattern = {
            Kind.DATE: f"a date in the format {_human_format(fmt.date_format)}",
            Kind.TIMESTAMP: f"a timestamp in the format {_human_format(fmt.timestamp_format)}",
            Kind.DECIMAL: f"a decimal with '{fmt.decimal_separator}' as separator and at most 2 decimals",
            Kind.INTEGER: "an integer",
            Kind.BOOLEAN: f"a boolean ({fmt.true_value} or {fmt.false_value})",
        }[column.kind]
        add(_TYPE_RULES[column.kind], f"not {pattern}", f"{present} AND {typed} IS NULL")
    if isinstance(column.codes, frozenset):
        add(
            "code_list",
            "not one of the contract's codes for this column",
            f"{present} AND {v} NOT IN {in_list(column.codes)}{where_given}",
        )
    elif column.codes is CodeList.BRUSSELS_COMMUNES:
        add(
            "commune",
            "not one of the 19 Brussels communes",
            f"{present} AND {v} NOT IN {_codes(column.codes)}{where_given}",
        )
    elif column.codes is not None:
        add(
            "code_list",
            f"not in the reference list {column.codes.value}",
            f"{present} AND {v} NOT IN {_codes(column.codes)}{where_given}",
        )
    if screens_for_niss(column):
        add(
            "niss_in_text",
            "holds a national register number (not shown), which belongs in the niss column only",
            f"{present} AND {niss_in_text(v)}",
        )
    found.extend(_check_violations(column, period, present))
    if column.not_before:
        start = dataset.column_index[column.not_before]
        add("end_before_start", f"before {start.name}", f"{typed} < {_typed(start)}")
        # no future_date: an end date may lie ahead of the delivery (module docstring)
    elif column.kind is Kind.DATE:
        # the delivery's own day in Brussels, where the sources' dates are written
        day = produced_at.astimezone(ZoneInfo(SOURCE_TIMEZONE)).date().isoformat()
        add(
            "future_date",
            f"after the delivery was produced ({produced_at.isoformat()})",
            f"{typed} > DATE '{day}'",
        )
    elif column.kind is Kind.TIMESTAMP:
        add(
            "future_date",
            f"after the delivery was produced ({produced_at.isoformat()})",
            f"{typed} > CAST({literal(produced_at.isoformat())} AS TIMESTAMPTZ)",
        )
    return found


def code_table(name: CodeList) -> str:
    return f"codes_{name.value}"


def _codes(name: CodeList) -> str:
    # A subquery on a table made once per connection: a literal list of hundreds of codes costs more to
    # plan than a small delivery costs to check.
    return f"(SELECT code FROM {code_table(name)})"


def create_code_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The reference code lists as in-memory tables, for `_codes`."""
    for name in CodeList:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {code_table(name)} (code VARCHAR PRIMARY KEY)")
        con.executemany(f"INSERT INTO {code_table(name)} VALUES (?)", [[c] for c in sorted(code_list(name))])


def _check_violations(column: Column, period: str, present: str) -> list[Violation]:
    typed = _typed(column)
    year, month = period.split("-")
    name = column.name
    match column.check:
        case None:
            return []
        case Check.NISS:
            return [
                Violation(
                    name,
                    "niss_checksum",
                    "fails the national register number checksum",
                    f"{present} AND NOT {_valid(column)}",
                )
            ]
        case Check.ENTERPRISE_NUMBER:
            return [
                Violation(
                    name,
                    "enterprise_checksum",
                    "fails the enterprise number checksum",
                    f"{present} AND NOT {_valid(column)}",
                )
            ]
        case Check.NACE5:
            divisions = in_list(nace_divisions())
            return [
                Violation(
                    name,
                    "nace",
                    "not a 5-digit NACE-BEL code of a known division",
                    f"{present} AND NOT (regexp_full_match({raw_ref(column)}, '[0-9]{{5}}') "
                    f"AND substr({raw_ref(column)}, 1, 2) IN {divisions})",
                )
            ]
        case Check.NON_NEGATIVE:
            return [Violation(name, "non_negative", "negative amount", f"{typed} < 0")]
        case Check.AT_LEAST_ONE:
            return [Violation(name, "at_least_one", "less than 1", f"{typed} < 1")]
        case Check.FTE:
            return [Violation(name, "fte", "FTE outside (0, 1]", f"NOT ({typed} > 0 AND {typed} <= 1)")]
        case Check.PERIOD_YEAR:
            return [
                Violation(name, "period_year", f"not the delivery's year {year}", f"{typed} <> {int(year)}")
            ]
        case Check.PERIOD_MONTH:
            return [
                Violation(
                    name, "period_month", f"not the delivery's month {int(month)}", f"{typed} <> {int(month)}"
                )
            ]
        case Check.PERIOD_YYYY_MM:
            return [
                Violation(
                    name,
                    "period",
                    f"not the delivery's period {period}",
                    f"{present} AND {raw_ref(column)} <> {literal(period)}",
                )
            ]
    raise ValueError(column.check)


def key_violation(dataset: Dataset) -> Violation:
    """Rows whose key is given and found more than once in the delivery; the keys that repeat come from
    the duplicates relation of `checked_select` (one GROUP BY over the delivery costs far less than a
    window over every row)."""
    all_present = " AND ".join(f"{raw_ref(dataset.column_index[k])} IS NOT NULL" for k in dataset.key)
    return Violation(
        ",".join(dataset.key),
        "duplicate_key",
        f"the key ({', '.join(dataset.key)}) occurs more than once in the delivery",
        f"{all_present} AND t._duplicate_key",
    )


def _key_text(dataset: Dataset, name: str, table: str = "") -> str:
    """A key column's text as the duplicate-key rule compares it: empty is NULL, an integer is compared
    as its value, and a personal identifier is normalised as for its pseudonym (` 4711` and `4711` are
    one staff member in the built tables)."""
    column = dataset.column_index[name]
    text = f"nullif({table}{ident(name)}, '')"
    if column.kind is Kind.INTEGER:  # `03` and `3` are one month of the budget's key
        number = f"regexp_full_match({text}, {literal(_INTEGER)})"
        return f"CASE WHEN {number} THEN CAST({text} AS INTEGER)::VARCHAR ELSE {text} END"
    return normalised_sql(column, text) if column.is_personal_identifier else text


def duplicate_keys_select(dataset: Dataset, source: str) -> str:
    """The keys given more than once in `source` (VARCHAR columns), compared as `_key_text`, as the
    duplicates relation of `checked_select`."""
    keys = [_key_text(dataset, k) for k in dataset.key]
    named = ", ".join(f"{k} AS {ident(name)}" for k, name in zip(keys, dataset.key, strict=True))
    present = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    return (
        f"SELECT {named}, true AS _duplicate FROM {source} WHERE {present} GROUP BY ALL HAVING count(*) > 1"
    )


def distinct_keys_expression(dataset: Dataset) -> str:
    """Aggregate: how many rows with a complete key are not the first of their key (0: no duplicates)."""
    keys = [_key_text(dataset, k) for k in dataset.key]
    present = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    distinct = keys[0] if len(keys) == 1 else f"row({', '.join(keys)})"
    return f"count(*) FILTER ({present}) - count(DISTINCT {distinct}) FILTER ({present})"


def violation_flag(index: int) -> str:
    return f"_v{index}"


def checked_select(
    dataset: Dataset, period: str, produced_at: datetime, stage: str, duplicates: str | None
) -> tuple[str, list[Violation]]:
    """SELECT over `stage` (alias s; VARCHAR columns, `_record`, `_line`): typed columns, one boolean
    `_v<i>` per rule of the returned list (true when the row breaks it), and `_bad` (any broken).

    `duplicates` names a relation of the delivery's repeated keys (`duplicate_keys_select`), or is None
    when the caller found that no key repeats.

    The subquery (alias t) exposes the typed value of each column under its name, the delivered text as
    `raw__<column>` and a Python check's result as `valid__<column>`; rules compare those. The raw text
    of a personal identifier never leaves this query: only its pseudonym is selected. Plain booleans
    cost far less to plan than a list of structs, which matters for the many small deliveries.
    """
    fmt = SOURCE_FORMATS[dataset.source]
    joins = "".join(
        f" LEFT JOIN {lookup_table(c)} ON s.{ident(c.name)} = {lookup_table(c)}.raw_value"
        for c in dataset.columns
        if needs_lookup(c)
    )
    if duplicates is None:
        duplicate = "false AS _duplicate_key"
    else:
        on = " AND ".join(f"{_key_text(dataset, k, 's.')} = d.{ident(k)}" for k in dataset.key)
        joins += f" LEFT JOIN {duplicates} AS d ON {on}"
        duplicate = "d._duplicate AS _duplicate_key"
    typed_cols = ", ".join(f"{typed_expression(c, fmt)} AS {ident(c.name)}" for c in dataset.columns)
    lookup_cols = "".join(
        f", {lookup_table(c)}.valid AS {ident('valid__' + c.name)}"
        for c in dataset.columns
        if c.check in PYTHON_CHECKS
    )
    violations = [v for c in dataset.columns for v in column_violations(dataset, c, fmt, period, produced_at)]
    violations.append(key_violation(dataset))
    flags = ",\n        ".join(
        f"coalesce({v.condition}, false) AS {violation_flag(i)}" for i, v in enumerate(violations)
    )
    any_flag = " OR ".join(violation_flag(i) for i in range(len(violations)))
    raw_cols = ", ".join(f"s.{ident(c.name)} AS {ident('raw__' + c.name)}" for c in dataset.columns)
    typed_names = ", ".join(f"t.{ident(c.name)}" for c in dataset.columns)
    sql = f"""
SELECT *, ({any_flag}) AS _bad FROM (
    SELECT t._record, t._line, {typed_names},
        {flags}
    FROM (
        SELECT s._record, s._line, {typed_cols}{lookup_cols}, {raw_cols}, {duplicate}
        FROM {stage} AS s{joins}
    ) AS t
)
"""
    return sql, violations
