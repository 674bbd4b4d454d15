"""Danish number, count and date texts."""

from __future__ import annotations

from datetime import date

from dashboard.views import format as fmt


def test_numbers_have_a_decimal_comma_and_a_thousands_dot() -> None:
    assert fmt.number(1234.5, 1) == "1.234,5"
    assert fmt.number(0.05, 1) == "0,1"  # half up, as in the engine
    assert fmt.percent(None) == "ingen data"


def test_counts_agree_in_number() -> None:
    assert fmt.count(1, "problem", "problemer") == "1 problem"
    assert fmt.count(0, "regel", "regler") == "0 regler"
    assert fmt.count(1234, "række", "rækker") == "1.234 rækker"


def test_dates_are_day_month_year() -> None:
    assert fmt.day(date(2022, 12, 31)) == "31-12-2022"
    assert fmt.long_day(date(2022, 12, 31)) == "31. december 2022"
