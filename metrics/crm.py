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

_CVR_VALUES = 1 << 32  # every value of CVR_DTYPE
QUARTERS = pl.LazyFrame({"quarter": [1, 2, 3, 4]}, schema={"quarter": pl.Int8})


@dataclass(frozen=True, slots=True)
class CrmTables:
    """``rows``: courses (year, kommune, cvr, quarter, kategori).
    ``counts``: year × kommune × quarter × kategori with ``courses``.
    ``firsts``: year × kommune × ``first_q`` × ``gap`` with ``companies``: the companies whose
    first course of the year in the municipality is in quarter ``first_q``, and whose previous
    year with a course in the municipality is ``gap`` years before (null: none before).
    ``house_firsts``: the same for the house (year × ``first_q`` × ``gap``; a company counted
    once, its previous year with a course anywhere). The new companies' shares, the unique
    counts and the municipalities' shares add these small tables up instead of grouping the
    companies again."""

    rows: pl.LazyFrame
    counts: pl.LazyFrame
    firsts: pl.LazyFrame
    house_firsts: pl.LazyFrame

    def for_years(self, years: Sequence[int]) -> CrmTables:
        keep = pl.col("year").is_in(list(years))
        return CrmTables(
            self.rows.filter(keep),
            self.counts.filter(keep),
            self.firsts.filter(keep),
            self.house_firsts.filter(keep),
        )

    def within(self, periods: pl.LazyFrame) -> CrmTables:
        """The tables of the as-of window, derived from full-year tables by cheap filters.

        A course is in a year's window when its quarter is at most the as-of quarter (every
        as-of date is a quarter's end inside its year); a company is in it when its first
        course of the year is, and its ``first_q`` and ``gap`` stay the same (the years before
        count in full). So the window needs no second pass over the course rows.
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
            cut(self.counts, "quarter"),
            cut(self.firsts, "first_q"),
            cut(self.house_firsts, "first_q"),
        )


def crm_tables(courses: pl.LazyFrame, periods: pl.LazyFrame) -> CrmTables:
    """The shared tables of the courses in ``periods``' windows (one pass over the rows each)."""
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
    counts = (
        rows.group_by("year", "kommune", "quarter", "kategori")
        .agg(pl.len().alias("courses"))
        .cache()
    )
    firsts, house_firsts = _firsts(rows)
    return CrmTables(rows, counts, firsts.cache(), house_firsts.cache())


def _firsts(rows: pl.LazyFrame) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """``firsts`` and ``house_firsts`` of :class:`CrmTables` from course rows."""
    companies = _first_courses(rows, per_kommune=True, quarter="quarter").cache()
    house = _first_courses(companies, per_kommune=False, quarter="first_q")
    count = pl.len().alias("companies")
    return (
        companies.group_by("year", "kommune", "first_q", "gap").agg(count),
        house.group_by("year", "first_q", "gap").agg(count),
    )


def _first_courses(lf: pl.LazyFrame, *, per_kommune: bool, quarter: str) -> pl.LazyFrame:
    """One row per company and year (per municipality when ``per_kommune``): ``first_q``, the
    quarter of its first course of the year (the least ``quarter`` of its rows), and ``gap``,
    the years since its previous year with a course (in the municipality; null: none before).

    Each row becomes one integer (company, then year, then quarter), and the integers are
    sorted once: a company's rows of a year are then adjacent with its first quarter first,
    and its years follow in order. That is one sort of integers instead of a grouping by
    company and year and a join with each year before. The key is exact: the year and the
    municipality are offsets from the least one, cast strictly to 8 and 16 bits (a span of
    256 years or of 65 536 municipality codes stops the query instead of mixing companies),
    a CVR takes 32 bits, a quarter 2: 58 bits in all. ``cvr`` and ``kommune`` are never null
    (both are required columns).
    """
    year0 = pl.col("year").min()
    years = (pl.col("year").max() - year0 + 1).cast(pl.Int64)
    company = pl.col("cvr").cast(pl.Int64)
    scalars = [year0.alias("_year0"), years.alias("_years")]
    if per_kommune:
        kommune0 = pl.col("kommune").min()
        kommune = (pl.col("kommune") - kommune0).cast(pl.UInt16, strict=True).cast(pl.Int64)
        company = kommune * _CVR_VALUES + company
        scalars.append(kommune0.alias("_kommune0"))
    year = (pl.col("year") - year0).cast(pl.UInt8, strict=True).cast(pl.Int64)
    key = (company * years + year) * 4 + pl.col(quarter).cast(pl.Int64) - 1
    company_year = pl.col("key") // 4
    firsts = lf.select(key.sort().alias("key"), *scalars).filter(
        company_year.ne_missing(company_year.shift(1))  # the first row of a company's year
    )
    company = company_year // pl.col("_years")
    year = company_year % pl.col("_years")
    columns = [
        (year + pl.col("_year0")).cast(pl.Int32).alias("year"),
        (company % _CVR_VALUES).cast(CVR_DTYPE).alias("cvr"),
        (pl.col("key") % 4 + 1).cast(pl.Int8).alias("first_q"),
        pl.when(company == company.shift(1)).then(year - year.shift(1)).cast(pl.Int32).alias("gap"),
    ]
    if per_kommune:
        kommune = (company // _CVR_VALUES + pl.col("_kommune0")).cast(pl.Int32)
        columns.insert(1, kommune.alias("kommune"))
    return firsts.select(columns)


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


def new_company_share(
    t: CrmTables, full_years: CrmTables, *, lookback_years: int, confidence: float
) -> pl.LazyFrame:
    """Share of the year's unique CVR not guided in the ``lookback_years`` before.

    ``full_years`` are the tables over every year with data, in full. A year whose previous
    year has no course data at all gets no value. Grain: year × kommune.
    """
    new = pl.col("gap").is_null() | (pl.col("gap") > lookback_years)

    def shares(firsts: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
        return firsts.group_by(keys).agg(
            pl.col("companies").filter(new).sum().cast(pl.Float64).alias("numerator"),
            pl.col("companies").sum().alias("n"),
        )

    kommune = shares(t.firsts, ["year", "kommune"])
    house = shares(t.house_firsts, ["year"])
    # years with course data, as the years they are the lookback of (small table)
    data_years = full_years.counts.select("year").unique()
    have_previous = (
        pl.concat(
            [
                data_years.select((pl.col("year") + k).cast(pl.Int32))
                for k in range(1, lookback_years + 1)
            ]
        )
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
            firsts, house_firsts = _firsts(t.rows.filter(pl.col("kategori").is_in(categories)))
        quarter = pl.col("first_q").alias("quarter")
        count_k = firsts.group_by("year", "kommune", quarter).agg(
            pl.col("companies").sum().alias("count")
        )
        count_h = house_firsts.group_by("year", quarter).agg(
            pl.col("companies").sum().alias("count")
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
