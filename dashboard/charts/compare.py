"""Figures comparing years and houses: year comparison and the awareness benchmark."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.base import (
    MUTED,
    PALETTE,
    TARGET_COLOUR,
    base_figure,
    headroom,
    label_positions,
    rounded,
    row_text,
    row_year,
    value_axis,
    year_axis,
)
from dashboard.views import format as fmt


@rounded
def year_comparison_chart(years: pl.DataFrame, *, title: str, unit: str, source: str) -> go.Figure:
    """One KPI across contract years with each year's target.

    ``years``: label (year text), value, target, suppressed, comparable (False when that
    year's KPI is measured differently, e.g. a checklist instead of a survey), note.
    """
    rows = years.to_dicts()
    fig = base_figure(title, source=source, x_title="År", y_title="")
    for comparable, name, marker in (
        (True, "Resultat", {"color": PALETTE[0]}),
        (False, "Tjekliste", {"color": MUTED, "pattern": {"shape": "x"}}),
    ):
        part = [r for r in rows if bool(r["comparable"]) is comparable]
        if not part:
            continue
        fig.add_trace(
            go.Bar(
                x=[row_year(r) for r in part],
                y=[None if r["suppressed"] else r["value"] for r in part],
                name=name,
                marker=marker,
                text=[(r["note"] + ": " if r["note"] else "") + row_text(r, unit) for r in part],
                textposition="outside",
                hovertemplate="%{x:d}: %{text}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[row_year(r) for r in rows],
            y=[r["target"] for r in rows],
            mode="markers",
            name="Mål",
            marker={"symbol": "line-ew-open", "size": 40, "line": {"width": 3}},
            marker_color=TARGET_COLOUR,
            customdata=[fmt.target_text(r["target"], unit) for r in rows],
            hovertemplate="%{x:d}: mål %{customdata}<extra></extra>",
        )
    )
    year_axis(fig, [row_year(r) for r in rows])
    value_axis(fig, unit)
    headroom(fig, [*years["value"].to_list(), *years["target"].to_list()], unit)
    return fig


@rounded
def benchmark_chart(houses: pl.DataFrame, *, title: str, highlight: str, source: str) -> go.Figure:
    """Published awareness per house. ``houses``: key, navn, value (percent)."""
    rows = houses.sort("value", descending=True).to_dicts()

    def colour(key: str) -> str:
        return PALETTE[0] if key == highlight else (PALETTE[1] if key == "national" else MUTED)

    fig = base_figure(title, source=source, x_title="Procent", height=140 + 40 * len(rows))
    fig.add_trace(
        go.Bar(
            y=[("▶ " if r["key"] == highlight else "") + r["navn"] for r in rows],
            x=[r["value"] for r in rows],
            orientation="h",
            marker={
                "color": [colour(r["key"]) for r in rows],
                "pattern": {"shape": ["/" if r["key"] == "national" else "" for r in rows]},
            },
            text=[fmt.percent(r["value"], 0) for r in rows],
            textposition="outside",
            hovertemplate="%{y}: %{text}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    value_axis(fig, "pct", axis="x")
    headroom(fig, [r["value"] for r in rows], "pct", axis="x")
    return fig


@rounded
def awareness_trend_chart(
    points: pl.DataFrame, *, title: str, national: float | None, source: str
) -> go.Figure:
    """Nordjylland's measured awareness per year. ``points``: label, value, target, suppressed,
    kilde (text: 'offentliggjort' or 'egen måling')."""
    rows = points.to_dicts()
    fig = base_figure(title, source=source, x_title="År", y_title="Procent")
    fig.add_trace(
        go.Scatter(
            x=[row_year(r) for r in rows],
            y=[None if r["suppressed"] else r["value"] for r in rows],
            mode="lines+markers+text",
            name="Nordjylland",
            line={"color": PALETTE[0], "width": 2.5},
            text=[row_text(r, "pct") for r in rows],
            textposition=label_positions([r["value"] for r in rows], [r["target"] for r in rows]),
            customdata=[r["kilde"] for r in rows],
            hovertemplate="%{x:d}: %{text} (%{customdata})<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[row_year(r) for r in rows],
            y=[r["target"] for r in rows],
            mode="markers",
            name="Mål",
            marker={"symbol": "line-ew-open", "size": 30, "line": {"width": 3}},
            marker_color=TARGET_COLOUR,
            hovertemplate="%{x:d}: mål %{y:,.0f}\u00a0%<extra></extra>",
        )
    )
    if national is not None:
        fig.add_hline(
            y=national,
            line={"color": PALETTE[1], "dash": "dot"},
            annotation_text=f"Hele landet 2020: {fmt.percent(national, 0)}",
            annotation_position="bottom right",
        )
    year_axis(fig, [row_year(r) for r in rows])
    value_axis(fig, "pct")
    headroom(fig, [*points["value"].to_list(), *points["target"].to_list(), national], "pct")
    return fig
