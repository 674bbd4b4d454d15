"""The overview's goal cards and KPI table (Streamlit-facing)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from dashboard.ui.filters import Filters
from dashboard.views.overview import GoalCard
from data.periods import Quarter
from data.reminders import missing_uploads
from data.store import BatchInfo
from expectations.schema import KIND_LABELS
from metrics.contract import KpiKind, contract_for

CARD_WIDTH = 255  # px: three across in the 1280 px layout


def goal_cards(cards: Sequence[GoalCard], filters: Filters) -> None:
    """One card per goal: title, main KPI against its target, status, n, earlier years."""
    # A wrapping row of fixed-width cards: see CARD_WIDTH; one per row on a tablet.
    with st.container(horizontal=True, wrap=True, gap="small"):
        for card in cards:
            with st.container(border=True, width=CARD_WIDTH, key=f"card_{card.number}"):
                _card(card, filters)


def _card(card: GoalCard, filters: Filters) -> None:
    st.markdown(card.title)
    if card.whole is not None:
        st.markdown(card.whole)
    if card.headline is None:
        st.caption(card.note)
    else:
        st.caption(card.headline.label)
        st.metric(card.headline.label, card.headline.value, label_visibility="collapsed")
        st.markdown(card.headline.line)
    if card.more_label is not None:
        # the goal's other KPIs and the main KPI's earlier years, folded: eleven cards stay
        # short on a phone
        with st.expander(card.more_label):
            st.caption(card.more_text)
    st.page_link(
        "dashboard/pages/maal.py",
        label=f"Se Mål {card.number} i detaljer",
        icon=":material/arrow_forward:",
        query_params=filters.query(maal=str(card.number)),
    )


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
