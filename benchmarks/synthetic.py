"""Synthetic, realistic KPI-engine inputs at any scale (vectorised with numpy).

``generate(n_courses)`` returns the five input tables of the KPI engine with the exact schemas
of ``data.store`` for the years 2020–2023 of Erhvervshus Nordjylland:

- ``forloeb``: ``n_courses`` courses; about 0.75 unique CVR per course (a company keeps its
  municipality); the 11 North Jutland municipalities weighted by their funding key; the four
  categories and eight fagområder; start dates spread over the year with a summer dip.
- ``brugerevaluering``: about 0.37 answers per course (one per sampled course), dated 2–16
  weeks after the course start, with "Ved ikke" and blanks in the answer columns.
- ``kendskab``: 0.3 respondents per course for the measurement years 2020, 2021 and 2023,
  with survey weights (some blank).
- ``activities``: a few status rows per checklist activity and year.
- ``control_group``: empty (no figures entered yet).

CVR numbers are 8-digit numbers without a valid modulus-11 check (not needed here), stored
as ``data.store`` hands them to the engine: integers (``CVR_DTYPE``); the company name
carries the 8-digit text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from data.store import (
    ACTIVITY_SCHEMA,
    CONTROL_GROUP_SCHEMA,
    CVR_DTYPE,
    EVALUERING_SCHEMA,
    FORLOEB_SCHEMA,
    KENDSKAB_SCHEMA,
    cvr_text,
)
from expectations.schema import FAGOMRAADER, KATEGORIER
from metrics.contract import KpiKind, contract_for

YEARS: tuple[int, ...] = (2020, 2021, 2022, 2023)
KENDSKAB_YEARS: tuple[int, ...] = (2020, 2021, 2023)
KOMMUNEKODER: tuple[int, ...] = (773, 787, 810, 813, 820, 825, 840, 846, 849, 851, 860)
FUNDING_KEY: tuple[int, ...] = (588, 1264, 1059, 1729, 1065, 52, 894, 1216, 1118, 6428, 1879)
UNIQUE_CVR_PER_COURSE = 0.75
ANSWERS_PER_COURSE = 0.37
RESPONDENTS_PER_COURSE = 0.3

_YEAR_WEIGHTS = np.array([0.22, 0.24, 0.26, 0.28])
_KATEGORI_P = np.array([0.17, 0.18, 0.50, 0.15])  # order of KATEGORIER
_FAG_P = np.array([0.10, 0.14, 0.16, 0.18, 0.09, 0.12, 0.11, 0.10])  # order of FAGOMRAADER
_TILFREDSHED = (
    "Meget tilfreds",
    "Tilfreds",
    "Hverken/eller",
    "Utilfreds",
    "Meget utilfreds",
    "Ved ikke",
    None,
)
_TILFREDSHED_P = np.array([0.55, 0.25, 0.06, 0.03, 0.01, 0.05, 0.05])
_EFFEKT = ("I høj grad", "I nogen grad", "I lav grad", "Slet ikke", "Ved ikke", None)
_EFFEKT_P = np.array([0.55, 0.25, 0.06, 0.03, 0.06, 0.05])
_ANBEFALING_P = np.array([1, 1, 1, 1, 2, 3, 4, 7, 15, 25, 35], dtype=float)  # 0..10, 5 % blank
_HENVIST_FRA = ("Aalborg Erhverv", "Business Hjørring", "Erhverv Norddjurs", "Andet", None)
_EPOCH = np.datetime64("1970-01-01", "D")
_CVR_MODULUS = 89_999_999  # CVR = 10000000 + (stride * company) mod this: a bijection
_CVR_STRIDE = 48_271


@dataclass(frozen=True, slots=True)
class SyntheticData:
    """The engine's five inputs as eager frames, in the order of ``KpiInputs``' fields."""

    forloeb: pl.DataFrame
    brugerevaluering: pl.DataFrame
    kendskab: pl.DataFrame
    activities: pl.DataFrame
    control_group: pl.DataFrame

    def frames(self) -> dict[str, pl.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def write_parquet(self, directory: Path) -> dict[str, Path]:
        """One Parquet file per table in ``directory``; returns name → path."""
        paths = {}
        for name, frame in self.frames().items():
            path = directory / f"{name}.parquet"
            frame.write_parquet(path)
            paths[name] = path
        return paths


def _days(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def _day_weights() -> np.ndarray:
    """Relative weight of each day of the year: fewer courses in July and late December."""
    doy = np.arange(366)
    w = np.ones(366)
    w[(doy >= 181) & (doy < 212)] = 0.35  # July
    w[doy >= 350] = 0.4  # Christmas
    return w / w.sum()


def _pick(
    rng: np.random.Generator, values: tuple[str | None, ...], p: np.ndarray, size: int
) -> pl.Series:
    """Categorical draw as a Polars string series (None in ``values`` becomes a blank)."""
    idx = rng.choice(len(values), size=size, p=p / p.sum())
    lookup = pl.Series(values, dtype=pl.String)
    return lookup.gather(idx)


def _courses(rng: np.random.Generator, n: int) -> pl.DataFrame:
    n_companies = max(1, round(n * UNIQUE_CVR_PER_COURSE))
    funding = np.array(FUNDING_KEY, dtype=float)
    company_kommune = rng.choice(len(KOMMUNEKODER), size=n_companies, p=funding / funding.sum())
    # Every company has at least one course; the rest go to companies at random (repeat customers).
    company = np.concatenate(
        [rng.permutation(n_companies), rng.integers(0, n_companies, size=n - n_companies)]
    )[:n]
    cvr_int = 10_000_000 + (company.astype(np.int64) * _CVR_STRIDE) % _CVR_MODULUS

    year_idx = rng.choice(len(YEARS), size=n, p=_YEAR_WEIGHTS / _YEAR_WEIGHTS.sum())
    year = np.array(YEARS)[year_idx]
    year_start = np.array([_days(date(y, 1, 1)) for y in YEARS])[year_idx]
    year_len = np.where(np.isin(year, [2020, 2024]), 366, 365)
    day = np.minimum(rng.choice(366, size=n, p=_day_weights()), year_len - 1)
    start = year_start + day
    duration = rng.integers(1, 200, size=n)
    has_end = rng.random(n) < 0.8

    kategori_idx = rng.choice(len(KATEGORIER), size=n, p=_KATEGORI_P)
    fag_idx = rng.choice(len(FAGOMRAADER), size=n, p=_FAG_P / _FAG_P.sum())
    ids = pl.int_range(0, n, eager=True, dtype=pl.Int64).cast(pl.String)
    cvr = pl.Series("cvr", cvr_int, dtype=CVR_DTYPE)
    return pl.DataFrame(
        {
            "forloeb_id": "F" + ids,
            "cvr": cvr,
            "virksomhed": "Virksomhed " + cvr.to_frame().select(cvr_text(pl.col("cvr")))["cvr"],
            "kommunekode": np.array(KOMMUNEKODER, dtype=np.int32)[company_kommune[company]],
            "kategori": pl.Series(KATEGORIER, dtype=pl.String).gather(kategori_idx),
            "fagomraade": pl.Series(FAGOMRAADER, dtype=pl.String).gather(fag_idx),
            "startdato": start.astype("datetime64[D]"),
            "slutdato": pl.Series((start + duration).astype("datetime64[D]")).set(
                pl.Series(~has_end), None
            ),
            "henvist_fra": _pick(rng, _HENVIST_FRA, np.array([0.15, 0.1, 0.05, 0.1, 0.6]), n),
            "henvist_til_ekstern": rng.random(n) < 0.3,
        }
    ).cast(FORLOEB_SCHEMA)


def _answers(rng: np.random.Generator, courses: pl.DataFrame) -> pl.DataFrame:
    n_courses = courses.height
    m = round(n_courses * ANSWERS_PER_COURSE)
    idx = np.sort(rng.choice(n_courses, size=m, replace=False))
    src = courses.select("cvr", "kommunekode", "kategori", "fagomraade", "startdato")[idx]
    start = src["startdato"].to_numpy().astype("datetime64[D]").astype(np.int64)
    last = _days(date(YEARS[-1], 12, 31))
    answered = np.minimum(start + rng.integers(14, 113, size=m), last)
    kategori = src["kategori"].to_numpy()
    drift_default = rng.random(m) < 0.6
    segment = np.where(
        kategori == "Vækstforløb",
        "Vækst",
        np.where(kategori == "Driftsforløb", "Drift", np.where(drift_default, "Drift", "Vækst")),
    )
    p_anb = _ANBEFALING_P / _ANBEFALING_P.sum()
    anbefaling = pl.Series(rng.choice(11, size=m, p=p_anb).astype(np.int32))
    anbefaling = anbefaling.set(pl.Series(rng.random(m) < 0.05), None)
    modtaget = rng.random(m) < 0.35
    benyttet = pl.Series(rng.random(m) < 0.55).set(
        pl.Series(~modtaget | (rng.random(m) < 0.05)), None
    )
    digital = (src["fagomraade"].to_numpy() == "Digitalisering og automatisering") | (
        rng.random(m) < 0.1
    )
    ids = pl.int_range(0, m, eager=True, dtype=pl.Int64).cast(pl.String)
    return pl.DataFrame(
        {
            "svar_id": "S" + ids,
            "cvr": src["cvr"],
            "kommunekode": src["kommunekode"],
            "segment": segment,
            "besvarelsesdato": answered.astype("datetime64[D]"),
            "tilfredshed": _pick(rng, _TILFREDSHED, _TILFREDSHED_P, m),
            "anbefaling": anbefaling,
            "forventet_effekt": _pick(rng, _EFFEKT, _EFFEKT_P, m),
            "digitaliseringsvejledning": digital,
            "modtaget_henvisning": modtaget,
            "benyttet_henvisning": benyttet,
        }
    ).cast(EVALUERING_SCHEMA)


def _respondents(rng: np.random.Generator, n_courses: int) -> pl.DataFrame:
    r = round(n_courses * RESPONDENTS_PER_COURSE)
    funding = np.array(FUNDING_KEY, dtype=float)
    kommune = np.array(KOMMUNEKODER, dtype=np.int32)[
        rng.choice(len(KOMMUNEKODER), size=r, p=funding / funding.sum())
    ]
    year = np.array(KENDSKAB_YEARS, dtype=np.int32)[rng.integers(0, len(KENDSKAB_YEARS), size=r)]
    measured = np.array([_days(date(int(y), 12, 31)) for y in KENDSKAB_YEARS])
    maaledato = measured[np.searchsorted(np.array(KENDSKAB_YEARS), year)]
    kender = rng.random(r) < 0.45
    groen = pl.Series(rng.random(r) < 0.68).set(pl.Series(~kender | (rng.random(r) < 0.03)), None)
    vaegt = pl.Series(rng.lognormal(0.0, 0.35, size=r)).set(pl.Series(rng.random(r) < 0.1), None)
    ids = pl.int_range(0, r, eager=True, dtype=pl.Int64).cast(pl.String)
    return pl.DataFrame(
        {
            "respondent_id": "R" + ids,
            "kommunekode": kommune,
            "maaleaar": year,
            "kender_erhvervshuset": kender,
            "kender_groenne_ydelser": groen,
            "vaegt": vaegt,
            "maaledato": maaledato.astype("datetime64[D]"),
        }
    ).cast(KENDSKAB_SCHEMA)


def _activities(seed: int) -> pl.DataFrame:
    """A few status changes per checklist activity and year (some never reported)."""
    rnd = random.Random(seed)
    rows = []
    for year in YEARS:
        contract = contract_for(year)
        for kpi in contract.kpis:
            if kpi.kind is not KpiKind.CHECKLIST:
                continue
            for activity in contract.activities(kpi):
                if rnd.random() < 0.1:
                    continue  # not reported yet
                steps = rnd.choice(
                    [
                        ["Ikke startet"],
                        ["I gang"],
                        ["Ikke startet", "I gang"],
                        ["I gang", "Gennemført"],
                        ["Gennemført"],
                        ["Ikke startet", "I gang", "Gennemført"],
                    ]
                )
                days = sorted(rnd.sample(range(0, 420), len(steps)))  # some after year end
                for status, offset in zip(steps, days, strict=True):
                    status_date = date(year, 1, 15) + timedelta(days=offset)
                    rows.append(
                        {
                            "year": year,
                            "goal": kpi.goal,
                            "activity_id": activity.id,
                            "status": status,
                            "status_date": status_date,
                            "evidence": None,
                            "comment": f"Status {status.lower()}",
                            "changed_by": "direktoer",
                            "changed_at": datetime.combine(status_date, datetime.min.time(), UTC)
                            + timedelta(hours=9 + rnd.randrange(8)),
                        }
                    )
    return pl.DataFrame(rows, schema=ACTIVITY_SCHEMA)


def generate(n_courses: int, *, seed: int = 20240601) -> SyntheticData:
    """Inputs for ``n_courses`` courses with answers and respondents in proportion."""
    rng = np.random.default_rng(seed)
    courses = _courses(rng, n_courses)
    return SyntheticData(
        forloeb=courses,
        brugerevaluering=_answers(rng, courses),
        kendskab=_respondents(rng, n_courses),
        activities=_activities(seed),
        control_group=pl.DataFrame(schema=CONTROL_GROUP_SCHEMA),
    )


if __name__ == "__main__":  # pragma: no cover - manual smoke test
    import time

    t0 = time.perf_counter()
    data = generate(1_000_000)
    print(f"generated in {time.perf_counter() - t0:.2f} s")
    for table, frame in data.frames().items():
        print(table, frame.shape)
    print(data.forloeb.head(3))
    print(data.forloeb.select(pl.col("cvr").n_unique() / pl.len()))
