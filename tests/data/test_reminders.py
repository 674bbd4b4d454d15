"""Upload reminders: the quarters of a year that have ended without an active batch."""

from __future__ import annotations

from datetime import UTC, date, datetime

from data.reminders import MissingUpload, missing_uploads
from data.store import BatchInfo
from expectations.schema import Kind

AT = datetime(2023, 1, 1, tzinfo=UTC)


def batch(kind: str, period: str, status: str = "active") -> BatchInfo:
    return BatchInfo(1, kind, period, "f.csv", "d", AT, 10, status, "0" * 64)


def test_every_ended_quarter_without_an_active_batch_is_missing() -> None:
    batches = [
        batch("forloeb", "2023Q1"),
        batch("forloeb", "2023Q2", status="replaced"),  # replaced only: still missing
        batch("brugerevaluering", "2023Q1"),
        batch("brugerevaluering", "2023Q2"),
    ]
    got = missing_uploads(batches, year=2023, today=date(2023, 8, 15), awareness_expected=False)
    assert got == [MissingUpload(Kind.FORLOEB, ("2023Q2",), overdue=True)]


def test_the_current_quarter_is_not_due_yet() -> None:
    got = missing_uploads([], year=2023, today=date(2023, 3, 31), awareness_expected=False)
    assert got == []
    got = missing_uploads([], year=2023, today=date(2023, 4, 1), awareness_expected=False)
    assert [m.periods for m in got] == [("2023Q1",), ("2023Q1",)]


def test_awareness_is_due_in_the_autumn_and_missing_after_the_year() -> None:
    full = [batch(k, f"2023Q{q}") for k in ("forloeb", "brugerevaluering") for q in (1, 2, 3, 4)]
    autumn = missing_uploads(full, year=2023, today=date(2023, 10, 5), awareness_expected=True)
    assert autumn == [MissingUpload(Kind.KENDSKAB, ("2023Q3", "2023Q4"), overdue=False)]
    after = missing_uploads(full, year=2023, today=date(2024, 2, 1), awareness_expected=True)
    assert after == [MissingUpload(Kind.KENDSKAB, ("2023Q3", "2023Q4"), overdue=True)]
    measured = [*full, batch("kendskab", "2023Q4")]
    assert (
        missing_uploads(measured, year=2023, today=date(2024, 2, 1), awareness_expected=True) == []
    )
    assert missing_uploads(full, year=2023, today=date(2024, 2, 1), awareness_expected=False) == []
    spring = missing_uploads([], year=2023, today=date(2023, 5, 1), awareness_expected=True)
    assert [m.kind for m in spring] == [Kind.FORLOEB, Kind.BRUGEREVALUERING]
