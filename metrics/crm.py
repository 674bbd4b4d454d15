"""CRM KPI jobs (Mål 1 new companies, Mål 2, Mål 11) over shared intermediate tables.

The expensive work on course rows — the distinct companies per year and municipality, their
first quarter and the years since they were last guided — is expressed once in
:class:`CrmTables` (one sort of the course rows, one grouping by quarter and category); every
CRM job and every as-of window derives its cells from those small tables, so the query plan
reuses them instead of grouping a million rows per KPI.
All functions are pure: LazyFrame in, LazyFrame out, no collect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from data.store import CVR_DTYPE
from metrics.dating import year_and_quarter
from metrics.jobs import _finish, _share_cells, in_quarters

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
        return CrmTables(
            in_quarters(self.rows, periods, "quarter"),
            in_quarters(self.counts, periods, "quarter"),
            in_quarters(self.firsts, periods, "first_q"),
            in_quarters(self.house_firsts, periods, "first_q"),
        )


def crm_tables(courses: pl.LazyFrame) -> CrmTables:
    """The shared tables over every year with courses, in full (one pass over the rows each);
    :meth:`CrmTables.within` cuts them to the as-of windows."""
    year, quarter = year_and_quarter(pl.col("startdato"))
    rows = (
        courses.select(
            year.alias("year"),
            pl.col("kommunekode").cast(pl.Int32).alias("kommune"),
            "cvr",
            quarter.alias("quarter"),
            "kategori",
        )
        .filter(pl.col("year").is_not_null())  # no start date (or none inside the calendar)
        .cache()  # each table is computed once per query, however many KPIs read it
    )
    counts = (
        rows.group_by("year", "kommune", "quarter", "kategori")
        .agg(pl.len().alias("courses"))
        .cache()
    )
    firsts, house_firsts = _firsts(rows)
    return CrmTables(rows, counts, firsts, house_firsts)


# A company and year packed into one integer (see _first_courses): the CVR as it is, the
# municipality as an offset from the least code, the year as an offset from the first year.
_KOMMUNER = 1 << 16
_YEARS = 1 << 8
_YEAR_Q = _YEARS * 4  # a year offset and a quarter (0–3)


def _low(packed: pl.Expr, size: int) -> pl.Expr:
    """``packed % size`` for a power of two ``size`` and a packed (non-negative) integer, as a
    bitwise and (a third of the time of a modulo on a million rows)."""
    return packed & (size - 1)


def _firsts(rows: pl.LazyFrame) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """``firsts`` and ``house_firsts`` of :class:`CrmTables` from course rows.

    The year offset fits 8 bits: a course's year lies in the calendar's 256 years
    (:mod:`metrics.dating`). The municipality offset is cast strictly to 16 bits, so a span of
    65 536 codes stops the query instead of mixing companies up. ``cvr`` and ``kommune`` are
    never null (required columns).

    The house counts a company once, dated by its first course anywhere. A CVR with courses
    in one municipality only has the same first quarter and gap for the house as for its
    municipality; so the house's table is the municipalities' added up, with the few CVRs of
    several municipalities taken out and counted again by CVR alone.
    """
    year0, kommune0 = pl.col("year").min(), pl.col("kommune").min()
    kommune = (pl.col("kommune") - kommune0).cast(pl.UInt16, strict=True)
    cvr = pl.col("cvr").cast(CVR_DTYPE).cast(pl.Int64)  # (CVR as text converts)
    company = cvr * _KOMMUNER + kommune
    year_q = (pl.col("year") - year0) * 4 + pl.col("quarter") - 1
    companies = _first_courses(rows, key=company * _YEAR_Q + year_q, scope=_KOMMUNER).cache()
    counted = companies.group_by("cell").agg(pl.len().alias("companies")).cache()

    # the CVRs with courses in several municipalities: a CVR's rows are adjacent, by
    # municipality; it has one when its first row's municipality is its last row's
    key = pl.col("key")
    cvr_of, kommune_of = key // (_KOMMUNER * _YEAR_Q), _low(key // _YEAR_Q, _KOMMUNER)
    first = pl.when(cvr_of.ne_missing(cvr_of.shift(1))).then(kommune_of).forward_fill()
    last = pl.when(cvr_of.ne_missing(cvr_of.shift(-1))).then(kommune_of).backward_fill()
    several = companies.filter(first != last)
    as_house = _first_courses(several, key=cvr_of * _YEAR_Q + _low(key, _YEAR_Q), scope=1)
    house_cell = _low(pl.col("cell"), _YEAR_Q * _YEARS).alias("cell")
    house = (
        pl.concat(
            [
                # the municipalities' counts added up: a small table, not the rows again
                counted.group_by(house_cell).agg(pl.col("companies").sum()),
                several.group_by(house_cell).agg(-pl.len().cast(pl.Int64).alias("companies")),
                as_house.group_by("cell").agg(pl.len().alias("companies")),
            ],
            how="vertical_relaxed",
        )
        .group_by("cell")
        .agg(pl.col("companies").sum())
        .filter(pl.col("companies") != 0)
    )
    origin = rows.select(year0.alias("year0"), kommune0.alias("kommune0"))
    firsts = _unpacked(counted, origin, per_kommune=True)
    return firsts, _unpacked(house, origin, per_kommune=False)


def _unpacked(counted: pl.LazyFrame, origin: pl.LazyFrame, *, per_kommune: bool) -> pl.LazyFrame:
    """The packed cells of :func:`_first_courses` as ``year``, (``kommune``,) ``first_q``
    (1–4) and ``gap`` (null: none before), with ``companies``."""
    c = pl.col("cell")
    kommune = (c // (_YEAR_Q * _YEARS) + pl.col("kommune0")).cast(pl.Int32)
    return counted.join(origin, how="cross").select(
        (c // (4 * _YEARS) % _YEARS + pl.col("year0")).cast(pl.Int32).alias("year"),
        *([kommune.alias("kommune")] if per_kommune else []),
        (c // _YEARS % 4 + 1).cast(pl.Int8).alias("first_q"),
        pl.when(c % _YEARS > 0).then(c % _YEARS).cast(pl.Int32).alias("gap"),
        pl.col("companies").cast(pl.UInt32),
    )


def _first_courses(lf: pl.LazyFrame, *, key: pl.Expr, scope: int) -> pl.LazyFrame:
    """The first course of each company in each year with one: a row per company and year,
    in their order, with its ``key`` and its packed ``cell``.

    ``key`` = company × 1024 + year offset (below 256) × 4 + quarter (0–3), for a company
    number below 2**53 / 1024. The keys are sorted once: a company's rows of a year are then
    adjacent with its first quarter first, and its years follow in order. That is one sort
    of integers instead of a grouping by company and year and a join with each year before.

    ``cell`` = (the company's low ``scope`` values (the municipality offset; scope 1: none) ×
    1024 + year offset × 4 + first quarter) × 256 + gap, the years since the company's
    previous year with a course (0: none): what the tables count companies by.
    """
    k = pl.col("key")
    company_year = k // 4
    company, year = k // _YEAR_Q, _low(company_year, _YEARS)
    gap = pl.when(company == company.shift(1)).then(year - year.shift(1)).otherwise(0)
    return (
        lf.select(key.cast(pl.Int64).sort().alias("key"))
        .filter(company_year.ne_missing(company_year.shift(1)))  # the first row of its year
        .with_columns((_low(k, scope * _YEAR_Q) * _YEARS + gap).alias("cell"))
    )


def _with_house(per_kommune: pl.LazyFrame, house: pl.LazyFrame) -> pl.LazyFrame:
    """Municipal cells plus the house's cells (kommune null): ``year``, ``kommune``,
    ``numerator`` and ``n``."""
    columns = ("numerator", "n")
    return pl.concat(
        [
            per_kommune.select("year", "kommune", *columns),
            house.select("year", pl.lit(None, pl.Int32).alias("kommune"), *columns),
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
        _with_house(kommune, house)
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
    cells = _with_house(kommune, house)
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
    """Cumulative counts per quarter, for the count KPIs' quarterly profile.

    Grain: year × kommune × quarter (kommune null = house). ``cum`` = courses (in
    ``categories``) or unique companies up to and including the quarter (a company counts in
    the quarter of its first course); ``cum_rows`` = courses up to the quarter.
    """
    (count_k, rows_k), (count_h, rows_h) = _quarterly(t, categories, unique_companies)
    return pl.concat(
        [_cumulative(count_k, rows_k, ["year", "kommune"]), _cumulative(count_h, rows_h, ["year"])]
    )


def course_totals(
    t: CrmTables, *, categories: Sequence[str] | None, unique_companies: bool
) -> pl.LazyFrame:
    """The counts of :func:`course_volume` up to the last quarter, without the quarters.

    Grain: year × kommune (kommune null = house), for the scopes with courses (in
    ``categories``). ``cum``: courses or unique companies; ``cum_rows``: courses.
    """
    parts = []
    for keys, (counted, rows) in zip(
        (["year", "kommune"], ["year"]), _quarterly(t, categories, unique_companies), strict=True
    ):
        part = (
            rows.group_by(keys)
            .agg(pl.col("rows").sum().alias("cum_rows"))
            .join(
                counted.group_by(keys).agg(pl.col("count").sum().alias("cum")), on=keys, how="left"
            )
            .with_columns(pl.col("cum").fill_null(0))
        )
        if "kommune" not in keys:
            part = part.with_columns(kommune=pl.lit(None, pl.Int32))
        parts.append(part.select("year", "kommune", "cum", "cum_rows"))
    return pl.concat(parts)


_Counted = tuple[pl.LazyFrame, pl.LazyFrame]  # (counted, rows)


def _quarterly(
    t: CrmTables, categories: Sequence[str] | None, unique_companies: bool
) -> tuple[_Counted, _Counted]:
    """(counted, rows) per year × kommune × quarter, then per year × quarter (the house):
    ``count`` = courses (in ``categories``) or companies whose first course is in the quarter,
    ``rows`` = courses."""
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
            firsts, house_firsts = _firsts(rows)
        quarter = pl.col("first_q").alias("quarter")
        count_k = firsts.group_by("year", "kommune", quarter).agg(
            pl.col("companies").sum().alias("count")
        )
        count_h = house_firsts.group_by("year", quarter).agg(
            pl.col("companies").sum().alias("count")
        )
    return (count_k, rows_k), (count_h, rows_h)


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
