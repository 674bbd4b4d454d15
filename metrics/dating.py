"""The year and quarter of each row's date, looked up in a table of days.

Polars computes ``dt.year()`` and ``dt.quarter()`` through a calendar conversion per row; on
a million course rows that is the largest cost of reading them. Here a date's day number
indexes two small columns (the year and the quarter of every day from 1900 to 2155), which is
a gather: a third of the time. The span is the 256 years the CRM tables can pack (see
:mod:`metrics.crm`); a date outside it belongs to no year (null), so the engine leaves it out.
Uploads only take dates inside the chosen period, so such a date cannot reach the engine from
the dashboard.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import polars as pl

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2155, 12, 31)
_FIRST = (FIRST_DAY - date(1970, 1, 1)).days  # Polars' day number of the first day
_DAYS = (LAST_DAY - FIRST_DAY).days + 1


@cache
def _calendar() -> tuple[pl.Series, pl.Series]:
    """The year (Int32) and the quarter (Int8) of every day from FIRST_DAY to LAST_DAY."""
    days = pl.date_range(FIRST_DAY, LAST_DAY, eager=True)
    return days.dt.year().cast(pl.Int32), days.dt.quarter()


def year_and_quarter(day: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The year (Int32) and the quarter (Int8, 1–4) of the dates ``day``; null for a null
    date and for a date before FIRST_DAY or after LAST_DAY."""
    offset = day.cast(pl.Int32) - _FIRST
    index = pl.when(offset.is_between(0, _DAYS - 1)).then(offset)
    years, quarters = _calendar()
    return pl.lit(years).gather(index), pl.lit(quarters).gather(index)
