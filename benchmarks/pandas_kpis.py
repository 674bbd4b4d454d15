"""The contract KPIs written in idiomatic pandas, as a baseline and a cross-check of the engine.

:func:`compute_kpis_pandas` computes the same cells as ``metrics.engine.compute_kpis`` (every
year × KPI × kommune × segment of the grid) with vectorised ``groupby``/``agg``/``merge`` — no
row loops over the data. It is written independently from the contract and SPEC §3/§7, reading
the Polars jobs only for the documented conventions (as-of windows, totals from rows,
suppression below ``min_n``, zero counts for CRM KPIs of a year with CRM data, the quarter
profile projection of counts).

:func:`cross_check` compares its result with the engine's cell by cell. Run this module to
cross-check at one size (``python benchmarks/pandas_kpis.py [--size 10000]``).

Internally the total over all municipalities is kommune ``0`` and "both segments" is segment
``""`` (so merges need no null-key semantics); the result uses nulls like the engine.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import synthetic

from data.periods import Quarter
from data.reference import erhvervshus
from metrics.contract import COUNT_KINDS, Cells, Contract, Kpi, KpiKind, contract_for
from metrics.engine import Kommuner, compute_kpis, inputs_from_frames

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
]
HOUSE_LEVEL = {KpiKind.CHECKLIST, KpiKind.CONTROL_GROUP}
SUPPRESSIBLE = {KpiKind.SURVEY_SHARE, KpiKind.NPS, KpiKind.WEIGHTED_SHARE, KpiKind.NEW_SHARE}
ZERO_WHEN_NO_ROWS = {
    KpiKind.COVERAGE,
    KpiKind.KOMMUNE_SHARE,
    KpiKind.UNIQUE_COUNT,
    KpiKind.COURSE_COUNT,
}
MONOTONIC = {*COUNT_KINDS, KpiKind.CHECKLIST, KpiKind.KOMMUNE_SHARE}
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


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator × 100 where the denominator is positive, else NaN."""
    den = denominator.astype("float64")
    return (numerator.astype("float64") / den.where(den > 0)) * 100.0


# --- shared preparation -------------------------------------------------------------------


class _Prepared:
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


def _scoped(
    df: pd.DataFrame, agg: Mapping[str, tuple[str, Any]], *, segments: bool
) -> pd.DataFrame:
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


def _cells(df: pd.DataFrame) -> pd.DataFrame:
    """Order as CELL_COLUMNS, adding missing ones as NaN."""
    return df.reindex(columns=CELL_COLUMNS)


# --- the KPI kinds ------------------------------------------------------------------------


def survey_share(prep: _Prepared, kpi: Kpi, confidence: float) -> pd.DataFrame:
    p = kpi.param
    df = prep.answers
    col = p("column")
    if p("filter_column") is not None:
        df = df[df[p("filter_column")] == p("filter_value")]
    answered = df[col].notna() & ~df[col].isin(list(p("excluded", ())))
    df = df.loc[answered.fillna(False)]
    df = df.assign(positive=df[col].isin(list(p("positive"))).astype("float64"))
    agg = _scoped(
        df,
        {"numerator": ("positive", "sum"), "n": ("positive", "size")},
        segments=kpi.cells is Cells.SEGMENT,
    )
    agg["value"] = _ratio(agg["numerator"], agg["n"])
    agg["ci_low"], agg["ci_high"] = wilson(agg["numerator"] / agg["n"], agg["n"], confidence)
    agg["projected"] = agg["value"]
    return _cells(agg)


def net_promoter_score(prep: _Prepared, kpi: Kpi) -> pd.DataFrame:
    p = kpi.param
    df = prep.answers
    score = df[p("column")]
    df = df.loc[score.between(0, 10).fillna(False)]
    score = df[p("column")]
    df = df.assign(
        score=np.select([score >= p("promoter_min"), score <= p("detractor_max")], [1.0, -1.0], 0.0)
    )
    agg = _scoped(
        df,
        {"numerator": ("score", "sum"), "n": ("score", "size")},
        segments=kpi.cells is Cells.SEGMENT,
    )
    agg["value"] = agg["numerator"] / agg["n"] * 100.0
    agg["projected"] = agg["value"]
    return _cells(agg)


