"""Sammenlign år: every KPI side by side across the contract years, each against its own
year's target (contracts differ between years)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.filters import available_years
from dashboard.ui.phone import years_table_view
from dashboard.ui.widgets import chart_row, how_to_read, page_setup, run_page, sources_line
from dashboard.views.figures import chart_source
from dashboard.views.kpi import house_cells, status_text, year_points, years_table
from metrics.contract import contract_for
from metrics.status import KpiStatus


def body() -> None:
    require_role("viewer")  # defence in depth: the navigation is the first gate
    ctx = page_setup("Sammenlign år")
    f = ctx.filters
    years = tuple(available_years(ctx.batches))
    history = house_cells(cache.cells_for(ctx.version, years, None), year=None, kommune=f.kommune)
    st.caption(
        "Hvert år måles mod sit eget års mål. I 2022 er Mål 1's kendskabsmål en tjekliste "
        "(kendskabskampagnen gennemført), ikke en måling af kendskabsgraden; kendskabet måles i "
        "efteråret 2021 og 2023. 2020 er før den første kontrakt og vises mod 2021-målene."
    )
    table = years_table(history, years)
    years_table_view(table, key="years", height=36 * (table.height + 1) + 4)
    st.caption("Tegn: " + " · ".join(status_text(s) for s in KpiStatus))
    contract = contract_for(max(years))
    numbers = [g.number for g in contract.goals]
    number = st.selectbox(
        "Vis mål som diagram",
        numbers,
        format_func=lambda n: contract.goal(n).title,
        key="sammenlign_maal",
        placeholder="Vælg",
    )
    source = chart_source(ctx.batches, ["forloeb", "brugerevaluering", "kendskab"])
    kpis = [k for k in contract.goal(number).kpis if k.kind != "kommune_share"]
    chart_row(
        [
            (
                charts.year_comparison_chart(
                    year_points(history, k.id), title=k.label, unit=k.unit, source=source
                ),
                f"cmp_{k.id}",
            )
            for k in kpis
        ]
    )
    how_to_read(ctx.contract.min_n)
    sources_line(ctx.batches)


run_page(body)
