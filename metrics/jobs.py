"""Polars KPI jobs: pure functions, LazyFrame in, LazyFrame out, no I/O, no collect.

Every job returns *cells* with the grain one row per year × kommune × segment, where
``kommune`` null means the whole house and ``segment`` null means both segments, and the
columns of :data:`CELL_SCHEMA`. Rows are restricted to the as-of window of their year through
the ``periods`` frame (one row per year: ``year``, ``data_end``, ``known_by``, ``year_over``).
Survey answers are grouped first (by quarter or measurement date) and only that small table
is joined with ``periods``, so no join runs over the answers themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


def _empty_cells() -> pl.LazyFrame:
    return pl.LazyFrame(schema=CELL_SCHEMA)


def _finish(cells: pl.LazyFrame) -> pl.LazyFrame:
    """Add missing columns with nulls and order them as CELL_SCHEMA."""
    existing = cells.collect_schema().names()
    return cells.select(
        pl.col(c).cast(t) if c in existing else pl.lit(None, t).alias(c)
        for c, t in CELL_SCHEMA.items()
    )


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


def _answered(answered: pl.Expr, sums: Mapping[str, pl.Expr]) -> list[pl.Expr]:
    """Aggregations: each of ``sums`` (name → a row's term) over the ``answered`` rows, and
    ``n``, their number; a group without any has ``n`` 0 and is to be dropped.

    The rows are masked, not filtered: every KPI of a survey then reads the same rows, and the
    query scans (and dates) the survey once for all of them. Polars gives up sharing a scan
    between parts of a query whose filters differ, and scans again for each."""
    masked = (pl.when(answered).then(term).otherwise(0.0).alias(n) for n, term in sums.items())
    return [*(term.sum() for term in masked), answered.sum().alias("n")]


def _answer_sums(
    answers: pl.LazyFrame,
    periods: pl.LazyFrame,
    answered: pl.Expr,
    sums: Mapping[str, pl.Expr],
    *,
    segments: bool,
) -> pl.LazyFrame:
    """Sums of ``sums`` (name → the answer's term) and ``n`` (the number of answers) per year
    × kommunekode (× segment as typed) over the ``answered`` answers (:func:`dated_answers`)
    in the as-of window.

    The answers are grouped once, by the quarter of their date, and the small table is cut to
    the window (:func:`in_quarters`): no join over the answers.
    """
    keys = ["year", "quarter", "kommunekode"] + (["segment"] if segments else [])
    grouped = answers.group_by(keys).agg(_answered(answered, sums)).filter(pl.col("n") > 0)
    return in_quarters(grouped, periods, "quarter").drop("quarter")


def _scoped(finest: pl.LazyFrame, columns: Sequence[str], *, segments: bool) -> pl.LazyFrame:
    """Cells per year × kommune (× segment) and the totals (kommune/segment null), adding up
    the sums ``columns`` of ``finest`` (per year × kommunekode (× segment as typed)).

    Totals are sums of the finest sums, never of cells' values (sums add up; distinct counts
    would not). The codes are cast and the segments lower-cased on the small table.
    """
    lowered = [pl.col("segment").str.to_lowercase()] if segments else []
    finest = finest.with_columns(pl.col("kommunekode").cast(pl.Int32).alias("kommune"), *lowered)
    parts = []
    for per_kommune in (True, False):
        for per_segment in (True, False) if segments else (False,):
            keys = (
                ["year"]
                + (["kommune"] if per_kommune else [])
                + (["segment"] if per_segment else [])
            )
            part = finest.group_by(keys).agg(pl.col(columns).sum())
            parts.append(
                part.select(
                    "year",
                    "kommune" if per_kommune else pl.lit(None, pl.Int32).alias("kommune"),
                    "segment" if per_segment else pl.lit(None, pl.String).alias("segment"),
                    *columns,
                )
            )
    return pl.concat(parts)


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


def survey_share(
    answers: pl.LazyFrame,
    periods: pl.LazyFrame,
    *,
    column: str,
    positive: Sequence[Any],
    excluded: Sequence[str] = (),
    filter_column: str | None = None,
    filter_value: Any = None,
    segments: bool,
    confidence: float,
) -> pl.LazyFrame:
    """Share of answers to ``column`` in ``positive`` (user evaluation, as
    :func:`dated_answers`), in percent.

    Denominator: answers to the question; blanks and ``excluded`` ("Ved ikke") left out.
    Grain: year × kommune × segment. Columns: CELL_SCHEMA.
    """
    answered = pl.col(column).is_not_null()
    if excluded:
        answered = answered & ~pl.col(column).is_in(list(excluded))
    if filter_column is not None:
        answered = answered & (pl.col(filter_column) == filter_value)
    positives = pl.col(column).is_in(list(positive)).cast(pl.Float64)
    sums = _answer_sums(answers, periods, answered, {"numerator": positives}, segments=segments)
    agg = _scoped(sums, ["numerator", "n"], segments=segments)
    agg = agg.with_columns(denominator=pl.col("n").cast(pl.Float64))
    return _finish(_share_cells(agg, confidence=confidence))


def net_promoter_score(
    answers: pl.LazyFrame,
    periods: pl.LazyFrame,
    *,
    column: str,
    promoter_min: int,
    detractor_max: int,
    segments: bool,
) -> pl.LazyFrame:
    """NPS = % promoters − % detractors among answers 0–10 (user evaluation, as
    :func:`dated_answers`). Grain: year × kommune × segment."""
    score = (
        pl.when(pl.col(column) >= promoter_min)
        .then(1.0)
        .when(pl.col(column) <= detractor_max)
        .then(-1.0)
        .otherwise(0.0)
    )
    answered = pl.col(column).is_between(0, 10)
    sums = _answer_sums(answers, periods, answered, {"numerator": score}, segments=segments)
    agg = _scoped(sums, ["numerator", "n"], segments=segments)
    value = pl.col("numerator") / pl.col("n") * 100.0
    return _finish(agg.with_columns(value=value, projected=value))


def weighted_share(
    respondents: pl.LazyFrame,
    periods: pl.LazyFrame,
    *,
    column: str,
    filter_column: str | None = None,
    filter_value: Any = None,
    weight_column: str | None = None,
    confidence: float,
) -> pl.LazyFrame:
    """Weighted share of ``column`` = Ja in the awareness survey (year = Måleår).

    Without a weight (column absent or blank) every answer weighs 1. ``n`` is the number of
    answers; the Wilson interval uses Kish's effective sample size.
    """
    answered = pl.col(column).is_not_null()
    if filter_column is not None:
        answered = answered & (pl.col(filter_column) == filter_value)
    weight = pl.col(weight_column).fill_null(1.0) if weight_column else pl.lit(1.0)
    w = pl.col("w")
    terms = {"numerator": w * pl.col(column).cast(pl.Float64), "extra": w, "w2": w * w}
    # grouped by measurement date too (a few per year), so the as-of window cuts the small table
    sums = (
        respondents.with_columns(w=weight)
        .group_by(pl.col("maaleaar").cast(pl.Int32).alias("year"), "maaledato", "kommunekode")
        .agg(_answered(answered, terms))
        .filter(pl.col("n") > 0)
        .join(periods.select("year", "data_end"), on="year", how="inner")
        .filter(pl.col("maaledato") <= pl.col("data_end"))
    )
    agg = _scoped(sums, [*terms, "n"], segments=False).with_columns(
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
