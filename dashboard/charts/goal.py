"""Figures of the goal page: intervals, trends and breakdowns (Mål 11's volume: charts.volume)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.charts.base import (
    PALETTE,
    TARGET_COLOUR,
    base_figure,
    error_bars,
    headroom,
    interval_text,
    label_positions,
    rounded,
    row_text,
    row_year,
    status_mark,
    suppressed_notes,
    target_line,
    unit_title,
    value_axis,
    year_axis,
)
from dashboard.views import format as fmt
from dashboard.views.explain import status_with_uncertainty, uncertain


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
            # "±": the share meets its target but its interval reaches below it (usikkert)
            text=[row_text(r, unit) + (" ±" if uncertain(r) else "") for r in rows],
            textposition="inside",
            insidetextanchor="start",
            textangle=0,  # never turned on its side in a narrow bar (phones)
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
    by_year: bool = False,
    bars: bool = False,
) -> go.Figure:
    """A KPI over periods against its target.

    ``points``: label (period text, in order), value, target, suppressed, status, n,
    ci_low, ci_high, and optionally ``projected`` (year-end projection, counts). With
    ``by_year`` the x axis is the ``year`` column on a linear axis of whole years. With
    ``bars`` each period is a column of its own: a checklist's status at each period's end
    (a line would draw progress between the dates that never happened).
    """
    df = _shown(points)
    rows = df.to_dicts()
    fig = base_figure(title, source=source, x_title=x_title, y_title=unit_title(unit))
    labels = [row_year(r) for r in rows] if by_year else [r["label"] for r in rows]
    texts = [row_text(r, unit) + status_mark(r) for r in rows]
    hover = [_hover(r, unit) for r in points.to_dicts()]
    values = df["value"].to_list()
    shared = {
        "x": labels,
        "y": values,
        "name": "Resultat",
        "text": texts,
        "cliponaxis": False,  # a label at the first or last point is never cut off
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
    }
    if bars:
        result = go.Bar(**shared, marker={"color": PALETTE[0]}, width=0.5, textposition="outside")
    else:
        result = go.Scatter(
            **shared,
            mode="lines+markers+text",
            line={"color": PALETTE[0], "width": 2.5},
            marker={"size": 9, "symbol": "circle"},
            textposition=label_positions(values, df["target"].to_list()),
        )
    fig.add_trace(result)
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
    if by_year:
        year_axis(fig, [int(y) for y in labels])
    else:
        # half a category of room on each side for the first and last labels
        fig.update_xaxes(type="category", range=[-0.5, len(labels) - 0.5])
    return fig


@rounded
def breakdown_chart(
    cells: pl.DataFrame,
    *,
    title: str,
    unit: str,
    target: float | None,
    source: str,
    row_targets: bool = False,
) -> go.Figure:
    """Horizontal bars per segment or municipality with 95 % error bars; suppressed cells are
    shown as 'færre end 5 svar', never their value. ``cells`` as for :func:`interval_chart`.

    ``target`` is drawn as one line; with ``row_targets`` each row's own ``target`` (a
    municipality's share of a count target) is marked on its bar instead. Every bar has its
    value as a label, outside a bar too short to hold it (Læsø)."""
    df = _shown(cells)
    rows = df.to_dicts()
    has_interval = any(v is not None for v in df["ci_low"].to_list())
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
            text=[row_text(r, unit) if r["value"] is not None else "" for r in rows],
            # with error bars a label sits inside (at the bar's base) when it fits
            textposition="auto" if has_interval else "outside",
            insidetextanchor="start",
            cliponaxis=False,
            customdata=[_hover(r, unit) for r in cells.to_dicts()],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    suppressed_notes(fig, rows, axis="y", missing=True)
    row_targets = row_targets and any(t is not None for t in df["target"].to_list())
    if row_targets:
        fig.add_trace(
            go.Scatter(
                y=[r["label"] for r in rows],
                x=[r["target"] for r in rows],
                mode="markers",
                name="Kommunens mål (andel af fordelingsnøglen)",
                marker={"symbol": "line-ns-open", "size": 22, "line": {"width": 2.5}},
                marker_color=TARGET_COLOUR,
                customdata=[fmt.target_text(r["target"], unit) for r in rows],
                hovertemplate="%{y}: mål %{customdata}<extra></extra>",
            )
        )
    target_line(fig, target, unit, axis="x")
    value_axis(fig, unit, axis="x")
    top = [*df["value"].to_list(), *(df["ci_high"].to_list()), target]
    if row_targets:
        top += df["target"].to_list()
    # room right of the longest bar for its label
    headroom(fig, top, unit, axis="x")
    fig.update_yaxes(autorange="reversed", type="category")
    return fig