def weighted_share(prep: _Prepared, kpi: Kpi, confidence: float) -> pd.DataFrame:
    p = kpi.param
    df = prep.respondents
    col = p("column")
    df = df[df[col].notna()]
    if p("filter_column") is not None:
        df = df[(df[p("filter_column")] == p("filter_value")).fillna(False)]
    w = df[p("weight_column")].fillna(1.0) if p("weight_column") else pd.Series(1.0, df.index)
    w = w.astype("float64")
    df = df.assign(w=w, w2=w * w, wx=w * df[col].astype("float64"))
    agg = _scoped(
        df,
        {"numerator": ("wx", "sum"), "n": ("w", "size"), "sw": ("w", "sum"), "sw2": ("w2", "sum")},
        segments=False,
    )
    n_eff = agg["sw"] ** 2 / agg["sw2"]
    agg["value"] = _ratio(agg["numerator"], agg["sw"])
    agg["ci_low"], agg["ci_high"] = wilson(agg["numerator"] / agg["sw"], n_eff, confidence)
    agg["projected"] = agg["value"]
    return _cells(agg)


def new_company_share(prep: _Prepared, kpi: Kpi, confidence: float) -> pd.DataFrame:
    """Share of the year's unique CVR not guided in the ``lookback_years`` before (per scope)."""
    lookback = int(kpi.param("lookback_years"))
    current = prep.courses[["year", "kommune", "cvr"]].drop_duplicates()
    hist = prep.course_history
    earlier = pd.concat(
        [hist[["kommunekode", "cvr"]].assign(year=hist["year"] + k) for k in range(1, lookback + 1)]
    ).rename(columns={"kommunekode": "kommune"})
    earlier = earlier.astype({"kommune": "int32", "year": "int32"})
    have_previous = set(earlier["year"].unique().tolist())
    parts = []
    for keys in (["year", "kommune", "cvr"], ["year", "cvr"]):
        cur = current[keys].drop_duplicates()
        old = earlier[keys].drop_duplicates()
        flagged = cur.merge(old, on=keys, how="left", indicator=True)
        flagged["new"] = (flagged["_merge"] == "left_only").astype("float64")
        group = keys[:-1]
        out = flagged.groupby(group, sort=False).agg(numerator=("new", "sum"), n=("new", "size"))
        out = out.reset_index()
        if "kommune" not in group:
            out["kommune"] = ALL_KOMMUNER
        parts.append(out)
    agg = pd.concat(parts, ignore_index=True).assign(segment=ALL_SEGMENTS)
    compared = agg["year"].isin(have_previous)
    den = agg["n"].astype("float64").where(compared, 0.0)
    agg["value"] = _ratio(agg["numerator"], den)
    # No previous year → no share and no interval (p is undefined).
    agg["ci_low"], agg["ci_high"] = wilson(
        agg["numerator"] / den.where(den > 0), agg["n"], confidence
    )
    agg["projected"] = agg["value"]
    return _cells(agg)


def kommune_coverage(prep: _Prepared) -> pd.DataFrame:
    agg = _scoped(
        prep.courses,
        {"numerator": ("kommune", "nunique"), "n": ("kommune", "size")},
        segments=False,
    )
    agg["numerator"] = agg["numerator"].astype("float64")
    agg["value"] = agg["numerator"]
    agg["segment"] = ALL_SEGMENTS
    return _cells(agg)


def kommune_share(prep: _Prepared, confidence: float) -> pd.DataFrame:
    courses = prep.courses
    per = courses.groupby(["year", "kommune"], sort=False)["cvr"].nunique().rename("k")
    total = courses.groupby("year")["cvr"].nunique().rename("total")
    agg = per.reset_index().merge(total.reset_index(), on="year")
    agg["numerator"] = agg["k"].astype("float64")
    agg["n"] = agg["k"]
    agg["segment"] = ALL_SEGMENTS
    p = agg["numerator"] / agg["total"]
    agg["value"] = p * 100.0
    agg["ci_low"], agg["ci_high"] = wilson(p, agg["total"], confidence)
    return _cells(agg)


