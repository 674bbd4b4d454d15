"""Mål 6's control-group figures as the goal page and the report show them: each entered
figure against its criterion, the source, who entered them and when. Plain text (never
Markdown: the source is typed by a person). No Streamlit here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl

from dashboard.views import format as fmt
from dashboard.views.numbers import danish_number_text
from metrics.contract import Kpi
from metrics.params import ControlGroupParams

# (column, label, parameter with the criterion, comparison) – the criteria of metrics.kept_records
CONTROL_GROUP_FIELDS = (
    ("revenue_pp", "Vækst: ekstra omsætningsvækst (procentpoint)"),
    ("employment_pp", "Vækst: ekstra beskæftigelsesvækst (procentpoint)"),
    ("productivity_effect", "Drift: produktivitetseffekt (procentpoint)"),
)
_CRITERIA: dict[str, tuple[Callable[[ControlGroupParams], float], str]] = {
    "revenue_pp": (lambda p: p.revenue_pp_min, "≥"),
    "employment_pp": (lambda p: p.employment_pp_min, "≥"),
    "productivity_effect": (lambda p: p.productivity_min, ">"),
}
AWAITING = (
    "Kontrolgruppetallene fra Erhvervsstyrelsen for {year} er endnu ikke indtastet "
    "(afventer metode)."
)


def latest_figures(
    control_group: pl.DataFrame, year: int, known_by: date | None = None
) -> dict[str, object] | None:
    """The newest entry for ``year`` (entered up to ``known_by`` when given), or None."""
    rows = control_group.filter(pl.col("year") == year)
    if known_by is not None:
        rows = rows.filter(pl.col("entered_date") <= known_by)
    return rows.row(-1, named=True) if rows.height else None


def control_group_lines(kpi: Kpi, entry: dict[str, object] | None, year: int) -> list[str]:
    """One line per criterion ('… 12,0 (kriterium ≥ 10,0) ✔ opfyldt'), then the source and
    who entered it; the "afventer metode" line only when nothing is entered."""
    if entry is None:
        return [AWAITING.format(year=year)]
    params = kpi.params
    if not isinstance(params, ControlGroupParams):
        raise TypeError(f"{kpi.id} is not a control-group KPI")
    lines = [f"Erhvervsstyrelsens kontrolgruppetal for virksomheder vejledt i {year}:"]
    for field, label in CONTROL_GROUP_FIELDS:
        value = entry[field]
        criterion_of, op = _CRITERIA[field]
        limit = float(criterion_of(params))
        criterion = f"kriterium {op} {danish_number_text(limit)}"
        if value is None:
            lines.append(f"{label}: ikke indtastet ({criterion})")
            continue
        number = float(str(value))
        met = number >= limit if op == "≥" else number > limit
        verdict = "✔ opfyldt" if met else "✖ ikke opfyldt"
        lines.append(f"{label}: {danish_number_text(number)} ({criterion}) {verdict}")
    entered = entry["entered_date"]
    when = fmt.day(entered) if isinstance(entered, date) else str(entered)
    lines.append(f"Kilde: {entry['source']} (indtastet {when} af {entry['entered_by']})")
    return lines
