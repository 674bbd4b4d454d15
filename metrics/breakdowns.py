"""Breakdowns shown beside the KPIs: guidance per theme (Mål 11) and Mål 2's fair share.

Pure Polars jobs: LazyFrame in, LazyFrame out, no I/O and no collect. The dashboard's cache
collects them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl


def theme_distribution(
    courses: pl.LazyFrame,
    *,
    year: int,
    data_end: date,
    themes: Sequence[str],
    kommune: int | None = None,
) -> pl.LazyFrame:
    """Courses started in ``year`` up to ``data_end`` per fagområde.

    Grain: one row per theme in ``themes`` (in that order; 0 when a theme has no courses).
    Columns: ``fagomraade``, ``forloeb`` (courses), ``virksomheder`` (distinct CVR),
    ``andel`` (percent of the year's courses; null when there are none).
    """
    window = courses.filter(pl.col("startdato").dt.year() == year, pl.col("startdato") <= data_end)
    if kommune is not None:
        window = window.filter(pl.col("kommunekode") == kommune)
    counted = window.group_by("fagomraade").agg(
        pl.len().cast(pl.Int64).alias("forloeb"),
        pl.col("cvr").n_unique().cast(pl.Int64).alias("virksomheder"),
    )
    order = pl.LazyFrame(
        {"fagomraade": list(themes), "_order": list(range(len(themes)))},
        schema={"fagomraade": pl.String, "_order": pl.Int64},
    )
    total = pl.col("forloeb").sum()
    return (
        order.join(counted, on="fagomraade", how="left")
        .with_columns(pl.col("forloeb", "virksomheder").fill_null(0))
        .with_columns(pl.when(total > 0).then(pl.col("forloeb") * 100.0 / total).alias("andel"))
        .sort("_order")
        .drop("_order")
    )


def fair_share(
    shares: pl.LazyFrame, funding: pl.LazyFrame, *, warning_ratio: float
) -> pl.LazyFrame:
    """Each municipality's share of guided companies against its share of the funding key.

    ``shares``: the ``m2_andel_vejledte`` cells of one year (``kommune``, ``value`` in percent,
    ``numerator`` = guided companies). ``funding``: ``kommune``, ``basisbevilling``.
    Grain: one row per municipality in ``funding``. Columns: ``kommune``, ``vejledte``,
    ``andel_vejledte`` (percent), ``andel_noegle`` (percent of the funding key), ``ratio``
    (share of guided / share of the key; null without data) and ``langt_under`` (ratio below
    ``warning_ratio``).
    """
    key = funding.with_columns(
        (pl.col("basisbevilling") * 100.0 / pl.col("basisbevilling").sum()).alias("andel_noegle")
    )
    return (
        key.join(
            shares.select(
                "kommune",
                pl.col("numerator").alias("vejledte"),
                pl.col("value").alias("andel_vejledte"),
            ),
            on="kommune",
            how="left",
        )
        .with_columns((pl.col("andel_vejledte") / pl.col("andel_noegle")).alias("ratio"))
        .with_columns((pl.col("ratio") < warning_ratio).fill_null(False).alias("langt_under"))
        .select("kommune", "vejledte", "andel_vejledte", "andel_noegle", "ratio", "langt_under")
        .sort("kommune")
    )


def activity_checklist(activities: pl.LazyFrame, *, year: int, data_end: date) -> pl.LazyFrame:
    """The latest status of each activity of ``year`` dated up to ``data_end``.

    Grain: one row per activity_id with an entry. Columns as the activity log (``goal``,
    ``activity_id``, ``status``, ``status_date``, ``evidence``, ``comment``, …).
    """
    return (
        activities.filter(pl.col("year") == year, pl.col("status_date") <= data_end)
        .sort("status_date", "changed_at")
        .group_by("activity_id")
        .agg(pl.all().last())
    )