def _quarter_counts(df: pd.DataFrame, keys: list[str], *, unique: bool) -> pd.DataFrame:
    """Count (courses, or companies in the quarter of their first course) and course rows per
    keys × quarter, over all four quarters, with cumulative sums over the quarters."""
    rows = df.groupby([*keys, "quarter"], sort=False).size().rename("rows")
    if unique:
        first = df.groupby([*keys, "cvr"], sort=False)["quarter"].min().reset_index()
        count = first.groupby([*keys, "quarter"], sort=False).size().rename("count")
    else:
        count = rows.rename("count")
    wide = pd.concat([count, rows], axis=1).fillna(0).unstack("quarter", fill_value=0)
    wide = wide.reindex(
        columns=pd.MultiIndex.from_product([["count", "rows"], [1, 2, 3, 4]]), fill_value=0
    )
    cum = wide["count"].cumsum(axis=1)
    cum_rows = wide["rows"].cumsum(axis=1)
    return pd.concat({"cum": cum, "cum_rows": cum_rows}, axis=1)


def counts(prep: _Prepared, kpi: Kpi) -> pd.DataFrame:
    """Unique companies or courses so far, projected to year end with the quarter profile."""
    categories = kpi.param("categories")
    unique = kpi.kind is KpiKind.UNIQUE_COUNT

    def in_categories(df: pd.DataFrame) -> pd.DataFrame:
        return df if categories is None else df[df["kategori"].isin(list(categories))]

    courses = in_categories(prep.courses)
    parts = []
    for keys in (["year", "kommune"], ["year"]):
        q = _quarter_counts(courses, keys, unique=unique)
        part = pd.DataFrame(
            {"numerator": q[("cum", 4)].astype("float64"), "n": q[("cum_rows", 4)].astype("int64")}
        ).reset_index()
        if "kommune" not in keys:
            part["kommune"] = ALL_KOMMUNER
        parts.append(part)
    agg = pd.concat(parts, ignore_index=True).assign(segment=ALL_SEGMENTS)
    agg["value"] = agg["numerator"]

    # Quarter profile of earlier complete years (house level, full calendar years).
    hist = _quarter_counts(in_categories(prep.course_history), ["year"], unique=unique)
    complete = (hist[("cum_rows", 4)] > hist[("cum_rows", 3)]) & (hist[("cum", 4)] > 0)
    reached = hist["cum"][complete].div(hist[("cum", 4)][complete], axis=0)  # year × quarter
    data_q = prep.courses.groupby("year")["quarter"].max()
    factor = {}
    for year in prep.data_end.index:
        q = data_q.get(year)
        if prep.year_over[year]:
            factor[year] = 1.0
            continue
        earlier = reached[reached.index < year]
        mean = earlier[int(q)].mean() if q is not None and len(earlier) else math.nan
        factor[year] = mean if mean > 0 else (q / 4.0 if q is not None else math.nan)
    f = agg["year"].map(factor).astype("float64")
    agg["projected"] = (agg["value"] / f).where(f > 0)
    return _cells(agg)


def checklist(
    prep: _Prepared, kpi: Kpi, years: Sequence[int], contracts: Mapping[int, Contract]
) -> pd.DataFrame:
    wanted = pd.DataFrame(
        [(y, a.id) for y in years for a in contracts[y].activities(contracts[y].kpi(kpi.id))],
        columns=["year", "activity_id"],
    )
    acts = prep.inputs.activities
    acts = acts[acts["status_date"] <= acts["year"].map(prep.data_end)]
    latest = acts.sort_values(["status_date", "changed_at"], kind="stable").drop_duplicates(
        ["year", "activity_id"], keep="last"
    )
    joined = wanted.merge(
        latest[["year", "activity_id", "status"]], how="left", on=["year", "activity_id"]
    )
    joined = joined.assign(
        done=(joined["status"] == "Gennemført").fillna(False).astype("float64"),
        reported=joined["status"].notna(),
        behind=(joined["status"] == "Ikke startet").fillna(False) | joined["status"].isna(),
    )
    agg = joined.groupby("year").agg(
        numerator=("done", "sum"),
        n=("done", "size"),
        reported=("reported", "any"),
        behind=("behind", "any"),
    )
    agg = agg.reset_index().assign(kommune=ALL_KOMMUNER, segment=ALL_SEGMENTS)
    value = agg["numerator"] / agg["n"] * 100.0
    agg["value"] = value.where(agg["reported"])
    agg["projected"] = value.where(agg["behind"], 100.0).where(agg["reported"])
    return _cells(agg)


