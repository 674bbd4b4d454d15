"""Invariants of the KPI engine on random data (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.periods import Quarter
from expectations.schema import TILFREDSHED
from metrics.crm import crm_tables, new_company_share
from metrics.engine import periods_frame
from tests.conftest import examples
from tests.factories import answer, course, inputs
from tests.metrics.test_kpis import run

KOMMUNER = [773, 825, 851, 860]
answers_st = st.lists(
    st.builds(
        lambda seg, k, t, s, d: answer(
            segment=seg,
            kommune=k,
            tilfredshed=t,
            anbefaling=s,
            on=date(2022, 1, 1) + timedelta(days=d),
        ),
        st.sampled_from(["Drift", "Vækst"]),
        st.sampled_from(KOMMUNER),
        st.sampled_from([*TILFREDSHED, None]),
        st.one_of(st.none(), st.integers(0, 10)),
        st.integers(0, 364),
    ),
    max_size=80,
)
SETTINGS = settings(
    max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(answers_st)
def test_shares_stay_in_range_and_segments_add_up(rows: list[dict[str, object]]) -> None:
    df = run(inputs(answers=rows))
    for kpi, low, high in (("m3_meget_tilfreds", 0, 100), ("m3_nps", -100, 100)):
        cells = df.filter(pl.col("kpi") == kpi)
        values = cells["value"].drop_nulls()
        assert values.is_empty() or (values.min() >= low and values.max() <= high)  # type: ignore[operator]
        for kommune in [None, *KOMMUNER]:
            scope = cells.filter(
                pl.col("kommune").is_null() if kommune is None else pl.col("kommune") == kommune
            )
            _adds_up_or_hides_two(scope, "segment")
        for segment in [None, "drift", "vækst"]:
            scope = cells.filter(
                pl.col("segment").is_null() if segment is None else pl.col("segment") == segment
            )
            _adds_up_or_hides_two(scope, "kommune")
    assert all(
        r["value"] is None and r["n"] is None for r in df.iter_rows(named=True) if r["suppressed"]
    )


def _adds_up_or_hides_two(scope: pl.DataFrame, member: str) -> None:
    """In one relation total = Σ members (``member`` null is the total): shown n add up when
    nothing is hidden, and never exactly one cell is hidden (it would be total − the rest)."""
    hidden = scope.filter(pl.col("suppressed")).height
    assert hidden != 1
    if hidden == 0:
        n = scope.filter(pl.col(member).is_null())["n"].fill_null(0).sum()
        assert n == scope.filter(pl.col(member).is_not_null())["n"].fill_null(0).sum()


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from(KOMMUNER), st.integers(0, 364)), max_size=60
    )
)
def test_unique_companies_never_exceed_courses(rows: list[tuple[int, int, int]]) -> None:
    # Each company belongs to one municipality, so municipal counts add up to the total.
    courses = [
        course(f"5{c:07d}", date(2022, 1, 1) + timedelta(days=d), kommune=KOMMUNER[c % 4])
        for c, _, d in rows
    ]
    df = run(inputs(courses=courses))
    unique = df.filter(pl.col("kpi") == "m11_unikke_virksomheder")
    total = unique.filter(pl.col("kommune").is_null()).row(0, named=True)
    if courses:
        assert total["value"] <= total["n"] == len(courses)
        assert unique.filter(pl.col("kommune").is_not_null())["value"].sum() == total["value"]
        shares = df.filter(pl.col("kpi") == "m2_andel_vejledte")["value"].sum()
        assert abs(shares - 100.0) < 1e-9
    else:
        assert total["status"] == "Afventer data"


CVR_POOL = ["00000000", "00000001", "10000000", "12345674", "99999998", "99999999"]


def moving_courses(first_year: int) -> st.SearchStrategy[list[tuple[str, int, int, int]]]:
    """Courses (CVR, kommune, year, day of the year) from a few CVRs in several municipalities,
    from ``first_year`` to 2022."""
    return st.lists(
        st.tuples(
            st.sampled_from(CVR_POOL),
            st.sampled_from(KOMMUNER),
            st.integers(first_year, 2022),
            st.integers(0, 364),
        ),
        max_size=60,
    )


@SETTINGS
@given(moving_courses(2019), st.integers(1, 3), st.integers(1, 4))
def test_new_companies_are_those_not_guided_in_the_years_before(
    rows: list[tuple[str, int, int, int]], lookback: int, as_of_q: int
) -> None:
    """The new-company share's counts against plain sets of (kommune, CVR) per year; a company
    may move between municipalities, and CVRs span the whole 8-digit range."""
    starts = [(c, k, date(y, 1, 1) + timedelta(days=d)) for c, k, y, d in rows]
    courses = [course(c, start, kommune=k) for c, k, start in starts]
    as_of = {y: Quarter(y, as_of_q if y == 2022 else 4) for y in (2020, 2021, 2022)}
    periods = periods_frame(as_of, explicit=True)
    f = inputs(courses=courses).forloeb
    full = crm_tables(f)
    got = new_company_share(full.within(periods), full, lookback_years=lookback, confidence=0.95)
    cells = {(r["year"], r["kommune"]): r for r in got.collect().iter_rows(named=True)}

    def seen(year: int, kommune: int | None, *, window: bool) -> set[str]:
        return {
            c
            for c, k, start in starts
            if start.year == year
            and kommune in (None, k)
            and (not window or start <= as_of[year].end)
        }

    data_years = {start.year for _, _, start in starts}
    for (year, kommune), cell in cells.items():
        now = seen(year, kommune, window=True)
        before = set().union(
            *(seen(year - k, kommune, window=False) for k in range(1, lookback + 1))
        )
        assert cell["n"] == len(now)
        assert cell["numerator"] == len(now - before)
        has_previous = any(year - k in data_years for k in range(1, lookback + 1))
        assert (cell["value"] is not None) == (has_previous and len(now) > 0)
    for year in as_of:
        for kommune in [None, *KOMMUNER]:
            assert ((year, kommune) in cells) == bool(seen(year, kommune, window=True))


@SETTINGS
@given(moving_courses(2021), st.integers(1, 4))
def test_unique_companies_of_the_house_count_a_moving_company_once(
    rows: list[tuple[str, int, int, int]], as_of_q: int
) -> None:
    """Unique companies per municipality and for the house against plain sets of CVRs, in the
    window of a running year: a company with courses in several municipalities counts in each
    of them and once for the house, in the quarter of its first course anywhere."""
    starts = [(c, k, date(y, 1, 1) + timedelta(days=d)) for c, k, y, d in rows]
    as_of = Quarter(2022, as_of_q)
    df = run(inputs(courses=[course(c, start, kommune=k) for c, k, start in starts]), as_of=as_of)
    unique = df.filter(pl.col("kpi") == "m11_unikke_virksomheder")

    def companies(kommune: int | None) -> set[str]:
        return {
            c
            for c, k, start in starts
            if start.year == 2022 and start <= as_of.end and kommune in (None, k)
        }

    for kommune in [None, *KOMMUNER]:
        scope = unique.filter(
            pl.col("kommune").is_null() if kommune is None else pl.col("kommune") == kommune
        )
        expected = len(companies(kommune))
        if expected:
            assert scope.row(0, named=True)["value"] == expected
        else:
            assert scope.is_empty() or scope.row(0, named=True)["value"] in (None, 0.0)
