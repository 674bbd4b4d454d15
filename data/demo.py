"""Deterministic, realistic demo data for 2020–2023 at the real scale (Nordjylland).

About 1.100–1.300 courses and 850–1.000 unique companies a year spread over the municipalities
like the funding key (Læsø with very few), ≈450 evaluation answers a year, awareness
measurements in 2020, 2021 and 2023, activities in several states and one set of Mål 6
control-group figures. The year profiles are chosen so that some goals are met and some missed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from data.reference import Erhvervshus
from expectations.schema import FAGOMRAADER

YEARS = (2020, 2021, 2022, 2023)
QUARTER_PROFILE = (0.22, 0.26, 0.19, 0.33)  # share of a year's courses started per quarter

_NAME_A = (
    "Nord",
    "Vest",
    "Lim",
    "Skag",
    "Hav",
    "Fjord",
    "Mols",
    "Klit",
    "Sø",
    "Eng",
    "Bak",
    "Lyng",
)
_NAME_B = (
    "kyst",
    "tech",
    "bygg",
    "mark",
    "pro",
    "lys",
    "træ",
    "stål",
    "data",
    "fisk",
    "grøn",
    "form",
)
_NAME_C = ("ApS", "A/S", "I/S", "Maskinfabrik ApS", "Rådgivning ApS", "& Søn A/S", "Digital ApS")


@dataclass(frozen=True, slots=True)
class YearProfile:
    """Targets the demo aims at for a year (roughly; the data are drawn at random)."""

    unique_companies: int
    courses: int
    growth_ops_share: float  # Vækst- og Driftsforløb among courses
    new_share: float  # companies not guided the year before
    very_satisfied: tuple[float, float]  # drift, vækst
    nps_promoters: tuple[float, float]
    nps_detractors: tuple[float, float]
    referral_used: float
    high_effect: float
    digital_high_effect: float
    awareness: float | None
    green_awareness: float | None


PROFILES = {
    2020: YearProfile(
        790,
        1110,
        0.30,
        0.60,
        (0.79, 0.74),
        (0.76, 0.72),
        (0.06, 0.07),
        0.41,
        0.62,
        0.66,
        0.40,
        0.64,
    ),
    2021: YearProfile(
        910,
        1230,
        0.31,
        0.55,
        (0.82, 0.81),
        (0.79, 0.78),
        (0.05, 0.05),
        0.43,
        0.67,
        0.71,
        0.43,
        0.70,
    ),
    2022: YearProfile(
        870,
        1190,
        0.27,
        0.47,
        (0.83, 0.77),
        (0.78, 0.70),
        (0.04, 0.07),
        0.49,
        0.63,
        0.73,
        None,
        None,
    ),
    2023: YearProfile(
        960,
        1290,
        0.30,
        0.58,
        (0.84, 0.82),
        (0.80, 0.77),
        (0.04, 0.05),
        0.52,
        0.68,
        0.74,
        0.52,
        0.72,
    ),
}


def valid_cvr(rng: random.Random) -> str:
    """A random CVR number passing the modulus-11 check."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        check = (-sum(d * w for d, w in zip(digits, weights, strict=True))) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def _company_name(rng: random.Random) -> str:
    return f"{rng.choice(_NAME_A)}{rng.choice(_NAME_B)} {rng.choice(_NAME_C)}"


