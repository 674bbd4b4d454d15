"""Mål 11's volume figures: counts so far against their year-end projection and target, and
the courses per fagområde."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.base import (
    MUTED,
    PALETTE,
    TARGET_COLOUR,
    base_figure,
    headroom,
    rounded,
    value_axis,
    wrap,
)
from dashboard.views import format as fmt


@rounded
def projection_chart(kpis: pl.DataFrame, *, title: str, source: str) -> go.Figure:
    """Mål 11's counts: so far, projected year-end and target.

    ``kpis``: label, value, projected, target (one row per count KPI).
    """
    rows = kpis.to_dicts()
    labels = [wrap(str(r["label"]), 14) for r in rows]
    fig = base_figure(title, source=source, y_title="Antal")
    fig.add_trace(
        go.Bar(
            x=labels,
            y=[r["value"] for r in rows],
            name="Opgjort indtil nu",
            marker_color=PALETTE[0],
            text=[fmt.number(r["value"]) for r in rows],
            textposition="outside",
            hovertemplate="%{x}<br>Opgjort: %{y:,.0f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=labels,
            y=[r["projected"] for r in rows],
            name="Fremskrevet til årets udgang",
            marker={"color": PALETTE[1], "pattern": {"shape": "/"}},
            text=[fmt.number(r["projected"]) for r in rows],
            textposition="outside",
            hovertemplate="%{x}<br>Fremskrevet: %{y:,.0f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=[r["target"] for r in rows],
            mode="markers",
            name="Mål",
            marker={"symbol": "line-ew-open", "size": 44, "line": {"width": 3}},
            marker_color=TARGET_COLOUR,
            customdata=[fmt.target_text(r["target"], "antal") for r in rows],
            hovertemplate="%{x}<br>Mål: %{customdata}<extra></extra>",
        )
    )
    fig.update_layout(barmode="group")
    value_axis(fig, "antal")
    headroom(fig, [r[k] for r in rows for k in ("value", "projected", "target")], "antal")
    # the category labels wrap onto three lines: move the source line below them
    fig.layout.annotations[0].yshift = -95
    fig.update_layout(margin={"b": fig.layout.margin.b + 35})
    return fig


@rounded
def theme_chart(themes: pl.DataFrame, *, title: str, source: str) -> go.Figure:
    """Courses per fagområde, the most courses at the top. ``themes``: fagomraade, forloeb,
    virksomheder, andel."""
    rows = themes.sort(["forloeb", "fagomraade"], descending=[True, False]).to_dicts()
    fig = base_figure(title, source=source, x_title="Forløb", height=120 + 34 * len(rows))
    fig.add_trace(
        go.Bar(
            y=[r["fagomraade"] for r in rows],
            x=[r["forloeb"] for r in rows],
            orientation="h",
            marker_color=[PALETTE[2] if r["forloeb"] else MUTED for r in rows],
            text=[fmt.number(r["forloeb"]) for r in rows],
            textposition="outside",
            customdata=[
                f"{fmt.percent(r['andel'])} af forløbene<br>"
                f"{fmt.number(r['virksomheder'])} virksomheder"
                for r in rows
            ],
            hovertemplate="%{y}<br>%{x:,d} forløb<br>%{customdata}<extra></extra>",
            name="Forløb",
        )
    )
    fig.update_yaxes(autorange="reversed")
    value_axis(fig, "antal", axis="x")
    # room on the right for the count labels outside the bars
    fig.update_xaxes(range=[0, max([r["forloeb"] for r in rows] + [1]) * 1.3])
    return fig
