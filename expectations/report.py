"""The validation report of an uploaded file: plain dataclasses with Danish text.

Nothing from Great Expectations leaks into these objects, so the CLI, the pages and the
quarantine table can render and store them without importing it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A report lists at most this many problems (the first in the file); every rule's count is
# complete. It keeps the cost of a file with hundreds of thousands of bad cells bounded.
MAX_LISTED_PROBLEMS = 1_000
# A cell's text (or a header) quoted in a report is shortened to this many characters.
MAX_QUOTED_CHARS = 80


def shorten(text: str | None, limit: int = MAX_QUOTED_CHARS) -> str | None:
    """'AAAA…' (first ``limit`` - 1 characters and an ellipsis) for a text over ``limit``."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One problem a person can find in the file.

    ``row`` is the row number as seen in the file (spreadsheet row / CSV record, counting the
    title block and the header); ``None`` for problems about the whole file. ``column`` is the
    Danish label (or the file's own header for unknown columns); ``value`` the text as read.
    """

    rule_id: str
    rule: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        # A 1 MB cell or header is quoted shortened; the rule says what was wrong with it.
        object.__setattr__(self, "column", shorten(self.column))
        object.__setattr__(self, "value", shorten(self.value))

    def to_text(self) -> str:
        parts: list[str] = []
        if self.row is not None:
            parts.append(f"Række {self.row}")
        if self.column is not None:
            parts.append(f"kolonne '{self.column}'")
        if self.value is not None:
            parts.append(f"værdi '{self.value}'")
        prefix = ", ".join(parts)
        if prefix:
            prefix = prefix[0].upper() + prefix[1:]
            return f"{prefix}: {self.rule}"
        return self.rule

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "rule": self.rule,
            "row": self.row,
            "column": self.column,
            "value": self.value,
        }


@dataclass(frozen=True, slots=True)
class RuleResult:
    """How many cells broke one rule."""

    rule_id: str
    rule: str
    column: str | None
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "rule": self.rule,
            "column": self.column,
            "count": self.count,
        }


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of checking one file. ``ok`` is true only when there are no problems."""

    ok: bool
    rows_read: int
    rules: list[RuleResult] = field(default_factory=list)
    cells: list[CellProblem] = field(default_factory=list)

    @classmethod
    def from_problems(
        cls,
        problems: Iterable[CellProblem],
        *,
        rows_read: int,
        counts: Mapping[str, int] | None = None,
    ) -> ValidationReport:
        """Build a report, counting the problems per rule in order of first appearance.

        ``counts`` are complete counts per rule when ``problems`` lists only some of them;
        the report lists the first :data:`MAX_LISTED_PROBLEMS` problems in file order.
        """
        cells = list(problems)
        listed: Counter[str] = Counter(p.rule_id for p in cells)
        rules: list[RuleResult] = []
        seen: set[str] = set()
        for p in cells:
            if p.rule_id not in seen:
                seen.add(p.rule_id)
                column = p.column if _single_column(cells, p.rule_id) else None
                count = max(listed[p.rule_id], (counts or {}).get(p.rule_id, 0))
                rules.append(RuleResult(p.rule_id, p.rule, column, count))
        cells.sort(key=lambda p: (p.row is not None, p.row or 0))
        del cells[MAX_LISTED_PROBLEMS:]
        return cls(ok=not cells, rows_read=rows_read, rules=rules, cells=cells)

    @property
    def problem_count(self) -> int:
        """All problems found, also those beyond the listed ones."""
        return sum(r.count for r in self.rules)

    @property
    def truncated(self) -> bool:
        return self.problem_count > len(self.cells)

    def to_text(self, limit: int = 50) -> str:
        """A Danish plain-text report, listing at most ``limit`` problems."""
        if self.ok:
            return (
                f"Filen er godkendt: {_plural(self.rows_read, 'række', 'rækker')} læst, "
                "ingen problemer fundet."
            )
        lines = [
            f"Filen blev afvist: {_plural(self.problem_count, 'problem', 'problemer')} "
            f"i {_plural(len(self.rules), 'regel', 'regler')} "
            f"({_plural(self.rows_read, 'datarække', 'datarækker')} læst).",
            "",
            "Regler:",
        ]
        for r in self.rules:
            where = f" (kolonne '{r.column}')" if r.column else ""
            lines.append(f"- {r.rule}{where}: {_plural(r.count, 'problem', 'problemer')}")
        lines += ["", "Problemer:"]
        shown = self.cells[:limit]
        lines += [p.to_text() for p in shown]
        rest = self.problem_count - len(shown)
        if rest > 0:
            lines.append(f"… og {_plural(rest, 'problem', 'problemer')} mere.")
        if self.truncated:
            lines.append(
                f"Kontrollen viser de første {MAX_LISTED_PROBLEMS:,} problemer; antallet pr. "
                "regel ovenfor er fuldstændigt.".replace(",", ".")
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for storing the report with the batch or the quarantined file."""
        return {
            "ok": self.ok,
            "rows_read": self.rows_read,
            "rules": [r.to_dict() for r in self.rules],
            "cells": [c.to_dict() for c in self.cells],
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ValidationReport:
        return cls(
            ok=bool(raw["ok"]),
            rows_read=int(raw["rows_read"]),
            rules=[RuleResult(**r) for r in raw["rules"]],
            cells=[CellProblem(**c) for c in raw["cells"]],
        )


def _single_column(cells: list[CellProblem], rule_id: str) -> bool:
    return len({p.column for p in cells if p.rule_id == rule_id}) == 1
