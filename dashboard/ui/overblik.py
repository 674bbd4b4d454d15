"""The overview's goal cards and KPI table (Streamlit-facing)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
import streamlit as st

from dashboard.ui.filters import Filters
from dashboard.views import format as fmt
from dashboard.views.explain import UNCERTAIN_TEXT, uncertain
from dashboard.views.goals import goal_status
from dashboard.views.kpi import (
    HOUSE_ONLY,
    funding_share,
    is_house_figure,
    main_cell,
    n_text,
    status_text,
    trend_text,
)
from data.periods import Quarter
from data.reference import erhvervshus
from data.reminders import missing_uploads
from data.store import BatchInfo
from expectations.schema import KIND_LABELS
from metrics.contract import Contract, Goal, KpiKind, contract_for
from metrics.status import KpiStatus

# Streamlit's badge colours; the icon and the word always come with them.
BADGE = {
    KpiStatus.OPFYLDT: "green",
    KpiStatus.PAA_VEJ: "blue",
    KpiStatus.I_RISIKO: "orange",
    KpiStatus.IKKE_OPFYLDT: "red",
    KpiStatus.AFVENTER: "gray",
}
CARD_WIDTH = 255  # px: three across in the 1280 px layout


def status_badge(status: str) -> str:
    """Markdown for a status badge: icon + word, colour as a third signal."""
    return f":{BADGE[status]}-badge[{status_text(status)}]"


def goal_cards(
    contract: Contract,
    cells: pl.DataFrame,
    history: pl.DataFrame,
    filters: Filters,
    earlier_years: Sequence[int],
) -> None:
    """One card per goal: title, main KPI against its target, status, n, earlier years."""
    # A wrapping row of fixed-width cards: see CARD_WIDTH; one per row on a tablet.
    with st.container(horizontal=True, wrap=True, gap="small"):
        for goal in contract.goals:
            with st.container(border=True, width=CARD_WIDTH, key=f"card_{goal.number}"):
                _card(goal, cells, history, filters, earlier_years)


def _card(
    goal: Goal,
    cells: pl.DataFrame,
    history: pl.DataFrame,
    filters: Filters,
    earlier_years: Sequence[int],
) -> None:
    st.markdown(f"**{goal.title}**")
    whole = goal_status(goal, cells)
    if whole is not None:
        st.markdown("Målet samlet: " + status_badge(whole))
    kpi = goal.main_kpi
    cell = main_cell(cells, kpi)
    if cell is None and filters.kommune is not None:
        _kommune_share_line(goal, cells, filters.kommune)
    elif cell is None:
        st.caption("Ingen opgørelse for denne visning.")
    else:
        value = fmt.cell_value(cell, kpi.unit)
        st.caption(kpi.label)
        st.metric(kpi.label, value, label_visibility="collapsed")
        details = ["Mål: " + fmt.target_text(cell["target"], kpi.unit)]
        if n_text(cell["kind"], cell["n"]):
            details.append(n_text(cell["kind"], cell["n"]))
        if is_house_figure(cell, filters.kommune):
            details.append(f"tal for {HOUSE_ONLY}, opgøres ikke pr. kommune")
        badge = status_badge(str(cell["status"]))
        if uncertain(cell):
            badge += f" :gray-badge[{UNCERTAIN_TEXT}]"
        st.markdown(badge + " " + " · ".join(details))
    _more(goal, cells, history, earlier_years)
    st.page_link(
        "dashboard/pages/maal.py",
        label=f"Se Mål {goal.number} i detaljer",
        icon=":material/arrow_forward:",
        query_params=filters.query(maal=str(goal.number)),
    )


def _more(
    goal: Goal, cells: pl.DataFrame, history: pl.DataFrame, earlier_years: Sequence[int]
) -> None:
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
        return
    words = ", ".join(status_text(str(c["status"])) for _, c in others)
    parts = [f"Yderligere {len(others)} nøgletal ({words})"] if others else []
    if trend:
        parts.append("tidligere år")
    label = " og ".join(parts)
    with st.expander(label[0].upper() + label[1:]):
        lines = [
            f"{other.label}: {fmt.cell_value(c, other.unit)} ({status_text(str(c['status']))})"
            for other, c in others
        ]
        if trend:
            lines.append("Tidligere år: " + trend)
        st.caption("  \n".join(lines))


def _kommune_share_line(goal: Goal, cells: pl.DataFrame, kommune: int) -> None:
    """Mål 2 in a municipality's view: its share of the guided companies against its share of
    the funding key (no target, so no status); coverage means nothing for one municipality."""
    for kpi in goal.kpis:
        if kpi.kind is not KpiKind.KOMMUNE_SHARE:
            continue
        rows = cells.filter(pl.col("kpi") == kpi.id, pl.col("kommune") == kommune)
        if rows.is_empty():
            continue
        c = rows.row(0, named=True)
        st.caption(kpi.label)
        st.metric(kpi.label, fmt.kpi_value(c["value"], kpi.unit), label_visibility="collapsed")
        key = fmt.percent(funding_share(erhvervshus(), kommune))
        st.markdown(f"Kommunens andel af fordelingsnøglen: {key} · intet mål, derfor ingen status")
        return
    st.caption("Opgøres kun for hele huset.")


def upload_reminders(batches: Sequence[BatchInfo], years: Sequence[int]) -> None:
    """For the director: which exports of the current (and the viewed) year are still missing."""
    today = date.today()
    shown = False
    for year in sorted({y for y in years if y <= today.year}):
        # The awareness survey is due in the years whose Mål 1 is the measured awareness
        # (in 2022 it was the campaign, a checklist).
        awareness = any(
            k.id == "m1_kendskabsgrad" and k.kind is KpiKind.WEIGHTED_SHARE
            for k in contract_for(year).kpis
        )
        missing = missing_uploads(batches, year=year, today=today, awareness_expected=awareness)
        if not missing:
            continue
        lines = [
            f"- {KIND_LABELS[m.kind]}: "
            + ", ".join(Quarter.parse(p).label for p in m.periods)
            + ("" if m.overdue else " (forventes i efteråret)")
            for m in missing
        ]
        st.warning(
            f"**Manglende indlæsninger for {year}**\n\n" + "\n".join(lines),
            icon=":material/notification_important:",
        )
        shown = True
    if shown:
        st.page_link(
            "dashboard/pages/indlaes.py", label="Indlæs data", icon=":material/upload_file:"
        )
