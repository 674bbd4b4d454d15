"""Indsatser: the contract's activity checklists (the Mål 1 campaign, Mål 5, 8, 9 and 10) –
status, date, evidence and comment per activity; the goal's percentage and status follow at
once (role ``uploader``)."""

from __future__ import annotations

import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.filters import year_filter
from dashboard.ui.records import activity_form, flash, goal_progress
from dashboard.ui.widgets import run_page
from dashboard.views.kpi import house_cells
from metrics.contract import contract_for


def body() -> None:
    require_role("uploader")
    st.title("Indsatser")
    version = cache.current_version()
    year = year_filter(cache.active_batches(version), cache.quarters_with_data(version))
    contract = contract_for(year)
    st.caption(
        f"{contract.title} · status og dato pr. indsats. Datoen er den dag, status gjaldt fra; "
        "'Status pr.' på de andre sider viser den status, der gjaldt ved kvartalets slutning."
    )
    flash()
    cells = house_cells(cache.cells_for(version, (year,), None), year=year, kommune=None)
    entries = {
        r["activity_id"]: r for r in cache.activities(version, year, None).iter_rows(named=True)
    }
    for goal in contract.goals:
        if not goal.activities:
            continue
        st.header(goal.title)
        goal_progress(goal, cells)
        for activity in goal.activities:
            activity_form(year, goal, activity, entries.get(activity.id))


run_page(body)
