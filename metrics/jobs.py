"""Polars KPI jobs: pure functions, LazyFrame in, LazyFrame out, no I/O, no collect.

Every job returns *cells* with the grain one row per year × kommune × segment, where
``kommune`` null means the whole house and ``segment`` null means both segments, and the
columns of :data:`CELL_SCHEMA`. Rows are restricted to the as-of window of their year through
the ``periods`` frame (one row per year: ``year``, ``data_end``, ``known_by``, ``year_over``).

A survey KPI is two functions: its :class:`Terms` (what it adds up over the answers) and its
cells from those sums. :class:`metrics.surveys.SurveySums` adds up the terms of every KPI of
a survey in one grouping of its answers (by quarter or measurement date), and only that
small table is joined with ``periods``, so no join runs over the answers themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from metrics.dating import year_and_quarter
from metrics.stats import kish_effective_n, wilson_bounds

CELL_SCHEMA: dict[str, Any] = {
    "year": pl.Int32,
    "kommune": pl.Int32,
    "segment": pl.String,
    "numerator": pl.Float64,
    "n": pl.Int64,
    "value": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "projected": pl.Float64,
}


def _finish(cells: pl.LazyFrame) -> pl.LazyFrame:
    """Keep the columns of CELL_SCHEMA that the cells have. The engine adds the missing ones as
    nulls and casts them all to CELL_SCHEMA (:func:`metrics.engine.compute_kpis`), so no job
    needs its plan's schema resolved while the query is built (that cost more than a
    millisecond a job)."""
    return cells.select(pl.col(f"^({'|'.join(CELL_SCHEMA)})$"))


def in_quarters(lf: pl.LazyFrame, periods: pl.LazyFrame, quarter: str) -> pl.LazyFrame:
    """Rows of a table by year and quarter whose year is asked for and whose ``quarter`` is
    in that year's as-of window: at most the as-of quarter, as every as-of date is the end of
    a quarter inside its year. Cheap on a small table grouped by quarter: no pass over the
    rows it was grouped from."""
    last = periods.select("year", pl.col("data_end").dt.quarter().alias("_last_q"))
    return (
        lf.join(last, on="year", how="inner")
        .filter(pl.col(quarter) <= pl.col("_last_q"))
        .drop("_last_q")
    )


def dated_answers(answers: pl.LazyFrame) -> pl.LazyFrame:
    """The user evaluation with the ``year`` and ``quarter`` of each answer's date, which every
    survey job groups by (:func:`metrics.dating.year_and_quarter`). The engine adds them once
    per query."""
    year, quarter = year_and_quarter(pl.col("besvarelsesdato"))
    return answers.with_columns(year=year, quarter=quarter)


@dataclass(frozen=True, slots=True)
class Terms:
    """What a survey KPI adds up over one survey's answers.

    ``answered``: the answers it counts (its ``n``). ``counts``: per name, a condition; the
    sum is the number of answered answers that meet it. ``sums``: per name, a number of each
    answer, summed over the answered answers.
    """

    answered: pl.Expr
    counts: Mapping[str, pl.Expr] = field(default_factory=dict)
    sums: Mapping[str, pl.Expr] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [*self.counts, *self.sums]

    def aggregations(self, suffix: str) -> list[pl.Expr]:
        """The sums of these terms and ``n``, named ``{name}{suffix}``.

        The rows are masked, not filtered: every KPI of a survey reads the same rows, in one
        grouping."""
        answered = self.answered
        return [
            *(
                (answered & condition).sum().alias(n + suffix)
                for n, condition in self.counts.items()
            ),
            *(
                pl.when(answered).then(term).otherwise(0.0).sum().alias(n + suffix)
                for n, term in self.sums.items()
            ),
            answered.sum().alias("n" + suffix),
        ]


def _share_cells(agg: pl.LazyFrame, *, confidence: float, weighted: bool = False) -> pl.LazyFrame:
    p = pl.col("numerator") / pl.col("denominator")
    low, high = wilson_bounds(
        p, pl.col("n_eff") if weighted else pl.col("n"), confidence=confidence
    )
    has_answers = pl.col("denominator") > 0  # no answers (or nothing to compare with): no bounds
    return agg.with_columns(
        value=pl.when(has_answers).then(p * 100.0),
        ci_low=pl.when(has_answers).then(low),
        ci_high=pl.when(has_answers).then(high),
    ).with_columns(projected=pl.col("value"))


def survey_share_terms(
    *,
    column: str,
    positive: Sequence[Any],
    excluded: Sequence[str] = (),
    filter_column: str | None = None,
    filter_value: Any = None,
) -> Terms:
    """The share of answers to ``column`` in ``positive`` (user evaluation): the answers to
    the question, blanks and ``excluded`` ("Ved ikke") left out, and among them the positive
    ones (``numerator``)."""
    answered = pl.col(column).is_not_null()
    if excluded:
        answered = answered & ~pl.col(column).is_in(list(excluded))
    if filter_column is not None:
        answered = answered & (pl.col(filter_column) == filter_value)
    return Terms(answered, counts={"numerator": pl.col(column).is_in(list(positive))})


def survey_share(sums: pl.LazyFrame, *, confidence: float) -> pl.LazyFrame:
    """Cells of :func:`survey_share_terms` (``sums``: ``numerator`` and ``n`` per year ×
    kommune × segment, see :class:`metrics.surveys.SurveySums`), in percent with the Wilson
    interval. Columns: CELL_SCHEMA."""
    agg = sums.with_columns(
        pl.col("numerator").cast(pl.Float64), denominator=pl.col("n").cast(pl.Float64)
    )
    return _finish(_share_cells(agg, confidence=confidence))


def nps_terms(*, column: str, promoter_min: int, detractor_max: int) -> Terms:
    """Net Promoter Score (user evaluation): the answers 0–10, and among them the promoters
    (≥ ``promoter_min``) and the detractors (≤ ``detractor_max``)."""
    score = pl.col(column)
    return Terms(
        score.is_between(0, 10),
        counts={"promoters": score >= promoter_min, "detractors": score <= detractor_max},
    )


def net_promoter_score(sums: pl.LazyFrame) -> pl.LazyFrame:
    """NPS = % promoters − % detractors among the answers (``sums`` of :func:`nps_terms`).
    Grain: year × kommune × segment."""
    numerator = (pl.col("promoters").cast(pl.Int64) - pl.col("detractors")).cast(pl.Float64)
    value = pl.col("numerator") / pl.col("n") * 100.0
    return _finish(
        sums.with_columns(numerator=numerator).with_columns(value=value, projected=value)
    )


def weighted_share_terms(
    *,
    column: str,
    filter_column: str | None = None,
    filter_value: Any = None,
    weight_column: str | None = None,
) -> Terms:
    """Weighted share of ``column`` = Ja (awareness survey): the answers, their weights
    (``extra``; without a weight column, or where it is blank, 1), the weights of the Ja
    answers (``numerator``) and the squared weights (``w2``, for Kish's effective n)."""
    answered = pl.col(column).is_not_null()
    if filter_column is not None:
        answered = answered & (pl.col(filter_column) == filter_value)
    w = pl.col(weight_column).fill_null(1.0) if weight_column else pl.lit(1.0)
    return Terms(
        answered,
        sums={"numerator": w * pl.col(column).cast(pl.Float64), "extra": w, "w2": w * w},
    )


def weighted_share(sums: pl.LazyFrame, *, confidence: float) -> pl.LazyFrame:
    """Cells of :func:`weighted_share_terms`: ``n`` is the number of answers; the Wilson
    interval uses Kish's effective sample size."""
    agg = sums.with_columns(
        n_eff=kish_effective_n(pl.col("extra"), pl.col("w2")),
        denominator=pl.col("extra"),
    )
    return _finish(_share_cells(agg, confidence=confidence, weighted=True))


def latest_activity_status(activities: pl.LazyFrame, periods: pl.LazyFrame) -> pl.LazyFrame:
    """The status of each activity at the end of the as-of window. Grain: year × activity_id.

    The status date is when the status took effect; a completion dated after the year (or
    after the as-of quarter) does not count for it.
    """
    return (
        activities.join(periods.select("year", "data_end"), on="year", how="inner")
        .filter(pl.col("status_date") <= pl.col("data_end"))
        .sort("status_date", "changed_at")
        .group_by("year", "activity_id")
        .agg(pl.all().exclude("data_end").last())
    )