def control_group(prep: _Prepared, kpi: Kpi, years: Sequence[int]) -> pd.DataFrame:
    cg = prep.inputs.control_group
    cg = cg[cg["year"].isin(years) & (cg["entered_date"] <= cg["year"].map(prep.known_by))]
    latest = cg.groupby("year").tail(1).set_index("year")  # rows in entry order
    checks = pd.DataFrame(
        {
            "r": latest["revenue_pp"] >= kpi.param("revenue_pp_min"),
            "e": latest["employment_pp"] >= kpi.param("employment_pp_min"),
            "p": latest["productivity_effect"] > kpi.param("productivity_min"),
        }
    )
    present = latest[["revenue_pp", "employment_pp", "productivity_effect"]].notna().to_numpy()
    entered = present.sum(axis=1)
    met = (checks.to_numpy(dtype=bool) & present).sum(axis=1).astype("float64")
    out = pd.DataFrame({"year": latest.index, "numerator": met, "n": entered})
    out["value"] = (out["numerator"] / 3 * 100.0).where(out["n"] > 0)
    out = out.assign(kommune=ALL_KOMMUNER, segment=ALL_SEGMENTS, projected=out["value"])
    return _cells(out)


# --- the engine ---------------------------------------------------------------------------


def _group_kpis(
    contracts: Mapping[int, Contract], as_of: Mapping[int, Quarter]
) -> list[tuple[Kpi, list[int]]]:
    """KPIs with identical definitions across years are computed once for those years."""
    groups: dict[tuple[str, str, str], tuple[Kpi, list[int]]] = {}
    for year in sorted(as_of):
        for kpi in contracts[year].kpis:
            key = (kpi.id, str(kpi.kind), repr(sorted(kpi.params.items())))
            groups.setdefault(key, (kpi, []))[1].append(year)
    return list(groups.values())


def _kpi_cells(
    prep: _Prepared, kpi: Kpi, years: list[int], contracts: Mapping[int, Contract]
) -> pd.DataFrame:
    confidence = contracts[years[0]].confidence
    match kpi.kind:
        case KpiKind.SURVEY_SHARE:
            cells = survey_share(prep, kpi, confidence)
        case KpiKind.NPS:
            cells = net_promoter_score(prep, kpi)
        case KpiKind.WEIGHTED_SHARE:
            cells = weighted_share(prep, kpi, confidence)
        case KpiKind.NEW_SHARE:
            cells = new_company_share(prep, kpi, confidence)
        case KpiKind.COVERAGE:
            cells = kommune_coverage(prep)
        case KpiKind.KOMMUNE_SHARE:
            cells = kommune_share(prep, confidence)
        case KpiKind.UNIQUE_COUNT | KpiKind.COURSE_COUNT:
            cells = counts(prep, kpi)
        case KpiKind.CHECKLIST:
            cells = checklist(prep, kpi, years, contracts)
        case KpiKind.CONTROL_GROUP:
            cells = control_group(prep, kpi, years)
        case _:  # pragma: no cover
            raise AssertionError(kpi.kind)
    return cells[cells["year"].isin(years)].assign(kpi=kpi.id)


def _target(kpi: Kpi, kommune: int, kommuner: Kommuner) -> float:
    total = kommune == ALL_KOMMUNER
    if kpi.target_all_kommuner:
        return float(len(kommuner.funding)) if total else 1.0
    if kpi.target is None:
        return math.nan
    if total or kpi.kind not in COUNT_KINDS:
        return kpi.target
    if kpi.param("kommune_target", "none") == "funding_share":
        return round(kpi.target * kommuner.funding[kommune] / sum(kommuner.funding.values()), 1)
    return math.nan


