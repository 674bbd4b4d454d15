"""Theme distribution and fair share on small hand-built frames."""

from __future__ import annotations

from datetime import date

import polars as pl
from polars.testing import assert_frame_equal

from metrics.breakdowns import fair_share, theme_distribution
from tests.factories import cvr_numbers

THEMES = ("Innovation", "Finansiering", "Digitalisering og automatisering")


def courses() -> pl.LazyFrame:
    return pl.LazyFrame(
        {
            "cvr": cvr_numbers(
                ["10000001", "10000001", "10000002", "10000003", "10000004", "10000005"]
            ),
            "kommunekode": [851, 851, 851, 773, 851, 851],
            "fagomraade": [
                "Innovation",
                "Innovation",
                "Finansiering",
                "Innovation",
                "Finansiering",
                "Innovation",
            ],
            "startdato": [
                date(2022, 1, 5),
                date(2022, 5, 5),
                date(2022, 2, 1),
                date(2022, 3, 1),
                date(2022, 11, 1),  # after the as-of
                date(2021, 6, 1),  # another year
            ],
        }
    )


def test_theme_distribution_counts_courses_and_companies_up_to_as_of() -> None:
    out = theme_distribution(courses(), year=2022, data_end=date(2022, 9, 30), themes=THEMES)
    assert isinstance(out, pl.LazyFrame)
    expected = pl.DataFrame(
        {
            "fagomraade": list(THEMES),
            "forloeb": [3, 1, 0],
            "virksomheder": [2, 1, 0],
            "andel": [75.0, 25.0, 0.0],
        }
    )
    assert_frame_equal(out.collect(), expected)


def test_theme_distribution_for_one_kommune_and_empty_year() -> None:
    out = theme_distribution(
        courses(), year=2022, data_end=date(2022, 12, 31), themes=THEMES, kommune=773
    ).collect()
    assert out["forloeb"].to_list() == [1, 0, 0]
    empty = theme_distribution(courses(), year=2019, data_end=date(2019, 12, 31), themes=THEMES)
    assert empty.collect()["andel"].to_list() == [None, None, None]


def test_fair_share_ratio_and_warning() -> None:
    shares = pl.LazyFrame({"kommune": [851, 773], "value": [90.0, 10.0], "numerator": [9.0, 1.0]})
    funding = pl.LazyFrame({"kommune": [851, 773, 825], "basisbevilling": [60, 30, 10]})
    out = fair_share(shares, funding, warning_ratio=0.5).collect()
    assert_frame_equal(
        out,
        pl.DataFrame(
            {
                "kommune": [773, 825, 851],
                "vejledte": [1.0, None, 9.0],
                "andel_vejledte": [10.0, None, 90.0],
                "andel_noegle": [30.0, 10.0, 60.0],
                "ratio": [10.0 / 30.0, None, 1.5],
                "langt_under": [True, False, False],
            }
        ),
    )
