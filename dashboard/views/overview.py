"""The overview's content as plain texts: the summary line, a card per goal and the KPI table.
No Streamlit here.

Everything the overview shows of the figures depends only on the cells of the view, so it is
worked out once (:func:`overview`) and kept for every session that views the same data with
the same filters (``dashboard.ui.cache.overview``); a page view then only sends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import polars as pl

from dashboard.views import format as fmt
from dashboard.views.explain import UNCERTAIN_TEXT, uncertain
from dashboard.views.goals import goal_status, summary_line
from dashboard.views.kpi import (
    HOUSE_ONLY,
    funding_share,
    is_house_figure,
    kpi_table,
    main_cell,
    n_text,
    status_text,
    trend_text,
)
from dashboard.views.lists import kpi_list
from data.reference import erhvervshus
from metrics.contract import Contract, Goal, KpiKind
from metrics.status import KpiStatus

# Streamlit's badge colours; the icon and the word always come with them.
BADGE = {
    KpiStatus.OPFYLDT: "green",
    KpiStatus.PAA_VEJ: "blue",
    KpiStatus.I_RISIKO: "orange",
    KpiStatus.IKKE_OPFYLDT: "red",
    KpiStatus.AFVENTER: "gray",
}


def status_badge(status: str) -> str:
    """Markdown for a status badge: icon + word, colour as a third signal."""
    return f":{BADGE[status]}-badge[{status_text(status)}]"


@dataclass(frozen=True, slots=True)
class Headline:
    """A card's headline figure: the KPI's label (caption and metric label), its value and
    the Markdown line under it (status and details, or the funding key)."""

    label: str
    value: str
    line: str


@dataclass(frozen=True, slots=True)
class GoalCard:
    number: int
    title: str  # Markdown
    whole: str | None  # "Målet samlet: …" (Markdown), None when nothing is judged
    headline: Headline | None
    note: str  # the caption shown instead of a headline
    more_label: str | None  # the expander with the other KPIs and earlier years, if any
    more_text: str


@dataclass(frozen=True, slots=True)
class Overview:
    summary: str
    cards: tuple[GoalCard, ...]
    table: pl.DataFrame  # a kpi_table; never changed once built
    grid: pd.DataFrame  # the table as the grid is given it (converted once; never changed)
    table_list: tuple[str, ...]  # the table as Markdown blocks for a phone


def overview(
    contract: Contract,
    cells: pl.DataFrame,
    history: pl.DataFrame,
    kommune: int | None,
    earlier_years: Sequence[int],
) -> Overview:
    """The overview of one view: ``cells`` of the year and ``history`` of every year (the
    view's scope, :func:`dashboard.views.kpi.house_cells`)."""
    table = kpi_table(cells, contract, erhvervshus(), kommune)
    return Overview(
        summary=summary_line(contract, cells),
        cards=tuple(goal_card(g, cells, history, kommune, earlier_years) for g in contract.goals),
        table=table,
        grid=table.to_pandas(),
        table_list=tuple(kpi_list(table)),
    )


def goal_card(
    goal: Goal,
    cells: pl.DataFrame,
    history: pl.DataFrame,
    kommune: int | None,
    earlier_years: Sequence[int],
) -> GoalCard:
    """Title, main KPI against its target, status, n, and the folded rest."""
    whole = goal_status(goal, cells)
    kpi = goal.main_kpi
    cell = main_cell(cells, kpi)
    headline: Headline | None = None
    note = ""
    if cell is None and kommune is not None:
        headline = _kommune_share(goal, cells, kommune)
        note = "" if headline is not None else "Opgøres kun for hele huset."
    elif cell is None:
        note = "Ingen opgørelse for denne visning."
    else:
        details = ["Mål: " + fmt.target_text(cell["target"], kpi.unit)]
        if n_text(cell["kind"], cell["n"]):
            details.append(n_text(cell["kind"], cell["n"]))
        if is_house_figure(cell, kommune):
            details.append(f"tal for {HOUSE_ONLY}, opgøres ikke pr. kommune")
        badge = status_badge(str(cell["status"]))
        if uncertain(cell):
            badge += f" :gray-badge[{UNCERTAIN_TEXT}]"
        line = badge + " " + " · ".join(details)
        headline = Headline(kpi.label, fmt.cell_value(cell, kpi.unit), line)
    more_label, more_text = _more(goal, cells, history, earlier_years)
    return GoalCard(
        number=goal.number,
        title=f"**{goal.title}**",
        whole=None if whole is None else "Målet samlet: " + status_badge(whole),
        headline=headline,
        note=note,
        more_label=more_label,
        more_text=more_text,
    )


def _more(
    goal: Goal, cells: pl.DataFrame, history: pl.DataFrame, earlier_years: Sequence[int]
) -> tuple[str | None, str]:
    """The goal's other KPIs and the main KPI's earlier years, folded: eleven cards stay
    short on a phone; the status (icon and word) of each other KPI is in the expander's label."""
    kpi = goal.main_kpi
    cell = main_cell(cells, kpi)
    trend = (
        trend_text(history, kpi.id, kpi.unit, earlier_years, current_kind=cell["kind"])
        if cell is not None
        else ""
    )
    others = [(k, c) for k in goal.kpis[1:] if (c := main_cell(cells, k)) is not None]
    if not trend and not others:
        return None, ""
    words = ", ".join(status_text(str(c["status"])) for _, c in others)
    parts = [f"Yderligere {len(others)} nøgletal ({words})"] if others else []
    if trend:
        parts.append("tidligere år")
    label = " og ".join(parts)
    lines = [
        f"{other.label}: {fmt.cell_value(c, other.unit)} ({status_text(str(c['status']))})"
        for other, c in others
    ]
    if trend:
        lines.append("Tidligere år: " + trend)
    return label[0].upper() + label[1:], "  \n".join(lines)


def _kommune_share(goal: Goal, cells: pl.DataFrame, kommune: int) -> Headline | None:
    """Mål 2 in a municipality's view: its share of the guided companies against its share of
    the funding key (no target, so no status); coverage means nothing for one municipality."""
    for kpi in goal.kpis:
        if kpi.kind is not KpiKind.KOMMUNE_SHARE:
            continue
        rows = cells.filter(pl.col("kpi") == kpi.id, pl.col("kommune") == kommune)
        if rows.is_empty():
            continue
        c = rows.row(0, named=True)
        key = fmt.percent(funding_share(erhvervshus(), kommune))
        return Headline(
            kpi.label,
            fmt.kpi_value(c["value"], kpi.unit),
            f"Kommunens andel af fordelingsnøglen: {key} · intet mål, derfor ingen status",
        )
    return None
