"""Common layout of every figure: Danish separators, palette, axis formats, source line."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from dashboard.views import format as fmt

SEPARATORS = ",."  # decimal comma, thousands dot (Plotly: "<decimal><thousands>")
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TARGET_COLOUR = "#000000"
MUTED = "#BBBBBB"
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 13, "color": "#262730"}


def base_figure(
    title: str, *, source: str, x_title: str = "", y_title: str = "", height: int = 380
) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={
            "text": wrap(title, 60),
            "x": 0,
            "xanchor": "left",
            "y": 0.99,
            "yref": "container",
            "yanchor": "top",
            "pad": {"l": 6},  # not flush against the image's edge in exported files
            "font": {"size": 15},
        },
        separators=SEPARATORS,
        font=FONT,
        colorway=list(PALETTE),
        height=height,
        margin={"l": 10, "r": 20, "t": 100, "b": 110},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "title": None,
            "font": {"size": 12},
        },
        hoverlabel={"namelength": -1},
    )
    fig.update_xaxes(title=x_title, automargin=True, showline=True, linecolor="#888")
    fig.update_yaxes(title=y_title, automargin=True, gridcolor="#e5e5e5", zerolinecolor="#bbb")
    add_source(fig, source)
    return fig


def wrap(text: str, width: int = 80) -> str:
    """Break a long line for Plotly (which never wraps text) at spaces."""
    lines = [part for line in text.split("<br>") for part in textwrap.wrap(line, width) or [""]]
    return "<br>".join(lines)


def add_source(fig: go.Figure, source: str) -> None:
    """The source line under the plot area (kept in exported images too)."""
    text = wrap(source, 46)
    # Room under the plot for the axis title and every line of the source.
    fig.update_layout(margin={"b": 80 + 14 * text.count("<br>")})
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        # Anchored at the right edge: the plot area's left edge moves with long category
        # labels (horizontal bars), its right edge does not.
        x=1,
        y=0,
        yshift=-62,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        align="right",
        font={"size": 11, "color": "#555"},
    )


def value_axis(fig: go.Figure, unit: str, *, axis: str = "y") -> None:
    """Tick format for a KPI unit: percent with ' %', scores and counts with a thousands dot."""
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    if unit == "pct":
        update(tickformat=",.0f", ticksuffix=" %", rangemode="tozero")
    elif unit == "nps":
        update(tickformat=",.0f")
    else:
        update(tickformat=",d", rangemode="tozero")


def headroom(fig: go.Figure, values: list[float | None], unit: str, *, axis: str = "y") -> None:
    """Room above the highest value so text labels above points are not cut off."""
    shown = [v for v in values if v is not None]
    if not shown:
        return
    top, bottom = max(shown), min(shown)
    low = 0.0 if unit != "nps" or bottom >= 0 else bottom * 1.15
    high = top * 1.18 if top > 0 else 1.0
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(range=[low, high])


def error_bars(
    values: list[float | None], lows: list[float | None], highs: list[float | None]
) -> dict[str, object]:
    """Plotly error bars from interval bounds; hidden when no cell has an interval."""
    if all(lo is None for lo in lows):
        return {"visible": False}
    return {
        "type": "data",
        "array": [
            None if h is None or v is None else h - v for v, h in zip(values, highs, strict=True)
        ],
        "arrayminus": [
            None if lo is None or v is None else v - lo for v, lo in zip(values, lows, strict=True)
        ],
        "color": "#333",
    }


def value_text(value: float | None, unit: str, *, suppressed: bool = False) -> str:
    return fmt.kpi_value(value, unit, suppressed=suppressed)


def interval_text(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"95 %-interval: {fmt.number(low, 1)}–{fmt.number(high, 1)}"
