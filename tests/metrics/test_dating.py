"""The year and quarter of a date by table lookup (metrics.dating)."""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics.dating import FIRST_DAY, LAST_DAY, year_and_quarter


def _dated(days: list[date | None]) -> pl.DataFrame:
    year, quarter = year_and_quarter(pl.col("d"))
    return pl.DataFrame({"d": days}, schema={"d": pl.Date}).select(
        year.alias("year"), quarter.alias("quarter")
    )


def test_every_day_of_the_calendar_gets_polars_own_year_and_quarter() -> None:
    days = pl.date_range(FIRST_DAY, LAST_DAY, eager=True)
    expected = pl.DataFrame({"year": days.dt.year().cast(pl.Int32), "quarter": days.dt.quarter()})
    got = _dated(days.to_list())
    assert got.schema == {"year": pl.Int32, "quarter": pl.Int8}
    assert got.equals(expected)


def test_quarter_boundaries_by_hand() -> None:
    got = _dated([date(2024, 3, 31), date(2024, 4, 1), date(2023, 12, 31), date(2024, 1, 1)])
    assert got.rows() == [(2024, 1), (2024, 2), (2023, 4), (2024, 1)]


def test_a_null_date_and_a_date_outside_the_calendar_belong_to_no_year() -> None:
    got = _dated([None, date(1899, 12, 31), FIRST_DAY, LAST_DAY, date(2156, 1, 1)])
    assert got.rows() == [(None, None), (None, None), (1900, 1), (2155, 4), (None, None)]