def _date_in_quarter(rng: random.Random, year: int, q: int) -> date:
    start = date(year, 3 * (q - 1) + 1, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start + timedelta(days=rng.randrange((end - start).days))


@dataclass(frozen=True, slots=True)
class DemoData:
    forloeb: pl.DataFrame
    brugerevaluering: pl.DataFrame
    kendskab: dict[int, pl.DataFrame]  # Måleår → respondents


def generate(house: Erhvervshus, seed: int = 2022) -> DemoData:
    rng = random.Random(seed)
    codes = [k.kode for k in house.kommuner]
    weights = [k.basisbevilling for k in house.kommuner]
    courses: list[dict[str, object]] = []
    answers: list[dict[str, object]] = []
    previous: list[tuple[str, int, str]] = []  # (cvr, kommune, name) guided the year before
    for year in YEARS:
        prof = PROFILES[year]
        n_returning = round(prof.unique_companies * (1 - prof.new_share)) if previous else 0
        companies = rng.sample(previous, min(n_returning, len(previous)))
        while len(companies) < prof.unique_companies:
            companies.append((valid_cvr(rng), rng.choices(codes, weights)[0], _company_name(rng)))
        # Every company gets one course; the rest go to companies drawn again.
        owners = companies + [rng.choice(companies) for _ in range(prof.courses - len(companies))]
        for i, (cvr, kommune, name) in enumerate(owners, start=1):
            q = rng.choices((1, 2, 3, 4), QUARTER_PROFILE)[0]
            start = _date_in_quarter(rng, year, q)
            growth_ops = rng.random() < prof.growth_ops_share
            kategori = (
                rng.choice(("Vækstforløb", "Driftsforløb"))
                if growth_ops
                else rng.choices(("Kort forløb", "Early Warning"), (0.85, 0.15))[0]
            )
            courses.append(
                {
                    "forloeb_id": f"EHN-{year}-{i:05d}",
                    "cvr": cvr,
                    "virksomhed": name,
                    "kommunekode": kommune,
                    "kategori": kategori,
                    "fagomraade": rng.choice(FAGOMRAADER),
                    "startdato": start,
                    "slutdato": start + timedelta(days=rng.randint(7, 120))
                    if rng.random() < 0.8
                    else None,
                    "henvist_fra": f"Erhvervskontor {house.kommune(kommune).navn}"
                    if rng.random() < 0.45
                    else None,
                    "henvist_til_ekstern": rng.random() < 0.35,
                }
            )
        answers.extend(_answers(rng, year, courses[-len(owners) :], prof))
        previous = companies
    kendskab = {
        year: _awareness(rng, year, codes, weights, PROFILES[year])
        for year in YEARS
        if PROFILES[year].awareness is not None
    }
    return DemoData(pl.DataFrame(courses), pl.DataFrame(answers), kendskab)


def _answers(
    rng: random.Random, year: int, courses: list[dict[str, object]], prof: YearProfile
) -> list[dict[str, object]]:
    """≈450 answers from the year's guided companies (one per sampled course)."""
    sample = rng.sample(courses, min(450 + rng.randint(-15, 15), len(courses)))
    rows = []
    for i, course in enumerate(sample, start=1):
        seg = 1 if rng.random() < 0.42 else 0  # 0 drift, 1 vækst
        start = course["startdato"]
        assert isinstance(start, date)
        answered = min(start + timedelta(days=rng.randint(20, 90)), date(year, 12, 31))
        r = rng.random()
        if r < 0.04:
            tilfredshed = None
        elif r < 0.08:
            tilfredshed = "Ved ikke"
        elif rng.random() < prof.very_satisfied[seg]:
            tilfredshed = "Meget tilfreds"
        else:
            tilfredshed = rng.choices(
                ("Tilfreds", "Hverken/eller", "Utilfreds", "Meget utilfreds"), (70, 20, 7, 3)
            )[0]
        p = rng.random()
        if rng.random() < 0.05:
            anbefaling = None
        elif p < prof.nps_promoters[seg]:
            anbefaling = rng.choice((9, 10))
        elif p < prof.nps_promoters[seg] + prof.nps_detractors[seg]:
            anbefaling = rng.randint(2, 6)
        else:
            anbefaling = rng.choice((7, 8))
        digital = course["fagomraade"] == "Digitalisering og automatisering" or rng.random() < 0.2
        high = prof.digital_high_effect if digital else prof.high_effect
        effekt = (
            "Ved ikke"
            if rng.random() < 0.05
            else (
                "I høj grad"
                if rng.random() < high
                else rng.choice(("I nogen grad", "I nogen grad", "I lav grad", "Slet ikke"))
            )
        )
        referred = bool(course["henvist_til_ekstern"]) or rng.random() < 0.1
        used = (rng.random() < prof.referral_used) if referred and rng.random() > 0.05 else None
        rows.append(
            {
                "svar_id": f"BE-{year}-{i:04d}",
                "cvr": course["cvr"],
                "kommunekode": course["kommunekode"],
                "segment": ("Drift", "Vækst")[seg],
                "besvarelsesdato": answered,
                "tilfredshed": tilfredshed,
                "anbefaling": anbefaling,
                "forventet_effekt": effekt,
                "digitaliseringsvejledning": digital,
                "modtaget_henvisning": referred,
                "benyttet_henvisning": used if referred else None,
            }
        )
    return rows


def _awareness(
    rng: random.Random, year: int, codes: list[int], weights: list[int], prof: YearProfile
) -> pl.DataFrame:
    assert prof.awareness is not None and prof.green_awareness is not None
    rows = []
    for i in range(1, 1001):
        knows = rng.random() < prof.awareness
        rows.append(
            {
                "respondent_id": f"KM-{year}-{i:04d}",
                "kommunekode": rng.choices(codes, weights)[0],
                "maaleaar": year,
                "kender_erhvervshuset": knows,
                "kender_groenne_ydelser": (rng.random() < prof.green_awareness) if knows else None,
                "vaegt": round(rng.uniform(0.6, 1.6), 3),
            }
        )
    return pl.DataFrame(rows)


# Activity states per year: (goal, activity_id) → status; date is set by the loader.
ACTIVITY_PLAN: dict[int, dict[str, str]] = {
    2021: {"*": "Gennemført"},
    2022: {"*": "Gennemført", "m9_klynger": "I gang", "m10_react": "I gang"},
    2023: {
        "*": "Gennemført",
        "m10_klimaambition": "Ikke startet",
        "m8_statslige_prioriteringer": "I gang",
    },
}

COMMENTS: dict[int, dict[int, str]] = {
    2022: {
        3: 'Vækstsegmentet ligger under målet for "Meget tilfreds". Der er iværksat kompetenceudvikling '
        "af forretningsudviklerne og opfølgning på evalueringerne pr. kvartal.",
        11: "Antallet af unikke virksomheder er nået. Vækst- og driftsforløb ligger under 350, fordi flere "
        "virksomheder har haft behov for korte forløb i efterdønningerne af corona.",
    },
    2023: {
        1: "Kendskabskampagnen fra 2022 ser ud til at have virket: kendskabsgraden er over 50 pct."
    },
}
