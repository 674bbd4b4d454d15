"""Which exports of a year are still missing (the director's upload reminders).

Courses (CRM) and user-evaluation answers are uploaded every quarter: a quarter that has ended
without an active batch is missing. The awareness survey is measured once, in the autumn
(Q3 or Q4), and only in the years whose contract measures awareness: it is missing when the
year is over without a measurement, and due while the autumn is still running.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from data.periods import Quarter
from data.schema import BatchStatus
from data.store import BatchInfo
from expectations.schema import Kind

QUARTERLY_KINDS = (Kind.FORLOEB, Kind.BRUGEREVALUERING)
AUTUMN = (3, 4)


@dataclass(frozen=True, slots=True)
class MissingUpload:
    kind: Kind
    periods: tuple[str, ...]  # quarters without an active batch, e.g. ("2023Q1", "2023Q2")
    overdue: bool  # False: not missing yet, but due (the awareness survey during the autumn)


def missing_uploads(
    batches: Sequence[BatchInfo], *, year: int, today: date, awareness_expected: bool
) -> list[MissingUpload]:
    """The exports of ``year`` that should be in by ``today`` and are not. Empty when complete."""
    active = {(b.kind, b.period) for b in batches if b.status == BatchStatus.ACTIVE}
    ended = [Quarter(year, q) for q in range(1, 5) if Quarter(year, q).end < today]
    out = []
    for kind in QUARTERLY_KINDS:
        gaps = tuple(str(q) for q in ended if (str(kind), str(q)) not in active)
        if gaps:
            out.append(MissingUpload(kind, gaps, overdue=True))
    if awareness_expected:
        autumn = tuple(str(Quarter(year, q)) for q in AUTUMN)
        measured = any((str(Kind.KENDSKAB), p) in active for p in autumn)
        year_over = Quarter(year, 4).end < today
        autumn_started = Quarter(year, AUTUMN[0]).start <= today
        if not measured and autumn_started:
            out.append(MissingUpload(Kind.KENDSKAB, autumn, overdue=year_over))
    return out
