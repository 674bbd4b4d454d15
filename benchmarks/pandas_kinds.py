"""The KPI kinds in idiomatic pandas, one function per kind (see ``pandas_kpis``)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import partial

import numpy as np
import pandas as pd
from pandas_prep import (
    ALL_KOMMUNER,
    ALL_SEGMENTS,
    Prepared,
    as_cells,
    param,
    ratio,
    scoped,
    wilson,
)

from metrics.contract import Cells, Contract, Kpi, KpiKind

# --- the KPI kinds ------------------------------------------------------------------------


def survey_share(prep: Prepared, kpi: Kpi, confidence: float) -> pd.DataFrame:
    p = partial(param, kpi)
    df = prep.answers
    col = p("column")
    if p("filter_column") is not None:
        df = df[df[p("filter_column")] == p("filter_value")]
    answered = df[col].notna() & ~df[col].isin(list(p("excluded", ())))
    df = df.loc[answered.fillna(False)]
    df = df.assign(positive=df[col].isin(list(p("positive"))).astype("float64"))
    agg = scoped(
        df,
        {"numerator": ("positive", "sum"), "n": ("positive", "size")},
        segments=kpi.cells is Cells.SEGMENT,
    )
    agg["value"] = ratio(agg["numerator"], agg["n"])
    agg["ci_low"], agg["ci_high"] = wilson(agg["numerator"] / agg["n"], agg["n"], confidence)
    agg["projected"] = agg["value"]
    return as_cells(agg)


def net_promoter_score(prep: Prepared, kpi: Kpi) -> pd.DataFrame:
    p = partial(param, kpi)
    df = prep.answers
    score = df[p("column")]
    df = df.loc[score.between(0, 10).fillna(False)]
    score = df[p("column")]
    df = df.assign(
        score=np.select([score >= p("promoter_min"), score <= p("detractor_max")], [1.0, -1.0], 0.0)
    )
    agg = scoped(
        df,
        {"numerator": ("score", "sum"), "n": ("score", "size")},
        segments=kpi.cells is Cells.SEGMENT,
    )
    agg["value"] = agg["numerator"] / agg["n"] * 100.0
    agg["projected"] = agg["value"]
    return as_cells(agg)


def weighted_share(prep: Prepared, kpi: Kpi, confidence: float) -> pd.DataFrame:
    p = partial(param, kpi)
    df = prep.respondents
    col = p("column")
    df = df[df[col].notna()]
    if p("filter_column") is not None:
        df = df[(df[p("filter_column")] == p("filter_value")).fillna(False)]
    w = df[p("weight_column")].fillna(1.0) if p("weight_column") else pd.Series(1.0, df.index)
    w = w.astype("float64")
    df = df.assign(w=w, w2=w * w, wx=w * df[col].astype("float64"))
    agg = scoped(
        df,
        {"numerator": ("wx", "sum"), "n": ("w", "size"), "sw": ("w", "sum"), "sw2": ("w2", "sum")},
        segments=False,
    )
    n_eff = agg["sw"] ** 2 / agg["sw2"]
    agg["value"] = ratio(agg["numerator"], agg["sw"])
    agg["ci_low"], agg["ci_high"] = wilson(agg["numerator"] / agg["sw"], n_eff, confidence)
    agg["projected"] = agg["value"]
    return as_cells(agg)


def new_company_share(prep: Prepared, kpi: Kpi, confidence: float) -> pd.DataFrame:
    """Share of the year's unique CVR not guided in the ``lookback_years`` before (per scope)."""
    lookback = int(param(kpi, "lookback_years"))
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
    agg["value"] = ratio(agg["numerator"], den)
    # No previous year → no share and no interval (p is undefined).
    agg["ci_low"], agg["ci_high"] = wilson(
        agg["numerator"] / den.where(den > 0), agg["n"], confidence
    )
    agg["projected"] = agg["value"]
    return as_cells(agg)


def kommune_coverage(prep: Prepared) -> pd.DataFrame:
    agg = scoped(
        prep.courses,
        {"numerator": ("kommune", "nunique"), "n": ("kommune", "size")},
        segments=False,
    )
    agg["numerator"] = agg["numerator"].astype("float64")
    agg["value"] = agg["numerator"]
    agg["segment"] = ALL_SEGMENTS
    return as_cells(agg)


def kommune_share(prep: Prepared) -> pd.DataFrame:
    """Each municipality's share of the house's unique guided companies (a census: no
    interval; no target, the status says whether the municipality has any)."""
    courses = prep.courses
    per = courses.groupby(["year", "kommune"], sort=False)["cvr"].nunique().rename("k")
    total = courses.groupby("year")["cvr"].nunique().rename("total")
    agg = per.reset_index().merge(total.reset_index(), on="year")
    agg["numerator"] = agg["k"].astype("float64")
    agg["n"] = agg["k"]
    agg["segment"] = ALL_SEGMENTS
    agg["value"] = agg["numerator"] / agg["total"] * 100.0
    return as_cells(agg)


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


def counts(prep: Prepared, kpi: Kpi) -> pd.DataFrame:
    """Unique companies or courses so far, projected to year end with the quarter profile."""
    categories = param(kpi, "categories")
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
    return as_cells(agg)


def checklist(
    prep: Prepared, kpi: Kpi, years: Sequence[int], contracts: Mapping[int, Contract]
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
    return as_cells(agg)


def control_group(prep: Prepared, kpi: Kpi, years: Sequence[int]) -> pd.DataFrame:
    cg = prep.inputs.control_group
    cg = cg[cg["year"].isin(years) & (cg["entered_date"] <= cg["year"].map(prep.known_by))]
    latest = cg.groupby("year").tail(1).set_index("year")  # rows in entry order
    checks = pd.DataFrame(
        {
            "r": latest["revenue_pp"] >= param(kpi, "revenue_pp_min"),
            "e": latest["employment_pp"] >= param(kpi, "employment_pp_min"),
            "p": latest["productivity_effect"] > param(kpi, "productivity_min"),
        }
    )
    present = latest[["revenue_pp", "employment_pp", "productivity_effect"]].notna().to_numpy()
    entered = present.sum(axis=1)
    met = (checks.to_numpy(dtype=bool) & present).sum(axis=1).astype("float64")
    out = pd.DataFrame({"year": latest.index, "numerator": met, "n": entered})
    out["value"] = (out["numerator"] / 3 * 100.0).where(out["n"] > 0)
    out = out.assign(kommune=ALL_KOMMUNER, segment=ALL_SEGMENTS, projected=out["value"])
    return as_cells(out)
