"""Benchmark: Nordjylland's awareness against the other houses and the national level
(published figures), and Nordjylland's own later measurements."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts
from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.filters import available_years
from dashboard.ui.widgets import chart_row, page_setup, run_page
from dashboard.views.figures import chart_source
from dashboard.views.kpi import benchmark_caption, house_cells
from dashboard.views.text import md
from data.reference import DEFAULT_ERHVERVSHUS, awareness_benchmark

MEASURES = {"kendskabsgrad": "m1_kendskabsgrad", "groen_kendskab": "m5_groen_kendskab"}
TITLES = {
    "kendskabsgrad": "Kendskab til Erhvervshuset",
    "groen_kendskab": "Kendskab til de grønne ydelser blandt dem, der kender huset",
}


def body() -> None:
    require_role("viewer")  # defence in depth: the navigation is the first gate
    ctx = page_setup("Benchmark – kendskab", dated=False)
    bench = awareness_benchmark()
    years = tuple(available_years(ctx.batches))
    st.caption(md(benchmark_caption(bench.source, years, ctx.batches)))
    own = house_cells(cache.cells_for(ctx.version, years, None), year=None, kommune=None)
    source = f"Kilde: {bench.source}"
    for key, kpi_id in MEASURES.items():
        st.subheader(TITLES[key])
        published = getattr(bench, key)
        houses = pl.DataFrame(
            {
                "key": list(published),
                "navn": [bench.navne[k] for k in published],
                "value": list(published.values()),
            }
        )
        measured = own.filter(
            pl.col("kpi") == kpi_id, pl.col("segment").is_null(), pl.col("kind") == "weighted_share"
        ).sort("year")
        points = measured.select(
            "year",
            pl.col("year").cast(pl.String).alias("label"),
            "value",
            "target",
            "suppressed",
            pl.lit("Erhvervshusets egen kendskabsmåling").alias("kilde"),
        )
        published_fig = charts.benchmark_chart(
            houses,
            title=f"Offentliggjort {bench.year}, alle erhvervshuse",
            highlight=DEFAULT_ERHVERVSHUS,
            source=source,
        )
        own_fig = charts.awareness_trend_chart(
            points,
            title="Nordjyllands målte kendskab pr. år",
            national=published.get("national"),
            source=chart_source(ctx.batches, ["kendskab"]),
        )
        chart_row([(published_fig, f"b_{key}"), (own_fig, f"t_{key}")])
        skipped = sorted(set(years) - set(measured["year"].to_list()))
        if skipped:
            st.caption(
                "Ingen kendskabsmåling i: "
                + ", ".join(map(str, skipped))
                + " (i 2022 er Mål 1 en tjekliste: kendskabskampagnen)."
            )


run_page(body)
