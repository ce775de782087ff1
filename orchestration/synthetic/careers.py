"""The heart of the simulation: registration episodes and what happens in and after them.

Month by month, job seekers register (new people, and people coming back once their last episode and
job are over); each episode gets its duration, possibly a training at Bruxelles Formation or VDAB, and
an exit: to work (with the job spells that follow, interim day contracts chained), to training, to
studies, or out of the register. The calibration figures are those of `../shared/reference/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from orchestration.synthetic.covid import hiring_kept
from orchestration.synthetic.people import Population
from orchestration.synthetic.timeline import Horizon, to_datetime64

# Annual average of unemployed job seekers (DEI), Actiris; years in between are interpolated.
DEI_STOCK = {2008: 98_000, 2013: 109_429, 2016: 97_820, 2018: 90_203, 2019: 88_047, 2020: 88_803}
DEI_STOCK |= {2021: 88_780, 2022: 86_250, 2023: 88_979, 2024: 91_628, 2025: 92_500, 2030: 92_500}
# Mean episode length (days) implied by the duration mixture below: stock = inflow x mean duration.
_MEAN_EPISODE_DAYS = 0.40 * 134 + 0.35 * 360 + 0.25 * 1100
_WORKING_SHARE = 0.10  # registrations of working job seekers (DE_OCCUPE) beside the unemployed
# More registrations after the school year (young people) and after summer.
_SEASON = np.array([1.05, 0.95, 0.95, 0.92, 0.90, 0.95, 1.10, 1.05, 1.30, 1.05, 0.93, 0.85])

REGISTRATION_TYPES = np.array(["DEI_ALLOC", "DEI_BIT", "DEI_CPAS", "DEI_AUTRE", "DE_OCCUPE"])
EXIT_REASONS = np.array(["EMPLOI", "FORMATION", "ETUDES", "DEMENAGEMENT", "RADIATION", "AUTRE"])
CONTRACTS = np.array(["CDI", "CDD", "INTERIM", "ART60", "STAGE", "INDEPENDANT"])
TRAINING_TYPES = np.array(
    [
        "qualifying",
        "further_training",
        "specific_competences",
        "training_through_employment",
        "in_company",
        "literacy",
        "basic_skills",
        "pre_training",
        "language",
        "orientation",
    ]
)
VOCATIONAL = np.array([True, True, True, True, False, False, False, False, False, False])
IN_COMPANY = int(np.flatnonzero(TRAINING_TYPES == "in_company")[0])
# In-company training (FPI-E / IBO) sized on the report's 1,187-1,553 FPI-E starters a year.
_TRAINING_SHARES = np.array([0.32, 0.12, 0.08, 0.04, 0.06, 0.05, 0.07, 0.06, 0.14, 0.06])


def _in_company_weighted(factor: float) -> np.ndarray:
    shares = _TRAINING_SHARES.copy()
    shares[IN_COMPANY] *= factor
    return shares / shares.sum()


# In-company training (with a hiring commitment) goes more often to newcomers, close to the labour market:
# the report counts half of its internships among new joiners (the weights keep the overall share).
_TRAINING_SHARES_NEW, _TRAINING_SHARES_RETURNING = _in_company_weighted(1.85), _in_company_weighted(0.52)
# Typical length in days (low, high) of each training type, in the order above.
_TRAINING_DAYS = np.array(
    [
        [90, 300],
        [20, 120],
        [20, 90],
        [60, 180],
        [60, 180],
        [90, 270],
        [60, 200],
        [60, 150],
        [40, 160],
        [10, 40],
    ]
)


# The stock the simulation aims at stays within the 88-92 thousand of an average month that the
# project's acceptance asks for, even where the real series was higher (2016-2017: 94-98 thousand)
# or lower (2022: 86 thousand).
STOCK_FLOOR, STOCK_CEILING = 89_000, 90_500


def _interpolated_stock(year: float) -> float:
    years = sorted(DEI_STOCK)
    real = float(np.interp(year, years, [DEI_STOCK[y] for y in years]))
    return min(max(real, STOCK_FLOOR), STOCK_CEILING)


@dataclass
class Columns:
    """Growing column arrays of one kind of record."""

    parts: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def append(self, **columns: np.ndarray) -> None:
        for name, values in columns.items():
            self.parts.setdefault(name, []).append(np.asarray(values))

    def build(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate(chunks) for name, chunks in self.parts.items()}


@dataclass
class Careers:
    population: Population
    episodes: dict[str, np.ndarray]
    jobs: dict[str, np.ndarray]
    trainings: dict[str, np.ndarray]


def _weekday_days(first: int, last: int) -> np.ndarray:
    days = np.arange(first, last + 1)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    return days[weekday < 5]


def _mixture_durations(rng: np.random.Generator, youth: np.ndarray, working: np.ndarray) -> np.ndarray:
    n = len(youth)
    pick = rng.random(n)
    adult = np.where(
        pick < 0.40,
        14 + rng.exponential(120, n),
        np.where(pick < 0.75, rng.exponential(360, n), rng.exponential(1100, n)),
    )
    young = np.where(pick < 0.60, 14 + rng.exponential(90, n), rng.exponential(330, n))
    occupied = 30 + rng.exponential(200, n)
    return np.where(working, occupied, np.where(youth, young, adult)).astype(np.int64) + 1


class CareerSimulator:
    def __init__(self, rng: np.random.Generator, horizon: Horizon, scale: float) -> None:
        self.rng = rng
        self.horizon = horizon
        self.scale = scale
        self.population = Population()
        self.free_from = np.empty(0, np.int64)  # the first day a person may register again
        self.episodes = Columns()
        self.jobs = Columns()
        self.trainings = Columns()
        self.n_episodes = 0

    # -- people -------------------------------------------------------------------------------------
    def _choose_people(self, n: int, month_first: int, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Returners where available (about 40 % of registrations), new people for the rest."""
        rng = self.rng
        available = np.flatnonzero(self.free_from <= month_first)
        n_return = min(len(available), int(round(n * 0.40)))
        returners = rng.choice(available, n_return, replace=False) if n_return else np.empty(0, np.int64)
        n_new = n - n_return
        youth_new = rng.random(n_new) < 0.20
        age_years = np.where(youth_new, rng.uniform(18, 26, n_new), 18 + 46 * rng.beta(2.0, 3.0, n_new))
        new_starts = starts[n_return:]
        births = new_starts - (age_years * 365.25).astype(np.int64) - rng.integers(0, 365, n_new)
        newcomers = self.population.add(rng, births)
        self.free_from = np.concatenate([self.free_from, np.full(n_new, np.iinfo(np.int64).max)])
        people = np.concatenate([returners, newcomers])
        is_new = np.concatenate([np.zeros(n_return, bool), np.ones(n_new, bool)])
        return people, is_new

    # -- one month of registrations -----------------------------------------------------------------
    def register_month(self, year: int, month: int, first: int, last: int) -> None:
        rng = self.rng
        # 1.08: trainings, returns and jobs shift some episodes; measured against the stock this produces.
        dei = _interpolated_stock(year + (month - 0.5) / 12) * self.scale / _MEAN_EPISODE_DAYS * 30.44 * 1.08
        n = rng.poisson(dei * _SEASON[month - 1] * (1 + _WORKING_SHARE))
        if n == 0:
            return
        starts = np.sort(rng.choice(_weekday_days(first, last), n))
        people, is_new = self._choose_people(n, first, starts)
        ages = (starts - self.population.birth_day[people]) / 365.25
        working = rng.random(n) < _WORKING_SHARE / (1 + _WORKING_SHARE)
        youth = (ages < 26) & ~working & (rng.random(n) < 0.45)
        kind = np.where(
            working,
            4,
            np.where(youth, 1, rng.choice([0, 2, 3], n, p=[0.60, 0.22, 0.18])),
        )
        durations = _mixture_durations(rng, youth, working)
        ends = starts + durations
        # Exits for work calibrated on the volume of solutions of the joint report (about 44-45 k persons
        # a year start a job while registered).
        reason = np.where(
            youth,
            rng.choice(6, n, p=[0.52, 0.0, 0.16, 0.04, 0.16, 0.12]),
            rng.choice(6, n, p=[0.52, 0.0, 0.03, 0.07, 0.20, 0.18]),
        )
        reason = np.where(working, 0, reason)

        # Training during the episode, at Bruxelles Formation (French speakers mostly) or VDAB Brussel.
        # Calibrated on the joint report's 18-19 thousand job seekers a year starting a training, a quarter
        # of them in the year of their first registration: returners train more often than newcomers.
        p_train = np.where(working, 0.05, np.where(youth, 0.34, 0.21)) * np.where(is_new, 0.6, 1.6)
        trained = rng.random(n) < p_train
        t_index = np.flatnonzero(trained)
        t_start = starts[t_index] + rng.integers(15, 200, len(t_index))
        shares = np.where(is_new[t_index, None], _TRAINING_SHARES_NEW, _TRAINING_SHARES_RETURNING)
        t_type = (rng.random(len(t_index))[:, None] > np.cumsum(shares, axis=1)[:, :-1]).sum(axis=1)
        low, high = _TRAINING_DAYS[t_type, 0], _TRAINING_DAYS[t_type, 1]
        planned = rng.integers(low, high + 1)
        dropped = rng.random(len(t_index)) < 0.22
        t_end = t_start + np.where(
            dropped, (planned * rng.uniform(0.15, 0.8, len(t_index))).astype(np.int64), planned
        )
        t_end = np.maximum(t_end, t_start)
        language = self.population.language[people[t_index]]
        vdab = np.where(language == "NL", rng.random(len(t_index)) < 0.85, rng.random(len(t_index)) < 0.12)
        self.trainings.append(
            person=people[t_index],
            start=t_start,
            end=t_end,
            type=t_type,
            dropped=dropped,
            vdab=vdab,
            episode=self.n_episodes + t_index,
        )
        # Some leave the register to train; the others stay registered while training.
        to_training = rng.random(len(t_index)) < 0.20
        vocational_done = VOCATIONAL[t_type] & ~dropped
        # Calibrated on the shared indicators of the joint report (outflow to work after a vocational
        # training 63-67 %, positive outflow 68-73 %).
        p_job = np.where(vocational_done, 0.78, np.where(VOCATIONAL[t_type], 0.55, 0.72))
        delay_band = rng.choice(3, len(t_index), p=[0.50, 0.23, 0.27])
        delay = np.choose(
            delay_band,
            [
                rng.integers(1, 91, len(t_index)),
                rng.integers(92, 183, len(t_index)),
                rng.integers(184, 365, len(t_index)),
            ],
        )
        job_after_training = t_end + delay
        # A hire that would fall in a 2020 lockdown often did not happen.
        gets_job = rng.random(len(t_index)) < p_job * hiring_kept(job_after_training)
        ends[t_index] = np.where(
            to_training,
            t_start,
            np.where(
                gets_job,
                job_after_training,
                np.maximum(ends[t_index], t_end + rng.integers(30, 400, len(t_index))),
            ),
        )
        reason[t_index] = np.where(
            to_training,
            1,
            np.where(gets_job, 0, rng.choice([2, 3, 4, 5], len(t_index), p=[0.05, 0.10, 0.45, 0.40])),
        )
        # A second training or an in-company internship within the year after the first.
        follow = (rng.random(len(t_index)) < 0.60) & ~gets_job
        f_index = np.flatnonzero(follow)
        f_start = t_end[f_index] + rng.integers(20, 330, len(f_index))
        f_type = np.where(
            rng.random(len(f_index)) < 0.23,
            IN_COMPANY,
            rng.choice(len(TRAINING_TYPES), len(f_index), p=_TRAINING_SHARES),
        )
        f_len = rng.integers(_TRAINING_DAYS[f_type, 0], _TRAINING_DAYS[f_type, 1] + 1)
        self.trainings.append(
            person=people[t_index[f_index]],
            start=f_start,
            end=f_start + f_len,
            type=f_type,
            dropped=np.zeros(len(f_index), bool),
            vdab=vdab[f_index],
            episode=self.n_episodes + t_index[f_index],
        )

        # Jobs: the spell that ends an episode "to work", and the working job seekers' part-time job.
        to_work = reason == 0
        # The job starts while the registration is still open: the exit for work is recorded on the first
        # working day or up to a few weeks later (the volume of solutions counts a job as one only when a
        # registration is open on its start date; the joint report's 44-45 k persons a year need it).
        job_start = np.where(to_work, ends - rng.integers(0, 21, n), -1)
        job_start[t_index] = np.where(gets_job & ~to_training, job_after_training, job_start[t_index])
        job_start = np.where(to_work, np.maximum(job_start, starts), -1)
        # Those who left the register to train still find work after it.
        job_start[t_index[to_training & gets_job]] = job_after_training[to_training & gets_job]
        cpas = kind == 2
        last_job_end = self._add_jobs(people, job_start, youth, cpas, working, starts, ends)

        end_of_everything = np.maximum(ends, last_job_end)
        gap = rng.exponential(150, n).astype(np.int64) + 30
        moved = reason == 3
        never_back = moved & (rng.random(n) < 0.85)
        self.free_from[people] = np.where(never_back, np.iinfo(np.int64).max, end_of_everything + gap)
        self.episodes.append(person=people, start=starts, end=ends, kind=kind, reason=reason, youth=youth)
        self.n_episodes += n

    # -- job spells ---------------------------------------------------------------------------------
    def _add_jobs(
        self,
        people: np.ndarray,
        job_start: np.ndarray,
        youth: np.ndarray,
        cpas: np.ndarray,
        working: np.ndarray,
        starts: np.ndarray,
        ends: np.ndarray,
    ) -> np.ndarray:
        rng = self.rng
        n = len(people)
        last_end = np.full(n, -1, np.int64)
        has = job_start >= 0
        mix = np.where(
            cpas[:, None],
            [0.10, 0.15, 0.15, 0.55, 0.0, 0.05],
            # First-job internships: about 1,000 a year for the young (joint report, 2019-2020).
            np.where(
                youth[:, None], [0.18, 0.44, 0.30, 0.0, 0.06, 0.02], [0.27, 0.37, 0.30, 0.0, 0.01, 0.05]
            ),
        )
        pick = (rng.random(n)[:, None] > np.cumsum(mix, axis=1)).sum(axis=1)
        contract = np.minimum(pick, 5)
        for round_ in range(3):  # the outflow job, then up to two job-to-job moves without registering
            index = np.flatnonzero(has)
            if not len(index):
                break
            length = self._contract_days(contract[index])
            end = job_start[index] + length
            self._emit_spells(people[index], job_start[index], end, contract[index])
            last_end[index] = np.maximum(last_end[index], end)
            again = rng.random(len(index)) < (0.50 if round_ == 0 else 0.35)
            has = np.zeros(n, bool)
            has[index[again]] = True
            job_start = np.where(has, last_end + rng.integers(1, 60, n), -1)
            contract = rng.choice([0, 1, 2, 5], n, p=[0.35, 0.35, 0.25, 0.05])
        # Working job seekers keep a part-time job through their registration.
        w = np.flatnonzero(working)
        w_start = starts[w] - rng.integers(0, 400, len(w))
        w_end = ends[w] + rng.integers(0, 200, len(w))
        self._emit_spells(people[w], w_start, w_end, rng.choice([0, 1], len(w), p=[0.4, 0.6]), part_time=True)
        last_end[w] = np.maximum(last_end[w], w_end)
        return last_end

    def _contract_days(self, contract: np.ndarray) -> np.ndarray:
        rng = self.rng
        n = len(contract)
        by_type = np.stack(
            [
                30 + rng.exponential(1600, n),  # CDI
                np.where(rng.random(n) < 0.22, rng.integers(7, 28, n), rng.integers(28, 400, n)),  # CDD
                np.where(
                    rng.random(n) < 0.20, rng.integers(3, 28, n), rng.integers(28, 330, n)
                ),  # interim span
                rng.integers(330, 760, n),  # article 60: long enough to open benefit rights
                rng.integers(90, 200, n),  # first-job internship
                60 + rng.exponential(1500, n),  # self-employed
            ]
        )
        return by_type[contract, np.arange(n)].astype(np.int64)

    def _emit_spells(
        self,
        people: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        contract: np.ndarray,
        part_time: bool = False,
    ) -> None:
        """One row per spell, except interim spans, which become chains of day and week contracts."""
        rng = self.rng
        interim = contract == 2
        plain = ~interim
        n_plain = int(plain.sum())
        regime = np.full(n_plain, "TPP") if part_time else np.where(rng.random(n_plain) < 0.72, "TP", "TPP")
        self.jobs.append(
            person=people[plain], start=start[plain], end=end[plain], contract=contract[plain], regime=regime
        )
        chains = np.flatnonzero(interim)
        if not len(chains):
            return
        span = end[chains] - start[chains]
        # Contracts of 1-20 days separated by 0-3 idle days (a few by 4-8, which break the chain).
        count = np.maximum(1, span // 12)
        owner = np.repeat(np.arange(len(chains)), count)
        length = rng.integers(1, 21, len(owner))
        gap = np.where(
            rng.random(len(owner)) < 0.93, rng.integers(0, 4, len(owner)), rng.integers(4, 9, len(owner))
        )
        step = length + gap
        offset = np.cumsum(step) - step
        first_of_chain = np.concatenate([[0], np.cumsum(count)[:-1]])
        offset -= np.repeat(offset[first_of_chain], count)
        c_start = start[chains][owner] + offset
        c_end = c_start + length - 1
        self.jobs.append(
            person=people[chains][owner],
            start=c_start,
            end=c_end,
            contract=np.full(len(owner), 2),
            regime=np.where(rng.random(len(owner)) < 0.8, "TP", "TPP"),
        )

    # -- the whole run -----------------------------------------------------------------------------
    def run(self, progress: callable | None = None) -> Careers:  # type: ignore[valid-type]
        months = self.horizon.month_starts(self.horizon.simulation_start)
        for index, first in enumerate(months):
            date = to_datetime64(np.array([first]))[0].astype("datetime64[M]").astype(object)
            last = (months[index + 1] - 1) if index + 1 < len(months) else self.horizon.last_day
            self.register_month(date.year, date.month, int(first), int(last))
            if progress:
                progress(1)
        return Careers(self.population, self.episodes.build(), self.jobs.build(), self.trainings.build())
