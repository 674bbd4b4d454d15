"""CRM KPI jobs (Mål 1 new companies, Mål 2, Mål 11) over shared intermediate tables.

The expensive work on course rows — the as-of window and the distinct companies per year and
municipality — is expressed once in :class:`CrmTables`; every CRM job derives its cells from
those small tables, so the query plan reuses them instead of grouping a million rows per KPI.
All functions are pure: LazyFrame in, LazyFrame out, no collect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from data.store import CVR_DTYPE
from metrics.jobs import _finish, _share_cells, in_window

QUARTERS = pl.LazyFrame({"quarter": [1, 2, 3, 4]}, schema={"quarter": pl.Int8})


@dataclass(frozen=True, slots=True)
class CrmTables:
    """``rows``: courses in the as-of window (year, kommune, cvr, quarter, kategori).
    ``companies``: year × kommune × cvr with ``first_q``, the quarter of the first course.
    ``house_companies``: year × cvr with ``first_q`` (a company counted once for the house).
    ``counts``: year × kommune × quarter × kategori with ``courses``.
    ``firsts``: year × kommune × ``first_q`` with ``companies`` (companies whose first course
    of the year in the municipality is in that quarter); ``house_firsts``: the same for the
    house (year × ``first_q``). The unique counts and the municipalities' shares add these
    small tables up instead of grouping the companies again."""

    rows: pl.LazyFrame
    companies: pl.LazyFrame
    house_companies: pl.LazyFrame
    counts: pl.LazyFrame
    firsts: pl.LazyFrame
    house_firsts: pl.LazyFrame

    def for_years(self, years: Sequence[int]) -> CrmTables:
        keep = pl.col("year").is_in(list(years))
        return CrmTables(
            self.rows.filter(keep),
            self.companies.filter(keep),
            self.house_companies.filter(keep),
            self.counts.filter(keep),
            self.firsts.filter(keep),
            self.house_firsts.filter(keep),
        )

    def within(self, periods: pl.LazyFrame) -> CrmTables:
        """The tables of the as-of window, derived from full-year tables by cheap filters.

        A course is in a year's window when its quarter is at most the as-of quarter (every
        as-of date is a quarter's end inside its year); a company is in it when its first
        course of the year is, and its ``first_q`` stays the same. So the window needs no
        second pass over the course rows.
        """
        last = periods.select("year", pl.col("data_end").dt.quarter().alias("_last_q"))

        def cut(lf: pl.LazyFrame, quarter: str) -> pl.LazyFrame:
            return (
                lf.join(last, on="year", how="inner")
                .filter(pl.col(quarter) <= pl.col("_last_q"))
                .drop("_last_q")
            )

        return CrmTables(
            cut(self.rows, "quarter"),
            cut(self.companies, "first_q"),
            cut(self.house_companies, "first_q"),
            cut(self.counts, "quarter"),
            cut(self.firsts, "first_q"),
            cut(self.house_firsts, "first_q"),
        )


def crm_tables(courses: pl.LazyFrame, periods: pl.LazyFrame) -> CrmTables:
    rows = (
        in_window(courses, "startdato", periods)
        .select(
            "year",
            pl.col("kommunekode").cast(pl.Int32).alias("kommune"),
            "cvr",
            pl.col("startdato").dt.quarter().alias("quarter"),
            "kategori",
        )
        .cache()  # each table is computed once per query, however many KPIs read it
    )
    companies = (
        rows.group_by("year", "kommune", "cvr")
        .agg(pl.col("quarter").min().alias("first_q"))
        .cache()
    )
    house = companies.group_by("year", "cvr").agg(pl.col("first_q").min()).cache()
    counts = (
        rows.group_by("year", "kommune", "quarter", "kategori")
        .agg(pl.len().alias("courses"))
        .cache()
    )
    firsts = companies.group_by("year", "kommune", "first_q").agg(pl.len().alias("companies"))
    house_firsts = house.group_by("year", "first_q").agg(pl.len().alias("companies"))
    return CrmTables(rows, companies, house, counts, firsts.cache(), house_firsts.cache())


def _with_house(per_kommune: pl.LazyFrame, house: pl.LazyFrame) -> pl.LazyFrame:
    """Municipal cells plus the house's cells (kommune null)."""
    return pl.concat(
        [
            per_kommune,
            house.with_columns(kommune=pl.lit(None, pl.Int32)).select(
                per_kommune.collect_schema().names()
            ),
        ]
    )


