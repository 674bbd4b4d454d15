"""Quarters ("2022Q3") and the as-of logic shared by jobs, storage and the CLI."""

from __future__ import annotations

import re
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


def default_as_of(year: int, today: date) -> Quarter:
    """The as-of quarter for a year when none is given.

    A past year is seen as complete (Q4). The current year is seen as of today's quarter,
    so it counts as not over and count KPIs are projected. A future year is seen as of Q1.
    """
    if year < today.year:
        return Quarter(year, 4)
    if year == today.year:
        return Quarter.of(today)
    return Quarter(year, 1)
