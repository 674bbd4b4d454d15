"""Quarters ("2022Q3") and the as-of logic shared by jobs, storage and the CLI."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from data.errors import PeriodError

_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        m = _QUARTER_RE.match(text)
        if not m:
            raise PeriodError(f"Perioden '{text}' kan ikke læses. Skriv år og kvartal som 2022Q3.")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, d: date) -> Quarter:
        return cls(d.year, (d.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * (self.q - 1) + 1, 1)

    @property
    def end(self) -> date:
        nxt = Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)
        return nxt.start - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def label(self) -> str:
        """Danish label, e.g. '3. kvartal 2022'."""
        return f"{self.q}. kvartal {self.year}"


def ended(quarter: Quarter, today: date) -> bool:
    """A quarter has ended when its last day is before ``today``."""
    return quarter.end < today


@dataclass(frozen=True, slots=True)
class AsOf:
    """How a year is seen: as of the end of ``quarter``.

    ``quarter`` is None for a running year that has no ended quarter with data yet; the
    engine then computes as of Q1 (nothing is final) and no date is shown.
    """

    year: int
    quarter: Quarter | None
    explicit: bool = False  # chosen by the person (``pr=2026Q2``), not the default

    @property
    def year_over(self) -> bool:
        return self.quarter is not None and self.quarter.q == 4

    @property
    def engine_quarter(self) -> Quarter:
        return self.quarter if self.quarter is not None else Quarter(self.year, 1)

    @property
    def end(self) -> date | None:
        return None if self.quarter is None else self.quarter.end

    @property
    def label(self) -> str:
        """'hele 2025', '3. kvartal 2026' or why there is no date yet."""
        if self.quarter is None:
            return f"{self.year} har endnu ingen afsluttede kvartaler med data"
        if self.year_over and not self.explicit:
            return f"hele {self.year}"
        return self.quarter.label


def resolve_as_of(
    year: int,
    today: date,
    data_quarters: Iterable[Quarter],
    requested: Quarter | None = None,
) -> AsOf:
    """The one rule for "when" a year is seen, used by the pages, the upload preview, the CLI
    and the export alike.

    - A year that is over (31 December before ``today``) is seen whole: as of its Q4.
    - A year that is not over is seen as of the last *ended* quarter that has data
      (``data_quarters``), so its status is never "Ikke opfyldt" and its date never in the
      future; without such a quarter it has no as-of quarter yet.
    - A ``requested`` quarter must lie in ``year`` and have ended.
    """
    if requested is not None:
        if requested.year != year:
            raise PeriodError(f"Status pr. {requested} ligger ikke i år {year}.")
        if not ended(requested, today):
            raise PeriodError(
                f"{requested.label} er ikke slut endnu (i dag er {today:%d-%m-%Y}). "
                "Vælg et afsluttet kvartal."
            )
        return AsOf(year, requested, explicit=True)
    if ended(Quarter(year, 4), today):
        return AsOf(year, Quarter(year, 4))
    done = [q for q in data_quarters if q.year == year and ended(q, today)]
    return AsOf(year, max(done, default=None))


def landing_year(today: date, data_quarters: Iterable[Quarter], fallback: int) -> int:
    """The year a visitor sees first: the current year once an ended quarter of it has data,
    else the latest earlier year with data (else ``fallback``)."""
    quarters = list(data_quarters)
    if resolve_as_of(today.year, today, quarters).quarter is not None:
        return today.year
    return max((q.year for q in quarters if q.year < today.year), default=fallback)
