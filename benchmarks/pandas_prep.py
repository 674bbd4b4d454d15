"""Inputs, statistics and the shared preparation of the pandas KPIs (see ``pandas_kpis``).

Internally the total over all municipalities is kommune ``0`` and "both segments" is segment
``""`` (so merges need no null-key semantics); the result uses nulls like the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

from data.periods import Quarter
from metrics.contract import Kpi, KpiKind

ALL_KOMMUNER = 0
ALL_SEGMENTS = ""
SEGMENTS = ("drift", "vækst")
KEYS = ["year", "kpi", "kommune", "segment"]
CELL_COLUMNS = [
    "year",
    "kommune",
    "segment",
    "numerator",
    "n",
    "value",
    "ci_low",
    "ci_high",
    "projected",
]
RESULT_COLUMNS = [
    "year",
    "goal",
    "kpi",
    "kind",
    "kommune",
    "segment",
    "value",
    "n",
    "ci_low",
    "ci_high",
    "target",
    "status",
    "numerator",
    "projected",
    "suppressed",
    "secondary",
]
HOUSE_LEVEL = {KpiKind.CHECKLIST, KpiKind.CONTROL_GROUP}
SUPPRESSIBLE = {KpiKind.SURVEY_SHARE, KpiKind.NPS, KpiKind.WEIGHTED_SHARE, KpiKind.NEW_SHARE}
# estimated from a sample: the only kinds shown with an interval
SAMPLE = {KpiKind.SURVEY_SHARE, KpiKind.NPS, KpiKind.WEIGHTED_SHARE}
PRESENCE_STATUS = {KpiKind.KOMMUNE_SHARE}  # no target: the status says whether there is any
ZERO_WHEN_NO_ROWS = {
    KpiKind.COVERAGE,
    KpiKind.KOMMUNE_SHARE,
    KpiKind.UNIQUE_COUNT,
    KpiKind.COURSE_COUNT,
}
COUNTS = {KpiKind.COVERAGE, KpiKind.UNIQUE_COUNT, KpiKind.COURSE_COUNT}
MONOTONIC = {*COUNTS, KpiKind.CHECKLIST, KpiKind.KOMMUNE_SHARE}
FAR_FUTURE = np.datetime64("9999-12-31", "ms")
DATE_COLUMNS = {
    "forloeb": ("startdato", "slutdato"),
    "brugerevaluering": ("besvarelsesdato",),
    "kendskab": ("maaledato",),
    "activities": ("status_date",),
    "control_group": ("entered_date",),
}


@dataclass(frozen=True, slots=True)
class PandasInputs:
    """The five inputs as pandas frames (same columns as the engine's ``KpiInputs``)."""

    forloeb: pd.DataFrame
    brugerevaluering: pd.DataFrame
    kendskab: pd.DataFrame
    activities: pd.DataFrame
    control_group: pd.DataFrame


def read_parquet_inputs(paths: Mapping[str, Path]) -> PandasInputs:
    """Read the five Parquet files: nullable dtypes, dates as ``datetime64`` (not objects)."""
    frames = {
        f.name: pd.read_parquet(
            paths[f.name],
            dtype_backend="numpy_nullable",
            to_pandas_kwargs={"date_as_object": False},
        )
        for f in fields(PandasInputs)
    }
    return PandasInputs(**frames)


def from_polars(frames: Mapping[str, pl.DataFrame]) -> PandasInputs:
    """Convert in-memory Polars frames (for tests without files)."""
    out = {}
    for f in fields(PandasInputs):
        df = frames[f.name].to_pandas(use_pyarrow_extension_array=False)
        for col in DATE_COLUMNS[f.name]:
            df[col] = pd.to_datetime(df[col])
        out[f.name] = df
    return PandasInputs(**out)


# --- statistics ---------------------------------------------------------------------------


def wilson(p: pd.Series, n: pd.Series, confidence: float) -> tuple[pd.Series, pd.Series]:
    """Wilson bounds in percent; NaN where n is 0/missing or p undefined."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    z2 = z * z
    n = n.astype("float64")
    p = p.astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1.0 + z2 / n
        centre = (p + z2 / (2.0 * n)) / denom
        half = z * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom
    valid = (n > 0) & p.between(0.0, 1.0)
    low = ((centre - half).clip(0.0, 1.0) * 100.0).where(valid)
    high = ((centre + half).clip(0.0, 1.0) * 100.0).where(valid)
    return low, high


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator × 100 where the denominator is positive, else NaN."""
    den = denominator.astype("float64")
    return (numerator.astype("float64") / den.where(den > 0)) * 100.0


# --- shared preparation -------------------------------------------------------------------


class Prepared:
    """The rows in each year's as-of window, prepared once and shared by the KPIs."""

    def __init__(self, inputs: PandasInputs, as_of: Mapping[int, Quarter], *, explicit: bool):
        self.inputs = inputs
        years = sorted(as_of)
        self.data_end = pd.Series(
            [np.datetime64(as_of[y].end, "ms") for y in years], index=years, dtype="datetime64[ms]"
        )
        self.known_by = pd.Series(
            [np.datetime64(as_of[y].end, "ms") if explicit else FAR_FUTURE for y in years],
            index=years,
            dtype="datetime64[ms]",
        )
        self.year_over = pd.Series(
            [as_of[y].q == 4 and as_of[y].year == y for y in years], index=years
        )
        self.as_of = {y: str(q) for y, q in as_of.items()}

    def window(self, df: pd.DataFrame, date_col: str, year: pd.Series) -> pd.DataFrame:
        """Rows whose year is asked for and dated up to that year's as-of quarter end."""
        end = year.map(self.data_end)
        return df.assign(year=year.astype("int32"))[df[date_col] <= end]

    @cached_property
    def courses(self) -> pd.DataFrame:
        f = self.inputs.forloeb
        out = self.window(f, "startdato", f["startdato"].dt.year)
        return out.assign(
            kommune=out["kommunekode"].astype("int32"),
            quarter=out["startdato"].dt.quarter.astype("int8"),
        )

    @cached_property
    def crm_years(self) -> set[int]:
        return set(self.courses["year"].unique().tolist())

    @cached_property
    def answers(self) -> pd.DataFrame:
        a = self.inputs.brugerevaluering
        out = self.window(a, "besvarelsesdato", a["besvarelsesdato"].dt.year)
        return out.assign(
            kommune=out["kommunekode"].astype("int32"), segment=out["segment"].str.lower()
        )

    @cached_property
    def respondents(self) -> pd.DataFrame:
        k = self.inputs.kendskab
        out = self.window(k, "maaledato", k["maaleaar"])
        return out.assign(kommune=out["kommunekode"].astype("int32"))

    @cached_property
    def course_history(self) -> pd.DataFrame:
        """Every course with its calendar year and quarter (full years, for profiles)."""
        f = self.inputs.forloeb
        return f.assign(
            year=f["startdato"].dt.year.astype("int32"),
            quarter=f["startdato"].dt.quarter.astype("int8"),
        )


def scoped(df: pd.DataFrame, agg: Mapping[str, tuple[str, Any]], *, segments: bool) -> pd.DataFrame:
    """Named aggregation per year × kommune (× segment) and for the totals, from the rows."""
    parts = []
    for per_kommune in (True, False):
        for per_segment in (True, False) if segments else (False,):
            keys = (
                ["year"]
                + (["kommune"] if per_kommune else [])
                + (["segment"] if per_segment else [])
            )
            part = df.groupby(keys, sort=False, observed=True, dropna=False).agg(**agg)
            part = part.reset_index()
            if not per_kommune:
                part["kommune"] = ALL_KOMMUNER
            if not per_segment:
                part["segment"] = ALL_SEGMENTS
            parts.append(part)
    return pd.concat(parts, ignore_index=True)


def as_cells(df: pd.DataFrame) -> pd.DataFrame:
    """Order as CELL_COLUMNS, adding missing ones as NaN."""
    return df.reindex(columns=CELL_COLUMNS)


def param(kpi: Kpi, name: str, default: Any = None) -> Any:
    """A parameter of the KPI's typed parameters by name (the oracle reads them by name)."""
    return getattr(kpi.params, name, default)
