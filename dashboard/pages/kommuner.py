"""Kommuner: map of the 11 municipalities, a table, Mål 2's fair share and a profile."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.charts.maps import GEO_CREDIT
from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.phone import kommune_table_view, kpi_table_view
from dashboard.ui.widgets import chart, how_to_read, page_setup, run_page, sources_line
from dashboard.views.figures import chart_source
from dashboard.views.kommuner import (
    MEASURES,
    fair_share_rows,
    fair_share_warning,
    far_below_texts,
    kommune_table,
    measure_values,
    profile_heading,
)
from dashboard.views.kpi import kpi_table
from data.reference import erhvervshus
from metrics.service import view


def body() -> None:
    require_role("viewer")  # defence in depth: the navigation is the first gate
    ctx = page_setup("Kommunerne")
    f, house = ctx.filters, erhvervshus()
    cells = cache.cells_for(ctx.version, (f.year - 1, f.year), f.as_of)
    source = chart_source(ctx.batches, ["forloeb", "brugerevaluering"])
    measure = st.selectbox("Vis på kortet", list(MEASURES), key="kommuner_maal", placeholder="Vælg")
    unit = MEASURES[measure][1]
    values = measure_values(cells, house, measure, f.year)
    chart(
        charts.kommune_map(
            values,
            title=f"{measure} {f.year}",
            measure=measure,
            unit=unit,
            source=source,
            chosen=f.kommune,
        ),
        key="map",
    )
    warning = fair_share_warning(ctx.contract)
    shares = fair_share_rows(cells, house, f.year, warning)
    st.subheader("Alle kommuner")
    table = kommune_table(cells, house, f.year, shares)
    kommune_table_view(table)
    st.subheader("Mål 2 – andel af de vejledte virksomheder mod fordelingsnøglen")
    chart(
        charts.fair_share_chart(
            shares,
            title=f"Andel af vejledte og af basisbevillingen {f.year}",
            warning_ratio=warning,
            source=f"{source}. Fordelingsnøgle: {house.funding_source}",
        ),
        key="fair",
    )
    for text in far_below_texts(shares, warning):
        st.warning(text, icon=":material/warning:")
    st.subheader("Kommuneprofil")
    if f.kommune is None:
        st.info(
            "Vælg en kommune under »Kommune« i sidepanelet for at se alle nøgletal for kommunen."
        )
    else:
        st.markdown(profile_heading(house.kommune(f.kommune).navn))
        own = view(cells, year=f.year, kommune=f.kommune)
        kpi_table_view(kpi_table(own, ctx.contract, house, f.kommune), key="profile")
    how_to_read(ctx.contract.min_n)
    st.caption(GEO_CREDIT + ".")
    sources_line(ctx.batches, f.year)


run_page(body)
