"""Figures of the goal page: intervals, trends, breakdowns, Mål 11 projections and themes."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.base import (
    MUTED,
    PALETTE,
    TARGET_COLOUR,
    base_figure,
    error_bars,
    headroom,
    interval_text,
    rounded,
    row_text,
    suppressed_notes,
    target_line,
    unit_title,
    value_axis,
    wrap,
)
from dashboard.views import format as fmt
from dashboard.views.explain import status_with_uncertainty


def _hover(row: dict[str, object], unit: str) -> str:
    """Hover text of one cell; a suppressed cell never shows its value."""
    suppressed = bool(row.get("suppressed"))
    parts = [str(row["label"]), row_text(row, unit)]
    if not suppressed:
        low, high = row.get("ci_low"), row.get("ci_high")
        if isinstance(low, float) and isinstance(high, float):
            parts.append(interval_text(low, high))
        n = row.get("n")
        if isinstance(n, int):
            parts.append(f"n = {fmt.number(n)}")
    status = row.get("status")
    if isinstance(status, str):
        parts.append(status_with_uncertainty(row) if row.get("target") is not None else status)
    return "<br>".join(parts)


def _shown(df: pl.DataFrame) -> pl.DataFrame:
    """Blank out values of suppressed cells before they reach a trace."""
    return df.with_columns(
        [
            pl.when(pl.col("suppressed")).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("value", "ci_low", "ci_high")
            if c in df.columns
        ]
    )


@rounded
def interval_chart(
    cells: pl.DataFrame, *, title: str, unit: str, target: float | None, source: str
) -> go.Figure:
    """A KPI's cells as points with 95 % error bars and the target line.

    ``cells``: label, value, ci_low, ci_high, n, status, suppressed (one row per cell).
    """
    df = _shown(cells)
    fig = base_figure(title, source=source, y_title=unit_title(unit), height=380)
    rows = df.to_dicts()
    values = [r["value"] for r in rows]
    # NPS and census figures have no interval: the legend promises none then
    has_interval = any(v is not None for v in df["ci_low"].to_list())
    fig.add_trace(
        go.Bar(
            x=[r["label"] for r in rows],
            y=values,
            name=f"Resultat ({fmt.INTERVAL})" if has_interval else "Resultat",
            marker={"color": PALETTE[4], "line": {"color": PALETTE[0], "width": 1}},
            error_y=error_bars(values, df["ci_low"].to_list(), df["ci_high"].to_list()),
            text=[row_text(r, unit) for r in rows],
            textposition="inside",
            insidetextanchor="start",
            width=0.5,
            customdata=[_hover(r, unit) for r in cells.to_dicts()],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    suppressed_notes(fig, rows)
    target_line(fig, target, unit)
    value_axis(fig, unit)
    headroom(fig, [*values, *df["ci_high"].to_list(), target], unit)
    return fig


@rounded
def trend_chart(
    points: pl.DataFrame,
    *,
    title: str,
    unit: str,
    x_title: str,
    source: str,
    show_projection: bool = False,
) -> go.Figure:
    """A KPI over periods against its target.

    ``points``: label (period text, in order), value, target, suppressed, status, n,
    ci_low, ci_high, and optionally ``projected`` (year-end projection, counts).
    """
    df = _shown(points)
    rows = df.to_dicts()
    fig = base_figure(title, source=source, x_title=x_title, y_title=unit_title(unit))
    labels = [r["label"] for r in rows]
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=df["value"].to_list(),
            mode="lines+markers+text",
            name="Resultat",
            line={"color": PALETTE[0], "width": 2.5},
            marker={"size": 9, "symbol": "circle"},
            text=[row_text(r, unit) for r in rows],
            textposition="top center",
            customdata=[_hover(r, unit) for r in points.to_dicts()],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    if show_projection and "projected" in df.columns:
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=df["projected"].to_list(),
                mode="lines+markers",
                name="Fremskrevet",
                line={"color": PALETTE[1], "dash": "dot"},
                marker={"symbol": "diamond", "size": 8},
                hovertemplate="Fremskrevet: %{y:,.0f}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=df["target"].to_list(),
            mode="lines",
            name="Mål",
            line={"color": TARGET_COLOUR, "dash": "dash", "width": 1.5, "shape": "hv"},
            customdata=[fmt.target_text(t, unit) for t in df["target"].to_list()],
            hovertemplate="Mål: %{customdata}<extra></extra>",
        )
    )
    suppressed_notes(fig, rows)
    value_axis(fig, unit)
    extra = df["projected"].to_list() if show_projection and "projected" in df.columns else []
    headroom(fig, [*df["value"].to_list(), *df["target"].to_list(), *extra], unit)
    fig.update_xaxes(type="category")
    return fig


@rounded
def breakdown_chart(
    cells: pl.DataFrame, *, title: str, unit: str, target: float | None, source: str
) -> go.Figure:
    """Horizontal bars per segment or municipality with 95 % error bars; suppressed cells are
    shown as 'færre end 5 svar', never their value. ``cells`` as for :func:`interval_chart`."""
    df = _shown(cells)
    rows = df.to_dicts()
    fig = base_figure(title, source=source, x_title=unit_title(unit), height=120 + 34 * len(rows))
    fig.add_trace(
        go.Bar(
            y=[r["label"] for r in rows],
            x=[r["value"] for r in rows],
            orientation="h",
            name="Resultat",
            marker={"color": PALETTE[4], "line": {"color": PALETTE[0], "width": 1}},
            error_x=error_bars(
                df["value"].to_list(), df["ci_low"].to_list(), df["ci_high"].to_list()
            ),
            text=[row_text(r, unit) for r in rows],
            textposition="inside",
            insidetextanchor="start",
            customdata=[_hover(r, unit) for r in cells.to_dicts()],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    suppressed_notes(fig, rows, axis="y")
    target_line(fig, target, unit, axis="x")
    value_axis(fig, unit, axis="x")
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


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
    """Courses per fagområde. ``themes``: fagomraade, forloeb, virksomheder, andel."""
    rows = themes.to_dicts()
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