def _grid(
    contracts: Mapping[int, Contract], years: Sequence[int], kommuner: Kommuner
) -> pd.DataFrame:
    codes = sorted(kommuner.funding)
    rows = []
    for year in years:
        contract = contracts[year]
        for kpi in contract.kpis:
            if kpi.cells is Cells.KOMMUNE:
                scopes = codes
            elif kpi.kind in HOUSE_LEVEL:
                scopes = [ALL_KOMMUNER]
            else:
                scopes = [ALL_KOMMUNER, *codes]
            segments = [ALL_SEGMENTS, *SEGMENTS] if kpi.cells is Cells.SEGMENT else [ALL_SEGMENTS]
            rows += [
                (
                    year,
                    kpi.goal,
                    kpi.id,
                    str(kpi.kind),
                    k,
                    s,
                    _target(kpi, k, kommuner),
                    contract.min_n,
                )
                for k in scopes
                for s in segments
            ]
    return pd.DataFrame(
        rows, columns=["year", "goal", "kpi", "kind", "kommune", "segment", "target", "min_n"]
    )


def _status(
    value: pd.Series,
    target: pd.Series,
    projected: pd.Series,
    year_over: pd.Series,
    monotonic: pd.Series,
) -> pd.Series:
    met = value.round(1) >= target
    return pd.Series(
        np.select(
            [value.isna(), met & (year_over | monotonic), year_over, projected.round(1) >= target],
            ["Afventer data", "Opfyldt", "Ikke opfyldt", "På vej"],
            "I risiko",
        ),
        index=value.index,
    )


def compute_kpis_pandas(
    inputs: PandasInputs,
    contracts: Mapping[int, Contract],
    *,
    as_of: Mapping[int, Quarter],
    kommuner: Kommuner,
    explicit_as_of: bool = False,
) -> pd.DataFrame:
    """Every KPI cell of every year in ``as_of``, like ``metrics.engine.compute_kpis``."""
    prep = _Prepared(inputs, as_of, explicit=explicit_as_of)
    groups = _group_kpis(contracts, as_of)
    parts = [_kpi_cells(prep, kpi, years, contracts) for kpi, years in groups]
    cells = pd.concat(parts, ignore_index=True)
    cells = cells.astype({"year": "int64", "kommune": "int64", "segment": "str"})
    grid = _grid(contracts, sorted(as_of), kommuner)
    df = grid.merge(cells, on=KEYS, how="left", validate="one_to_one")

    kind = df["kind"]
    has_crm = df["year"].isin(prep.crm_years)
    zero = kind.isin([str(k) for k in ZERO_WHEN_NO_ROWS]) & has_crm
    for col in ("value", "n", "numerator"):
        df[col] = df[col].astype("float64").mask(zero & df[col].isna(), 0.0)
    df["projected"] = df["projected"].fillna(df["value"])
    n0 = df["n"].fillna(0)
    suppress = kind.isin([str(k) for k in SUPPRESSIBLE]) & (n0 < df["min_n"])
    df["suppressed"] = suppress & (n0 > 0)
    for col in ("value", "ci_low", "ci_high", "projected"):
        df[col] = df[col].mask(suppress)
    is_share = kind == str(KpiKind.KOMMUNE_SHARE)
    year_over = df["year"].map(prep.year_over).astype(bool)
    df["status"] = _status(
        value=df["numerator"].where(is_share, df["value"]).mask(df["value"].isna()),
        target=df["target"].mask(is_share, 1.0),
        projected=df["numerator"].where(is_share, df["projected"]),
        year_over=year_over,
        monotonic=kind.isin([str(k) for k in MONOTONIC]),
    )
    df["n"] = df["n"].astype("Int64")
    df["kommune"] = df["kommune"].astype("Int64").mask(df["kommune"] == ALL_KOMMUNER)
    df["segment"] = df["segment"].mask(df["segment"] == ALL_SEGMENTS)
    return df[RESULT_COLUMNS].sort_values(
        ["year", "goal", "kpi", "kommune", "segment"], na_position="first", ignore_index=True
    )


# --- cross-check against the Polars engine ------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckReport:
    cells: int
    matching: dict[str, int]
    mismatching: dict[str, int]
    only_polars: int
    only_pandas: int
    examples: pl.DataFrame

    def ok(self, column: str = "value") -> bool:
        return self.mismatching[column] == 0 and self.only_polars == self.only_pandas == 0