def _one_key(scope: pl.Expr) -> pl.Expr:
    """``scope`` (a year, or a number for a year and municipality) and the CVR as one Int64:
    exact for any Int32 scope and any ``CVR_DTYPE`` value (32 bits), so different companies
    never share a key. Joining on one integer is several times faster than on two or three."""
    cvr = pl.col("cvr").cast(CVR_DTYPE).cast(pl.Int64)
    return (scope.cast(pl.Int64) * (1 << 32) + cvr).alias("key")


def new_company_share(
    t: CrmTables, full_years: CrmTables, *, lookback_years: int, confidence: float
) -> pl.LazyFrame:
    """Share of the year's unique CVR not guided in the ``lookback_years`` before.

    ``full_years`` are the tables over every year with data, in full. A year whose previous
    year has no course data at all gets no value. Grain: year × kommune.
    """

    shifts = range(1, lookback_years + 1)
    # Every (year, kommune) with courses gets a number; a company of a municipality-year and
    # the same company in the years before are then one Int64 each (see _one_key).
    scopes = (
        full_years.counts.select("year", "kommune")
        .unique()
        .sort("year", "kommune")  # the same numbers wherever the plan evaluates it
        .with_row_index("scope")
    )

    def scoped(companies: pl.LazyFrame, shift: int) -> pl.LazyFrame:
        return companies.select((pl.col("year") + shift).cast(pl.Int32), "kommune", "cvr").join(
            scopes, on=["year", "kommune"]
        )

    def new_counts(
        current: pl.LazyFrame, before: list[pl.LazyFrame], keys: list[str]
    ) -> pl.LazyFrame:
        """Companies of ``current`` not among ``before``, per ``keys``."""
        return (
            current.join(pl.concat(before), on="key", how="anti")
            .group_by(keys)
            .agg(pl.len().alias("new"))
        )

    new_k = new_counts(
        scoped(t.companies, 0).select("year", "kommune", _one_key(pl.col("scope"))),
        [scoped(full_years.companies, k).select(_one_key(pl.col("scope"))) for k in shifts],
        ["year", "kommune"],
    )
    new_h = new_counts(
        t.house_companies.select("year", _one_key(pl.col("year"))),
        [full_years.house_companies.select(_one_key(pl.col("year") + k)) for k in shifts],
        ["year"],
    )

    def with_new(totals: pl.LazyFrame, new: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
        return totals.join(new, on=keys, how="left").select(
            *keys, pl.col("new").fill_null(0).cast(pl.Float64).alias("numerator"), "n"
        )

    kommune = with_new(
        t.firsts.group_by("year", "kommune").agg(pl.col("companies").sum().alias("n")),
        new_k,
        ["year", "kommune"],
    )
    house = with_new(
        t.house_firsts.group_by("year").agg(pl.col("companies").sum().alias("n")),
        new_h,
        ["year"],
    )
    # years with course data, as the years they are the lookback of (small table)
    data_years = full_years.counts.select("year").unique()
    have_previous = (
        pl.concat([data_years.select((pl.col("year") + k).cast(pl.Int32)) for k in shifts])
        .unique()
        .with_columns(has_previous=pl.lit(True))
    )
    agg = (
        _with_house(kommune.select("year", "kommune", "numerator", "n"), house)
        .with_columns(segment=pl.lit(None, pl.String))
        .join(have_previous, on="year", how="left")
        .with_columns(
            denominator=pl.when(pl.col("has_previous"))
            .then(pl.col("n").cast(pl.Float64))
            .otherwise(0.0)
        )
    )
    return _finish(_share_cells(agg, confidence=confidence))


def kommune_coverage(t: CrmTables) -> pl.LazyFrame:
    """Municipalities with at least one guided company. Grain: year × kommune (1 or 0 each)."""
    kommune = t.counts.group_by("year", "kommune").agg(
        pl.lit(1.0).alias("numerator"), pl.col("courses").sum().cast(pl.Int64).alias("n")
    )
    house = t.counts.group_by("year").agg(
        pl.col("kommune").n_unique().cast(pl.Float64).alias("numerator"),
        pl.col("courses").sum().cast(pl.Int64).alias("n"),
    )
    cells = _with_house(kommune.select("year", "kommune", "numerator", "n"), house)
    return _finish(cells.with_columns(segment=pl.lit(None, pl.String), value=pl.col("numerator")))


def kommune_share_of_companies(t: CrmTables) -> pl.LazyFrame:
    """Each municipality's share of the house's unique guided companies, in percent.

    Grain: year × kommune (no house cell). ``n`` = the municipality's unique companies.
    """
    per_kommune = t.firsts.group_by("year", "kommune").agg(
        pl.col("companies").sum().alias("k_unique")
    )
    totals = t.house_firsts.group_by("year").agg(pl.col("companies").sum().alias("total"))
    agg = per_kommune.join(totals, on="year").select(
        "year",
        "kommune",
        pl.lit(None, pl.String).alias("segment"),
        pl.col("k_unique").cast(pl.Float64).alias("numerator"),
        pl.col("total").cast(pl.Float64).alias("denominator"),
        pl.col("total").alias("n_total"),
        pl.col("k_unique").cast(pl.Int64).alias("n"),
    )
    # every guided company is counted (a census, not a sample): no interval
    p = pl.col("numerator") / pl.col("denominator")
    return _finish(agg.with_columns(value=p * 100.0))


def course_volume(
    t: CrmTables, *, categories: Sequence[str] | None, unique_companies: bool
) -> pl.LazyFrame:
    """Cumulative counts per quarter, for the count KPIs and their projection.

    Grain: year × kommune × quarter (kommune null = house). ``cum`` = courses (in
    ``categories``) or unique companies up to and including the quarter (a company counts in
    the quarter of its first course); ``cum_rows`` = courses up to the quarter.
    """
    counts = (
        t.counts
        if categories is None
        else t.counts.filter(pl.col("kategori").is_in(list(categories)))
    )
    rows_k = counts.group_by("year", "kommune", "quarter").agg(
        pl.col("courses").sum().alias("rows")
    )
    rows_h = counts.group_by("year", "quarter").agg(pl.col("courses").sum().alias("rows"))
    if not unique_companies:
        count_k, count_h = rows_k.rename({"rows": "count"}), rows_h.rename({"rows": "count"})
    else:
        firsts, house_firsts = t.firsts, t.house_firsts
        if categories is not None:  # first course among the given categories
            rows = t.rows.filter(pl.col("kategori").is_in(list(categories)))
            companies = rows.group_by("year", "kommune", "cvr").agg(
                pl.col("quarter").min().alias("first_q")
            )
            firsts = companies.group_by("year", "kommune", "first_q").agg(
                pl.len().alias("companies")
            )
            house_firsts = (
                companies.group_by("year", "cvr")
                .agg(pl.col("first_q").min())
                .group_by("year", "first_q")
                .agg(pl.len().alias("companies"))
            )
        count_k = firsts.select(
            "year",
            "kommune",
            pl.col("first_q").alias("quarter"),
            pl.col("companies").alias("count"),
        )
        count_h = house_firsts.select(
            "year", pl.col("first_q").alias("quarter"), pl.col("companies").alias("count")
        )
    return pl.concat(
        [_cumulative(count_k, rows_k, ["year", "kommune"]), _cumulative(count_h, rows_h, ["year"])]
    )


def _cumulative(counted: pl.LazyFrame, rows: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
    grid = rows.select(keys).unique().join(QUARTERS, how="cross")
    out = (
        grid.join(
            counted.with_columns(pl.col("quarter").cast(pl.Int8)), on=[*keys, "quarter"], how="left"
        )
        .join(rows.with_columns(pl.col("quarter").cast(pl.Int8)), on=[*keys, "quarter"], how="left")
        .with_columns(pl.col("count", "rows").fill_null(0))
        .sort([*keys, "quarter"])
        .with_columns(
            cum=pl.col("count").cum_sum().over(keys), cum_rows=pl.col("rows").cum_sum().over(keys)
        )
    )
    if "kommune" not in keys:
        out = out.with_columns(kommune=pl.lit(None, pl.Int32))
    return out.select("year", "kommune", "quarter", "cum", "cum_rows")
