"""The one rule for "when": a running year is seen as of its last ended quarter with data,
never judged as over and never dated in the future (hand-built 2026 data)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dashboard.views.format import as_of_text
from dashboard.views.upload import kpi_changes
from data.errors import PeriodError
from data.periods import AsOf, Quarter, landing_year, resolve_as_of
from data.reference import erhvervshus
from data.store import StoredData
from metrics.service import as_of_of, data_quarters, kpi_cells
from tests.factories import activity, answer, control, course, inputs, respondent

YEAR = 2026
# One KPI of each kind (the 2026 view continues the 2023 contract).
KINDS = {
    "share": "m3_meget_tilfreds",
    "nps": "m3_nps",
    "weighted share": "m1_kendskabsgrad",
    "count": "m11_unikke_virksomheder",
    "checklist": "m5_indsatser",
    "coverage": "m2_kommuner_daekket",
    "control group": "m6_kontrolgruppe",
}


def stored(*, until: int = 3) -> StoredData:
    """Courses in each quarter up to ``until``; five answers in Q1; the awareness survey at
    the end of Q3; one of two Mål 5 activities done; control-group figures meeting 1 of 3."""
    courses = [
        course(f"1{q}00000{i}", date(YEAR, 3 * q - 1, 10), kommune=851)
        for q in range(1, until + 1)
        for i in range(3)
    ]
    answers = [answer(on=date(YEAR, 2, 10), tilfredshed="Tilfreds", anbefaling=5) for _ in range(5)]
    respondents = (
        [respondent(YEAR, False, measured=date(YEAR, 9, 30)) for _ in range(5)]
        if until >= 3
        else []
    )
    activities = [
        activity(YEAR, "m5_vaerktoej_anvendt", "Gennemført", date(YEAR, 2, 1), goal=5),
        activity(YEAR, "m5_selvhjaelp", "I gang", date(YEAR, 2, 1), goal=5),
    ]
    controls = [control(YEAR, 12.0, 1.0, -0.5, entered=date(YEAR, 3, 15))]
    inp = inputs(courses, answers, respondents, activities, controls)
    return StoredData(
        forloeb=inp.forloeb.collect(),
        brugerevaluering=inp.brugerevaluering.collect(),
        kendskab=inp.kendskab.collect(),
        activities=inp.activities.collect(),
        control_group=inp.control_group.collect(),
    )


def statuses(data: StoredData, today: date) -> dict[str, str]:
    cells = kpi_cells(data, erhvervshus(), years=(YEAR - 1, YEAR), today=today)
    house = cells.filter(pl.col("year") == YEAR, pl.col("kommune").is_null())
    out = {}
    for kind, kpi in KINDS.items():
        row = house.filter(pl.col("kpi") == kpi, pl.col("segment").is_null())
        assert row.height == 1, kind
        out[kind] = row["status"][0]
    return out


RUNNING = {
    "share": "I risiko",
    "nps": "I risiko",
    "weighted share": "Afventer data",  # measured at the end of Q3: not known before
    "count": "I risiko",
    "checklist": "På vej",  # half done, the rest under way
    "coverage": "I risiko",
    "control group": "I risiko",
}
Q3 = RUNNING | {"weighted share": "I risiko"}
OVER = dict.fromkeys(KINDS, "Ikke opfyldt")


@pytest.mark.parametrize(
    ("today", "seen", "expected"),
    [
        (date(2026, 3, 31), None, RUNNING),  # Q1 has not ended: no date yet
        (date(2026, 4, 1), Quarter(YEAR, 1), RUNNING),
        (date(2026, 6, 30), Quarter(YEAR, 1), RUNNING),
        (date(2026, 7, 1), Quarter(YEAR, 2), RUNNING),
        (date(2026, 9, 30), Quarter(YEAR, 2), RUNNING),
        (date(2026, 10, 1), Quarter(YEAR, 3), Q3),
        (date(2026, 11, 27), Quarter(YEAR, 3), Q3),
        (date(2026, 12, 31), Quarter(YEAR, 3), Q3),  # Q4 ends tonight, and has no data
        (date(2027, 1, 1), Quarter(YEAR, 4), OVER),  # the year is over: judged
    ],
)
def test_status_of_each_kind_at_each_quarter_boundary(
    today: date, seen: Quarter | None, expected: dict[str, str]
) -> None:
    data = stored()
    assert as_of_of(data, YEAR, today=today).quarter == seen
    assert statuses(data, today) == expected


def test_running_year_with_data_in_q1_only() -> None:
    data = stored(until=1)
    assert data_quarters(data) == {Quarter(YEAR, 1)}
    seen = as_of_of(data, YEAR, today=date(2026, 11, 27))
    assert seen == AsOf(YEAR, Quarter(YEAR, 1))
    assert "Ikke opfyldt" not in statuses(data, date(2026, 11, 27)).values()


def test_header_never_shows_a_future_date() -> None:
    data = stored()
    assert as_of_text(as_of_of(data, YEAR, today=date(2026, 11, 27))) == (
        "30. september 2026 (3. kvartal 2026; året er ikke slut)"
    )
    assert as_of_text(as_of_of(data, YEAR, today=date(2027, 1, 5))) == (
        "31. december 2026 (hele 2026)"
    )
    assert as_of_text(as_of_of(data, YEAR, today=date(2026, 2, 1))).startswith("– (2026 har")


def test_a_quarter_that_has_not_ended_is_refused() -> None:
    with pytest.raises(PeriodError, match=r"4\. kvartal 2026 er ikke slut endnu"):
        resolve_as_of(YEAR, date(2026, 11, 27), [], Quarter(YEAR, 4))
    with pytest.raises(PeriodError, match="ligger ikke i år 2026"):
        resolve_as_of(YEAR, date(2026, 11, 27), [], Quarter(2025, 4))
    chosen = resolve_as_of(YEAR, date(2026, 11, 27), [], Quarter(YEAR, 2))
    assert (chosen.quarter, chosen.explicit, chosen.label) == (
        Quarter(YEAR, 2),
        True,
        "2. kvartal 2026",
    )


def test_landing_year_is_the_current_year_once_it_has_data() -> None:
    past = [Quarter(2025, 4)]
    assert landing_year(date(2026, 2, 1), [*past, Quarter(2026, 1)], 2023) == 2025
    assert landing_year(date(2026, 4, 1), [*past, Quarter(2026, 1)], 2023) == 2026
    assert landing_year(date(2026, 4, 1), past, 2023) == 2025
    assert landing_year(date(2026, 4, 1), [], 2023) == 2023


def test_upload_preview_of_a_running_quarter_never_says_ikke_opfyldt() -> None:
    before, after = stored(until=2), stored(until=3)
    changes = kpi_changes(before, after, year=YEAR, today=date(2026, 11, 27))
    assert not changes.is_empty()
    assert not any("Ikke opfyldt" in s for s in changes["Status efter"].to_list())
    assert not any("Ikke opfyldt" in s for s in changes["Status nu"].to_list())
