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
from dashboard.views.goals import summary_line
from dashboard.views.kpi import house_cells, kpi_table
from data.reference import erhvervshus


def body() -> None:
    require_role("viewer")  # defence in depth: the navigation is the first gate
    ctx = page_setup("Resultatkontrakt – status for målene")
    f = ctx.filters
    years = tuple(sorted({*CONTRACT_YEARS, f.year} - {y for y in CONTRACT_YEARS if y > f.year}))
    history = cache.cells_for(ctx.version, years, None)
    now = cache.cells_for(ctx.version, years, f.as_of) if f.as_of else history
    cells = house_cells(now, year=f.year, kommune=f.kommune)
    earlier = house_cells(history, year=None, kommune=f.kommune)
    st.subheader(summary_line(ctx.contract, cells))
    user = current_user()
    if user is not None and user.has("uploader"):
        upload_reminders(ctx.batches, (date.today().year, f.year))
    goal_cards(ctx.contract, cells, earlier, f, [y for y in years if y < f.year])
    st.subheader("Alle nøgletal for året")
    table = kpi_table(cells, ctx.contract, erhvervshus(), f.kommune)
    kpi_table_view(table, key="kpis", height=36 * (table.height + 1) + 4)
    how_to_read(ctx.contract.min_n)
    sources_line(ctx.batches, f.year)


run_page(body)