def _same(a: pl.Expr, b: pl.Expr, tol: float) -> pl.Expr:
    """Equal within ``tol``; null equals null; NaN equals only NaN (so a NaN is reported)."""
    return (
        pl.when(a.is_null() | b.is_null())
        .then(a.is_null() & b.is_null())
        .when(a.is_nan() | b.is_nan())
        .then(a.is_nan() & b.is_nan())
        .otherwise((a - b).abs() <= tol)
    )


def cross_check(
    polars_result: pl.DataFrame, pandas_result: pd.DataFrame, *, tol: float = 1e-9
) -> CheckReport:
    """Compare the cells of both results on year × kpi × kommune × segment."""
    pd_pl = pl.from_pandas(pandas_result).with_columns(
        pl.col("year").cast(pl.Int32),
        pl.col("kommune").cast(pl.Int32),
        pl.col("n").cast(pl.Int64),
        pl.col("suppressed").cast(pl.Boolean),
    )
    numeric = ["value", "n", "ci_low", "ci_high", "projected", "numerator", "target"]
    other = ["status", "suppressed"]
    left = polars_result.select(KEYS + numeric + other)
    right = pd_pl.select(KEYS + numeric + other)
    both = left.join(right, on=KEYS, how="inner", nulls_equal=True, suffix="_pd")
    only_polars = left.join(right, on=KEYS, how="anti", nulls_equal=True).height
    only_pandas = right.join(left, on=KEYS, how="anti", nulls_equal=True).height
    flags = [
        _same(pl.col(c).cast(pl.Float64), pl.col(f"{c}_pd").cast(pl.Float64), tol).alias(c)
        for c in numeric
    ] + [pl.col(c).eq_missing(pl.col(f"{c}_pd")).alias(c) for c in other]
    ok = both.select(flags)
    matching = {c: int(ok[c].sum()) for c in ok.columns}
    mismatching = {c: both.height - matching[c] for c in ok.columns}
    examples = pl.concat([both, ok.rename(lambda c: f"ok_{c}")], how="horizontal").filter(
        pl.any_horizontal([~pl.col(f"ok_{c}") for c in ok.columns])
    )
    return CheckReport(both.height, matching, mismatching, only_polars, only_pandas, examples)


def print_report(report: CheckReport) -> None:
    print(
        f"cross-check on {report.cells} common cells "
        f"(only in Polars: {report.only_polars}, only in pandas: {report.only_pandas})"
    )
    for col in report.matching:
        print(
            f"  {col:<11} matching {report.matching[col]:>5}   "
            f"mismatching {report.mismatching[col]:>5}"
        )
    if report.examples.height:
        with pl.Config(tbl_rows=30, tbl_cols=12, tbl_width_chars=220):
            cols = [
                "year",
                "kpi",
                "kommune",
                "segment",
                "value",
                "value_pd",
                "ci_low",
                "ci_low_pd",
                "projected",
                "projected_pd",
                "status",
                "status_pd",
            ]
            print(report.examples.select(cols))


def run_cross_check(
    size: int, *, as_of_last: Quarter | None = None, seed: int = 20240601
) -> CheckReport:
    """Generate ``size`` courses, run both engines in memory and compare the cells."""
    data = synthetic.generate(size, seed=seed)
    years = synthetic.YEARS
    contracts = {y: contract_for(y) for y in years}
    as_of = {y: Quarter(y, 4) for y in years}
    if as_of_last is not None:
        as_of[years[-1]] = as_of_last
    kommuner = Kommuner(funding={k.kode: k.basisbevilling for k in erhvervshus().kommuner})
    frames = list(data.frames().values())
    polars_result = compute_kpis(
        inputs_from_frames(frames), contracts, as_of=as_of, kommuner=kommuner
    ).collect()
    pandas_result = compute_kpis_pandas(
        from_polars(data.frames()), contracts, as_of=as_of, kommuner=kommuner
    )
    return cross_check(polars_result, pandas_result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument(
        "--as-of-last",
        default=None,
        help="as-of quarter of the last year, e.g. 2023Q2 (default Q4)",
    )
    args = parser.parse_args()
    last = Quarter.parse(args.as_of_last) if args.as_of_last else None
    print_report(run_cross_check(args.size, as_of_last=last))


if __name__ == "__main__":
    main()
