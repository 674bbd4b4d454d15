"""Projection of count KPIs to year end from the quarters uploaded so far.

The quarterly profile of earlier complete years (share of the year's count reached by the end
of each quarter, averaged over those years) scales the count so far; without earlier years the
projection is linear (count so far × 4 / quarters covered).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from metrics import jobs
from metrics.crm import CrmTables, course_totals, course_volume


def quarterly_profile(history: pl.LazyFrame) -> pl.LazyFrame:
    """Per earlier complete year and quarter, the share of the year's count reached.

    ``history`` is :func:`metrics.crm.course_volume` over full years. Grain: year × quarter,
    house level only. A year counts as complete when it has courses in its fourth quarter.
    """
    house = history.filter(pl.col("kommune").is_null())
    complete = (
        house.filter(pl.col("quarter") == 4)
        .join(
            house.filter(pl.col("quarter") == 3).select(
                "year", pl.col("cum_rows").alias("rows_q3")
            ),
            on="year",
        )
        .filter(pl.col("cum_rows") > pl.col("rows_q3"), pl.col("cum") > 0)
        .select("year", pl.col("cum").alias("total"))
    )
    return house.join(complete, on="year").select(
        "year", "quarter", (pl.col("cum") / pl.col("total")).alias("reached")
    )


def project_counts(
    totals: pl.LazyFrame, history: pl.LazyFrame, periods: pl.LazyFrame, covered: pl.LazyFrame
) -> pl.LazyFrame:
    """Cells (CELL_SCHEMA) with the count so far as ``value`` and the year-end projection.

    ``totals``: :func:`metrics.crm.course_totals` of the window. ``covered``: per year,
    ``data_q`` = the last quarter with course data in the window.
    """
    profile = quarterly_profile(history)
    # For each asked year, the mean profile of the complete years before it.
    per_year = (
        periods.select("year", "year_over")
        .join(covered, on="year", how="left")
        .join(profile.rename({"year": "earlier"}), how="cross")
        .filter(pl.col("earlier") < pl.col("year"), pl.col("quarter") == pl.col("data_q"))
        .group_by("year")
        .agg(pl.col("reached").mean().alias("reached"))
    )
    factor = (
        periods.select("year", "year_over")
        .join(covered, on="year", how="left")
        .join(per_year, on="year", how="left")
        .with_columns(
            reached=pl.when(pl.col("year_over"))
            .then(1.0)
            .when(pl.col("reached") > 0)
            .then(pl.col("reached"))
            .otherwise(pl.col("data_q").cast(pl.Float64) / 4.0)
        )
        .select("year", "reached")
    )
    return jobs._finish(
        _so_far(totals)
        .join(factor, on="year", how="left")
        .with_columns(
            projected=pl.when(pl.col("reached") > 0).then(pl.col("value") / pl.col("reached"))
        )
    )


def _so_far(totals: pl.LazyFrame) -> pl.LazyFrame:
    """The count so far as a cell's ``value`` (and ``numerator``), the courses as ``n``."""
    return totals.select(
        "year",
        "kommune",
        pl.lit(None, pl.String).alias("segment"),
        pl.col("cum").cast(pl.Float64).alias("numerator"),
        pl.col("cum_rows").cast(pl.Int64).alias("n"),
        pl.col("cum").cast(pl.Float64).alias("value"),
    )


def counts_so_far(totals: pl.LazyFrame) -> pl.LazyFrame:
    """Cells for years that are over (``totals``: :func:`metrics.crm.course_totals`): the count
    is final and is its own projection."""
    return jobs._finish(_so_far(totals).with_columns(projected=pl.col("value")))


def volume_cells(
    window: CrmTables,
    full_years: CrmTables,
    periods: pl.LazyFrame,
    *,
    categories: Sequence[str] | None,
    unique_companies: bool,
    project: bool,
) -> pl.LazyFrame:
    """Cells of a count KPI: the count so far and, while a year is not over, its projection."""

    totals = course_totals(window, categories=categories, unique_companies=unique_companies)
    if not project:  # every year is over: the count is final, no profile needed
        return counts_so_far(totals)
    covered = window.counts.group_by("year").agg(pl.col("quarter").max().alias("data_q"))
    history = course_volume(full_years, categories=categories, unique_companies=unique_companies)
    return project_counts(totals, history, periods, covered)
