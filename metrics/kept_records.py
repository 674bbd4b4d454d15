"""KPI cells from records kept by hand: activity checklists and Mål 6 control-group figures.

Both are house-level (no municipal or segment breakdown). Grain: one row per year.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from metrics import jobs
from metrics.params import ControlGroupParams

if TYPE_CHECKING:
    from metrics.contract import Contract, Kpi

CONTROL_GROUP_CRITERIA = 3  # Mål 6: extra revenue growth, extra employment, productivity


def checklist_cells(
    activities: pl.LazyFrame, periods: pl.LazyFrame, kpi: Kpi, contracts: Mapping[int, Contract]
) -> pl.LazyFrame:
    """Percent of the checklist's activities done; projected 100 when none is "Ikke startet"."""
    wanted = pl.LazyFrame(
        [
            {"year": y, "activity_id": a.id}
            for y, c in contracts.items()
            for a in c.activities(c.kpi(kpi.id))
            if kpi.id in {k.id for k in c.kpis}
        ],
        schema={"year": pl.Int32, "activity_id": pl.String},
    ).join(periods.select("year"), on="year")
    latest = jobs.latest_activity_status(activities, periods)
    joined = wanted.join(
        latest.select("year", "activity_id", "status"), on=["year", "activity_id"], how="left"
    )
    agg = joined.group_by("year").agg(
        (pl.col("status") == "Gennemført").sum().cast(pl.Float64).alias("numerator"),
        pl.len().alias("n"),
        pl.col("status").is_not_null().any().alias("reported"),
        ((pl.col("status") == "Ikke startet") | pl.col("status").is_null()).any().alias("behind"),
    )
    value = pl.col("numerator") / pl.col("n") * 100.0
    return agg.select(
        "year",
        pl.lit(None, pl.Int32).alias("kommune"),
        pl.lit(None, pl.String).alias("segment"),
        "numerator",
        "n",
        pl.when(pl.col("reported")).then(value).alias("value"),
        pl.when(pl.col("reported"))
        .then(pl.when(pl.col("behind")).then(value).otherwise(100.0))
        .alias("projected"),
    ).pipe(jobs._finish)


def control_group_cells(
    control_group: pl.LazyFrame, periods: pl.LazyFrame, params: ControlGroupParams
) -> pl.LazyFrame:
    """Mål 6 delmål 2 and 3: percent of the three criteria met, from the latest entered figures."""
    latest = (
        control_group.join(periods.select("year", "known_by"), on="year")
        .filter(pl.col("entered_date") <= pl.col("known_by"))
        .group_by("year")
        .agg(pl.col("revenue_pp", "employment_pp", "productivity_effect").last())
    )
    checks = [
        pl.col("revenue_pp") >= params.revenue_pp_min,
        pl.col("employment_pp") >= params.employment_pp_min,
        pl.col("productivity_effect") > params.productivity_min,
    ]
    assert len(checks) == CONTROL_GROUP_CRITERIA
    entered = pl.sum_horizontal([c.is_not_null().cast(pl.Int64) for c in checks])
    met = pl.sum_horizontal([c.fill_null(False).cast(pl.Float64) for c in checks])
    value = pl.when(entered > 0).then(met / len(checks) * 100.0)
    return latest.select(
        "year",
        pl.lit(None, pl.Int32).alias("kommune"),
        pl.lit(None, pl.String).alias("segment"),
        met.alias("numerator"),
        entered.alias("n"),
        value.alias("value"),
        value.alias("projected"),
    ).pipe(jobs._finish)
