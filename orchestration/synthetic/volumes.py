"""Volumes of a landing folder, read back from its files, against the real Brussels figures.

This reads the CSV files themselves (with DuckDB and the contract's formats), not the simulator's
memory, so it checks what a delivery really holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.contract.datasets import dataset
from orchestration.contract.formats import SOURCE_FORMATS
from orchestration.synthetic.staff import HEADCOUNT as STAFF_HEADCOUNT
from orchestration.synthetic.staff import MIN_STAFF

# The delivery month (YYYYMM) in a delivery's file name.
_FILE_PERIOD = r"regexp_extract(filename, '_(\d{6})(_\d+)?\.csv$', 1)"


@dataclass(frozen=True)
class Volume:
    measure: str
    year: int
    value: float
    low: float  # the real range, at scale 1
    high: float

    def in_range(self, scale: float) -> bool:
        return self.low * scale <= self.value <= self.high * scale


def _read(con: duckdb.DuckDBPyConnection, landing: Path, source: str, name: str) -> str:
    """A view over every delivery of a dataset, all columns text, as the source wrote them."""
    fmt = SOURCE_FORMATS[source]
    spec = dataset(source, name)
    files = sorted(str(p) for p in (landing / source / name).glob(f"{name}_*.csv"))
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in spec.header)
    encoding = "latin-1" if fmt.encoding == "iso-8859-1" else "utf-8"
    view = f"v_{name}"
    con.execute(
        f"create or replace temp view {view} as select * from read_csv({files!r}, delim='{fmt.delimiter}', "
        f"header=true, quote='\"', escape='\"', columns={{{columns}}}, encoding='{encoding}', "
        f"filename=true)"
    )
    return view


def _date(column: str, source: str) -> str:
    return f"strptime({column}, '{SOURCE_FORMATS[source].date_format}')::date"


def measure(landing: Path) -> list[Volume]:
    con = duckdb.connect()
    out: list[Volume] = []

    def add(name: str, low: float, high: float, sql: str) -> None:
        for year, value in con.execute(sql).fetchall():
            out.append(Volume(name, int(year), float(value), low, high))

    _read(con, landing, "actiris", "demandeurs")
    d_in, d_out = _date("date_inscription", "actiris"), _date("date_sortie", "actiris")
    add(
        "unemployed job seekers (DEI), mean month-end stock",
        88_000,
        92_000,
        f"""
        with latest as (
            select * from v_demandeurs
            qualify row_number() over (partition by id_dossier
                order by strptime(date_modification, '%d/%m/%Y %H:%M:%S') desc, filename desc) = 1),
        delivered as (
            select distinct last_day(strptime({_FILE_PERIOD}, '%Y%m'))::date as month_end
            from v_demandeurs)
        select year(month_end), avg(n) from (
            select month_end, count(*) as n from delivered join latest
              on {d_in} <= month_end and (date_sortie is null or {d_out} > month_end)
             and type_inscription like 'DEI%'
            group by month_end) group by 1 order by 1""",
    )
    _read(con, landing, "bf", "demandes_formation")
    add(
        "training applicants (distinct persons)",
        12_000,
        16_000,
        f"""select year({_date("date_demande", "bf")}),
                   count(distinct replace(replace(niss, '.', ''), '-', ''))
            from v_demandes_formation group by 1 order by 1""",
    )
    _read(con, landing, "actiris", "offres_emploi")
    add(
        "vacancies received",
        35_000,
        80_000,
        f"""select year({_date("date_reception", "actiris")}) y, count(distinct id_offre) from v_offres_emploi
            group by 1 having y >= (select min(left({_FILE_PERIOD}, 4)::int) from v_offres_emploi)
            order by 1""",
    )
    _read(con, landing, "actiris", "rh_personnel")
    add(
        "staff (mean monthly headcount)",
        STAFF_HEADCOUNT * 0.9,
        STAFF_HEADCOUNT * 1.1,
        "select left(mois, 4), avg(n) from (select mois, count(*) n from v_rh_personnel group by 1) "
        "group by 1 order by 1",
    )
    _read(con, landing, "actiris", "rh_absences")
    add(
        "absenteeism % (weekdays, holidays not removed)",
        10.0,
        12.0,
        f"""
        with staff as (select matricule, mois, replace(etp, ',', '.')::double etp,
                              strptime(mois || '-01', '%Y-%m-%d')::date as first_day from v_rh_personnel),
        spells as (select * from v_rh_absences qualify row_number() over (partition by id_absence
                   order by strptime(date_modification, '%d/%m/%Y %H:%M:%S') desc) = 1),
        days as (select matricule, unnest(generate_series({_date("date_debut", "actiris")},
                   coalesce({_date("date_fin", "actiris")}, (select max(last_day(first_day)) from staff)),
                   interval 1 day))::date as day from spells),
        absent as (select year(day) y, sum(etp) wd from days join staff
                   on staff.matricule = days.matricule and date_trunc('month', day) = first_day
                   where dayofweek(day) between 1 and 5 group by 1),
        planned as (select year(first_day) y, sum(etp * (select count(*) from generate_series(first_day,
                    last_day(first_day), interval 1 day) g(d) where dayofweek(d) between 1 and 5)) wd
                    from staff group by 1)
        select planned.y, 100 * coalesce(absent.wd, 0) / planned.wd from planned left join absent using (y)
        order by 1""",
    )
    _read(con, landing, "actiris", "budget")
    add(
        "budget: adjusted commitment credits (EUR M, December)",
        720,
        770,
        """select exercice, sum(replace(credit_ajuste, ',', '.')::double) / 1e6 from v_budget
           where mois = '12' and type_credit = 'ENG' group by 1 order by 1""",
    )
    add(
        "budget: share of articles ending 90-100 % (ENG)",
        50,
        100,
        """select exercice, 100 * avg((r between 0.9 and 1.0)::int) from (
             select exercice, replace(montant_cumule, ',', '.')::double
                    / nullif(replace(credit_ajuste, ',', '.')::double, 0) r
             from v_budget where mois = '12' and type_credit = 'ENG') group by 1 order by 1""",
    )
    add(
        "budget: share of articles over 100 % (ENG)",
        1,
        20,
        """select exercice, 100 * avg((r > 1.0)::int) from (
             select exercice, replace(montant_cumule, ',', '.')::double
                    / nullif(replace(credit_ajuste, ',', '.')::double, 0) r
             from v_budget where mois = '12' and type_credit = 'ENG') group by 1 order by 1""",
    )
    return out


# Measures that are shares or money keep their range whatever the scale.
_UNSCALED = ("absenteeism", "budget")


def scale_of(volume: Volume, scale: float) -> float:
    if volume.measure.startswith(_UNSCALED):
        return 1.0
    if volume.measure.startswith("staff"):
        return max(scale, MIN_STAFF / STAFF_HEADCOUNT)
    return scale


def print_volumes(landing: Path, scale: float = 1.0) -> list[Volume]:
    volumes = measure(landing)
    current = None
    for v in volumes:
        if v.measure != current:
            current = v.measure
            print(f"\n{v.measure}  (real range {v.low:,.0f}-{v.high:,.0f} at scale 1)")
        s = scale_of(v, scale)
        flag = "ok " if v.in_range(s) else "OUT"
        print(f"  {flag} {v.year}: {v.value:,.1f}")
    return volumes
