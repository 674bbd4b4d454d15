"""Overblik: the status of every goal of a contract year, at a glance."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import current_user, require_role
from dashboard.ui.filters import CONTRACT_YEARS
from dashboard.ui.overblik import goal_cards, upload_reminders
from dashboard.ui.phone import kpi_table_view
from dashboard.ui.widgets import how_to_read, page_setup, run_page, sources_line


def body() -> None:
    require_role("viewer")  # defence in depth: the navigation is the first gate
    ctx = page_setup("Resultatkontrakt – status for målene")
    f = ctx.filters
    years = tuple(sorted({*CONTRACT_YEARS, f.year} - {y for y in CONTRACT_YEARS if y > f.year}))
    # worked out once per data version and view, shared by every session
    view = cache.overview_of(ctx.version, years, f.year, f.as_of, f.kommune, date.today())
    st.subheader(view.summary)
    user = current_user()
    if user is not None and user.has("uploader"):
        upload_reminders(ctx.batches, (date.today().year, f.year))
    goal_cards(view.cards, f)
    st.subheader("Alle nøgletal for året")
    height = 36 * (view.table.height + 1) + 4
    kpi_table_view(view.table, key="kpis", height=height, blocks=view.table_list, grid=view.grid)
    how_to_read(ctx.contract.min_n)
    sources_line(ctx.batches, f.year)


run_page(body)
