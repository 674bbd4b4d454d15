"""The survey KPIs' sums, pooled: each survey is grouped once for every KPI that reads it.

A survey KPI says what it adds up over the answers (:class:`Terms`: the answers it counts and
the sums it needs, see :mod:`metrics.jobs`) and computes its cells from those sums. The engine
hands every KPI's terms to :class:`SurveySums` first; it groups each survey's answers once,
with all the KPIs' sums side by side, cuts that small table to the as-of windows and adds it
up per municipality and segment and for the totals. Each KPI then reads its own columns. So
the plan holds one grouping of the answers per survey, not one per KPI.

All functions are pure: LazyFrame in, LazyFrame out, no collect.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from metrics.jobs import Terms, in_quarters
from metrics.kinds import Source


@dataclass(frozen=True, slots=True)
class Survey:
    """How a survey's answers are grouped (finest: by year, a date or quarter inside it, and
    kommunekode (and segment)) and cut to each year's as-of window."""

    keys: Sequence[pl.Expr]
    window: Callable[[pl.LazyFrame, pl.LazyFrame], pl.LazyFrame]
    segments: bool


def _in_quarters(finest: pl.LazyFrame, periods: pl.LazyFrame) -> pl.LazyFrame:
    return in_quarters(finest, periods, "quarter").drop("quarter")


def _measured_by(finest: pl.LazyFrame, periods: pl.LazyFrame) -> pl.LazyFrame:
    return (
        finest.join(periods.select("year", "data_end"), on="year", how="inner")
        .filter(pl.col("maaledato") <= pl.col("data_end"))
        .drop("maaledato", "data_end")
    )


SURVEYS: Mapping[Source, Survey] = {
    # the user evaluation, with the year and quarter of each answer (metrics.jobs.dated_answers)
    Source.BRUGEREVALUERING: Survey(
        keys=(pl.col("year"), pl.col("quarter"), pl.col("kommunekode"), pl.col("segment")),
        window=_in_quarters,
        segments=True,
    ),
    # the awareness survey: year = Måleår, grouped by measurement date too (a few per year), so
    # the as-of window cuts the small table
    Source.KENDSKAB: Survey(
        keys=(
            pl.col("maaleaar").cast(pl.Int32).alias("year"),
            pl.col("maaledato"),
            pl.col("kommunekode"),
        ),
        window=_measured_by,
        segments=False,
    ),
}


def scoped(finest: pl.LazyFrame, columns: Sequence[str], *, segments: bool) -> pl.LazyFrame:
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


@dataclass(frozen=True, slots=True)
class _Entry:
    source: Source
    suffix: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SurveySums:
    """The sums of every survey KPI of one query, from one grouping per survey (:meth:`of`).

    ``entries``: per KPI key, where its columns are. ``pooled``: per survey read, the pooled
    table (see :func:`_pooled`); :func:`metrics.engine.collected` replaces it by its
    collected frame."""

    entries: Mapping[Hashable, _Entry]
    pooled: Mapping[Source, pl.LazyFrame]

    @classmethod
    def of(
        cls,
        sources: Mapping[Source, pl.LazyFrame],
        periods: pl.LazyFrame,
        wanted: Iterable[tuple[Hashable, Source, Terms]],
    ) -> SurveySums:
        """``wanted``: per KPI key (any hashable that tells KPIs apart, e.g. kind and
        parameters), the survey it reads and its :class:`Terms`; KPIs with equal keys share
        their columns. ``sources``: the survey frames by source (the user evaluation as
        :func:`metrics.jobs.dated_answers`). ``periods``: every asked year (see
        :func:`metrics.engine.periods_frame`)."""
        entries: dict[Hashable, _Entry] = {}
        terms_by_source: dict[Source, list[tuple[str, Terms]]] = {}
        for key, source, terms in wanted:
            if key in entries:
                continue
            listed = terms_by_source.setdefault(source, [])
            suffix = f"_{len(listed)}"
            listed.append((suffix, terms))
            entries[key] = _Entry(source, suffix, tuple(terms.names))
        pooled = {
            source: _pooled(sources[source], periods, SURVEYS[source], listed)
            for source, listed in terms_by_source.items()
        }
        return cls(entries, pooled)

    def sums(self, key: Hashable, periods: pl.LazyFrame) -> pl.LazyFrame:
        """A KPI's sums per year × kommune × segment (kommune/segment null: the totals; a survey
        without segments has only null), for the years of ``periods``: its names of
        :class:`Terms` and ``n``. Where it has no answers (``n`` 0) they are all null, as if
        there were no row (the engine keeps the cells its grid asks for).

        Nothing is filtered here: Polars pushes a filter down to the shared grouping, and a
        grouping with different filters is no longer shared but computed once per KPI."""
        entry = self.entries[key]
        n = pl.col("n" + entry.suffix)
        return (
            self.pooled[entry.source]
            .join(periods.select("year"), on="year", how="semi")
            .select(
                "year",
                "kommune",
                "segment",
                *(
                    pl.when(n > 0).then(pl.col(c + entry.suffix)).alias(c)
                    for c in (*entry.names, "n")
                ),
            )
        )


def _pooled(
    answers: pl.LazyFrame,
    periods: pl.LazyFrame,
    survey: Survey,
    listed: Sequence[tuple[str, Terms]],
) -> pl.LazyFrame:
    """One grouping of a survey's answers with the sums of every listed KPI, in the as-of
    windows, per year × kommune (× segment) and the totals. A scope in which a KPI has no
    answers has its ``n`` 0 there (:meth:`SurveySums.sums` makes it null)."""
    aggregations = [a for suffix, terms in listed for a in terms.aggregations(suffix)]
    columns = [n + suffix for suffix, terms in listed for n in (*terms.names, "n")]
    # Both caches are needed: without the inner one Polars runs the grouping once for each
    # KPI that reads the pooled table (each reads other columns of it)
    finest = survey.window(answers.group_by(*survey.keys).agg(aggregations), periods).cache()
    return scoped(finest, columns, segments=survey.segments).cache()
