"""The simulated population: persons with fixed attributes and a valid, unique national number."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from orchestration.contract.reference import read_seed
from orchestration.synthetic.timeline import EPOCH

SEXES = np.array(["M", "F", "X"])
EDUCATION = np.array(["P", "S2", "S3", "SUP", "ETR"])
# Shares among Brussels job seekers; studies abroad without equivalence weigh heavily (about 30-40 %).
EDUCATION_SHARES_BE = np.array([0.30, 0.14, 0.26, 0.18, 0.12])
EDUCATION_SHARES_FOREIGN = np.array([0.20, 0.08, 0.14, 0.10, 0.48])
EU_COUNTRIES = np.array(["FR", "RO", "IT", "ES", "PL", "PT", "BG", "NL", "DE", "GR"])
NON_EU_COUNTRIES = np.array(
    ["MA", "CD", "TR", "SY", "GN", "CM", "AF", "DZ", "TN", "SN", "ER", "BR", "RW", "IN"]
)
# Communes with a larger share of job seekers than of inhabitants, and those with a smaller one.
_COMMUNE_WEIGHT = {"21001": 1.4, "21004": 1.3, "21012": 1.5, "21013": 1.2, "21014": 1.5, "21015": 1.3}
_COMMUNE_WEIGHT |= {"21002": 0.6, "21016": 0.6, "21017": 0.6, "21018": 0.6, "21019": 0.5}


def _commune_choice() -> tuple[np.ndarray, np.ndarray]:
    rows = read_seed("communes")
    codes = np.array([r["commune_ins"] for r in rows])
    weights = np.array(
        [int(r["inhabitants_2020"]) * _COMMUNE_WEIGHT.get(r["commune_ins"], 1.0) for r in rows]
    )
    return codes, weights / weights.sum()


@dataclass
class Population:
    """Column arrays, one entry per person, grown in batches as new people register."""

    birth_day: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    sex: np.ndarray = field(default_factory=lambda: np.empty(0, "<U1"))
    education: np.ndarray = field(default_factory=lambda: np.empty(0, "<U3"))
    nationality: np.ndarray = field(default_factory=lambda: np.empty(0, "<U2"))
    language: np.ndarray = field(default_factory=lambda: np.empty(0, "<U2"))
    commune: np.ndarray = field(default_factory=lambda: np.empty(0, "<U5"))
    niss: np.ndarray = field(default_factory=lambda: np.empty(0, "<U11"))
    _taken: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.birth_day)

    def add(self, rng: np.random.Generator, birth_days: np.ndarray) -> np.ndarray:
        """Create one person per birth day; returns their person indices."""
        n = len(birth_days)
        first = len(self)
        sex = SEXES[rng.choice(3, n, p=[0.532, 0.467, 0.001])]
        group = rng.choice(3, n, p=[0.52, 0.18, 0.30])  # Belgian, other EU, outside the EU
        nationality = np.where(
            group == 0,
            "BE",
            np.where(
                group == 1,
                EU_COUNTRIES[rng.integers(0, len(EU_COUNTRIES), n)],
                NON_EU_COUNTRIES[rng.integers(0, len(NON_EU_COUNTRIES), n)],
            ),
        )
        education = np.where(
            group == 0,
            EDUCATION[rng.choice(5, n, p=EDUCATION_SHARES_BE)],
            EDUCATION[rng.choice(5, n, p=EDUCATION_SHARES_FOREIGN)],
        )
        language = np.where(rng.random(n) < 0.12, "NL", "FR")
        codes, weights = _commune_choice()
        commune = codes[rng.choice(len(codes), n, p=weights)]
        niss = self._unique_niss(rng, birth_days, sex)
        self.birth_day = np.concatenate([self.birth_day, birth_days])
        self.sex = np.concatenate([self.sex, sex])
        self.education = np.concatenate([self.education, education])
        self.nationality = np.concatenate([self.nationality, nationality])
        self.language = np.concatenate([self.language, language])
        self.commune = np.concatenate([self.commune, commune])
        self.niss = np.concatenate([self.niss, niss])
        return np.arange(first, first + n)

    def _unique_niss(self, rng: np.random.Generator, birth_days: np.ndarray, sex: np.ndarray) -> np.ndarray:
        dates = (EPOCH + birth_days.astype("timedelta64[D]")).astype(str)  # YYYY-MM-DD
        years = np.array([int(d[:4]) for d in dates])
        yymmdd = np.array([d[2:4] + d[5:7] + d[8:10] for d in dates])
        out = np.empty(len(birth_days), dtype="<U11")
        pending = np.arange(len(birth_days))
        while len(pending):
            # The serial's parity carries the sex: odd for men, even for women.
            serial = rng.integers(0, 498, len(pending)) * 2 + np.where(sex[pending] == "M", 1, 2)
            body = np.char.add(yymmdd[pending], np.char.zfill(serial.astype(str), 3))
            base = body.astype(np.int64) + np.where(years[pending] >= 2000, 2_000_000_000, 0)
            check = 97 - base % 97
            candidates = np.char.add(body, np.char.zfill(check.astype(str), 2))
            retry = []
            for index, value in zip(pending, candidates, strict=True):
                if value in self._taken:
                    retry.append(index)
                else:
                    self._taken.add(value)
                    out[index] = value
            pending = np.array(retry, dtype=np.int64)
        return out


def format_niss_with_separators(niss: np.ndarray) -> np.ndarray:
    """`85073003328` -> `85.07.30-033.28`, as some exports print it."""
    return np.array([f"{v[:2]}.{v[2:4]}.{v[4:6]}-{v[6:9]}.{v[9:]}" for v in niss], dtype=object)
