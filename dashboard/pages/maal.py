"""Mål: one goal in depth – every KPI with interval, trends, breakdowns, activities, method."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.filters import CONTRACT_YEARS, goal_select
from dashboard.ui.maal import (
    checklist_section,
    control_group_section,
    kommune_share_section,
    kpi_charts,
    kpi_headline,
    method_and_comment,
    volume_section,
)
from dashboard.ui.widgets import how_to_read, page_setup, run_page, sources_line
from dashboard.views.control_group import latest_figures
from dashboard.views.figures import KpiViewData, chart_source
from dashboard.views.kpi import house_cells
from data.reference import erhvervshus
from metrics.contract import KpiKind


def body() -> None:
    require_role("viewer")  # defence in depth: the navigation is the first gate
    ctx = page_setup("Mål i detaljer")
    f, contract = ctx.filters, ctx.contract
    numbers = [g.number for g in contract.goals]
    number = goal_select(numbers, lambda n: contract.goal(n).title)
    goal = contract.goal(number)
    years = tuple(y for y in sorted({*CONTRACT_YEARS, f.year}) if y <= f.year)
    all_cells = cache.cells_for(ctx.version, years, f.as_of)
    cells = house_cells(all_cells, year=f.year, kommune=f.kommune)
    history = house_cells(all_cells, year=None, kommune=f.kommune)  # as-of applies to f.year only
    last_q = ctx.as_of.quarter.q if ctx.as_of.quarter is not None else 0
    quarters = house_cells(
        cache.quarter_cells(ctx.version, f.year, last_q), year=None, kommune=f.kommune
    )
    source = chart_source(ctx.batches, ["forloeb"])
    view = KpiViewData(
        cells, quarters, history, all_cells, f.year, f.kommune, erhvervshus(), ctx.batches
    )
    st.header(goal.title)
    for kpi in goal.kpis:
        if kpi.kind == "kommune_share":
            if f.kommune is not None:
                kommune_share_section(kpi, cells, f.kommune)
            st.page_link(
                "dashboard/pages/kommuner.py",
                label="Se kommunernes andel mod fordelingsnøglen",
                icon=":material/map:",
                query_params=f.query(),
            )
            continue
        if kpi.kind is KpiKind.COVERAGE and f.kommune is not None:
            st.subheader(kpi.label)
            st.caption("Opgøres kun for hele huset: vælg »Alle kommuner« for at se tallet.")
            continue
        kpi_headline(kpi, cells, f.kommune)
        if kpi.kind is KpiKind.CONTROL_GROUP:
            known_by = ctx.as_of.end if ctx.as_of.explicit else None
            stored = cache.stored_data(ctx.version).control_group
            control_group_section(kpi, latest_figures(stored, f.year, known_by), f.year)
        kpi_charts(kpi, view, (ctx.version, f.year, f.as_of, f.kommune, kpi.id, date.today()))
    if "fagomraade" in goal.breakdowns:
        themes = cache.themes(ctx.version, f.year, f.as_of, f.kommune)
        volume_section(goal, cells, themes, source, f.year)
    if goal.activities:
        checklist_section(goal, cache.activities(ctx.version, f.year, f.as_of))
    method_and_comment(goal, cache.comments(ctx.version, f.year).get(goal.number))
    how_to_read(ctx.contract.min_n)
    sources_line(ctx.batches, f.year)


run_page(body)
