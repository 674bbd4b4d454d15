"""Common layout of every figure: Danish separators, palette, axis formats, source line."""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Callable
from typing import Any, ParamSpec

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.charts.labels import readable_labels
from dashboard.views import format as fmt
from metrics.status import STATUS_ICONS

SEPARATORS = ",."  # decimal comma, thousands dot (Plotly: "<decimal><thousands>")
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TARGET_COLOUR = "#000000"
MUTED = "#BBBBBB"
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 13, "color": "#262730"}


TEMPLATE = "erhvervshus"
# The shared look, registered once as a Plotly template: a figure names it instead of running a
# large ``update_layout`` (Plotly validates every property of every update, which was most of
# the CPU of a goal page). The template travels with each figure's JSON, so exported files and
# the browser draw the same look.
pio.templates[TEMPLATE] = go.layout.Template(
    layout={
        "title": {
            "x": 0,
            "xanchor": "left",
            "y": 0.99,
            "yref": "container",
            "yanchor": "top",
            "pad": {"l": 6},  # not flush against the image's edge in exported files
            "font": {"size": 15},
        },
        "font": FONT,
        "colorway": list(PALETTE),
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "font": {"size": 12},
        },
        "hoverlabel": {"namelength": -1},
        "xaxis": {"automargin": True, "showline": True, "linecolor": "#888"},
        "yaxis": {"automargin": True, "gridcolor": "#e5e5e5", "zerolinecolor": "#bbb"},
    }
)


TITLE_CHARS = 48  # a title line of a 400 px chart (a phone's is 356 px: still one line of 45)


def base_figure(
    title: str, *, source: str, x_title: str = "", y_title: str = "", height: int = 380
) -> go.Figure:
    fig = go.Figure(
        layout={
            "template": TEMPLATE,
            "title": {"text": wrap(title, TITLE_CHARS)},
            # Plotly.js reads the number format from the figure itself, not from a template.
            "separators": SEPARATORS,
            "height": height,
            "margin": {"l": 10, "r": 20, "t": 100, "b": 110},
            "xaxis": {"title": {"text": x_title}},
            "yaxis": {"title": {"text": y_title}},
        }
    )
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
        update(tickformat=",.0f", ticksuffix=f"{fmt.NBSP}%", rangemode="tozero")
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


def row_text(row: dict[str, Any], unit: str) -> str:
    """A cell's value as shown on a chart ('færre end 5 svar' / 'skjult …' when hidden)."""
    return fmt.cell_value(row, unit)


def interval_text(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{fmt.INTERVAL}: {fmt.interval(low, high)}"


DATA_DECIMALS = 1  # values are shown with at most one decimal; the browser gets no more
_DATA_KEYS = ("x", "y", "z", "customdata", "base")
_AXIS = re.compile(r"^[xy]axis\d*$")
P = ParamSpec("P")


def _round(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, float):
        return round(value, DATA_DECIMALS)
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return value


def round_data(fig: go.Figure) -> go.Figure:
    """Round every number sent to the browser with the figure (trace values, hover data,
    error bars, axis ranges) to one decimal: the JSON a browser receives must not tell more
    than the chart shows (131/166 is sent as 78.9, not 78.91566…). Map outlines (geojson)
    and texts are left as they are."""
    for trace in fig.data:
        spec = trace.to_plotly_json()
        changes: dict[str, Any] = {
            k: _round(spec[k]) for k in _DATA_KEYS if spec.get(k) is not None
        }
        for bar in ("error_x", "error_y"):
            bars = spec.get(bar) or {}
            arrays = {
                k: _round(bars[k]) for k in ("array", "arrayminus") if bars.get(k) is not None
            }
            if arrays:
                changes[bar] = arrays
        trace.update(changes)
    for name, axis in fig.layout.to_plotly_json().items():
        if _AXIS.match(name) and isinstance(axis, dict) and axis.get("range") is not None:
            fig.layout[name].range = _round(list(axis["range"]))
    return fig


def rounded(builder: Callable[P, go.Figure]) -> Callable[P, go.Figure]:
    """Decorate a chart builder: its figure leaves with data rounded as shown (:func:`round_data`)
    and with labels that stay readable (:func:`readable_labels`)."""

    @functools.wraps(builder)
    def build(*args: P.args, **kwargs: P.kwargs) -> go.Figure:
        return readable_labels(round_data(builder(*args, **kwargs)))

    return build


def suppressed_notes(
    fig: go.Figure, rows: list[dict[str, object]], *, axis: str = "x", missing: bool = False
) -> None:
    """ "færre end 5 svar" where a suppressed cell's bar or point would be; with ``missing``
    also "ingen data" where a row has no value (a municipality without answers), so that no
    row is left empty without a word."""
    for r in rows:
        if r.get("suppressed") or (missing and r.get("value") is None):
            where = {"x": r["label"], "y": 0} if axis == "x" else {"y": r["label"], "x": 0}
            fig.add_annotation(
                **where,
                text=fmt.cell_value(r, ""),
                showarrow=False,
                xanchor="left" if axis == "y" else "center",
                yanchor="bottom",
                font={"size": 11, "color": "#555"},
            )


def target_line(fig: go.Figure, target: float | None, unit: str, *, axis: str = "y") -> None:
    """The target as a dashed line, labelled in the legend."""
    if target is None:
        return
    label = "Mål " + fmt.target_text(target, unit)
    line = {"color": TARGET_COLOUR, "dash": "dash", "width": 1.5}
    if axis == "y":
        fig.add_hline(y=target, line=line)
    else:
        fig.add_vline(x=target, line=line)
    # The line's label goes in the legend, where it never overlaps the data.
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, name=label))


def status_mark(row: dict[str, Any]) -> str:
    """' ✔' after a point's value: its status as an icon (never colour alone); '' where it has
    no target or no value."""
    status = row.get("status")
    if row.get("target") is None or row.get("value") is None or not isinstance(status, str):
        return ""
    return f" {STATUS_ICONS[status]}"


def row_year(row: dict[str, Any]) -> int:
    """The year of a row of a chart by year: its ``year``, else its label ('2022')."""
    year = row.get("year")
    return int(year) if year is not None else int(str(row["label"]))


def year_axis(fig: go.Figure, years: list[int]) -> None:
    """A linear axis of whole years: one tick per calendar year from the first to the last,
    so a year without data shows as a gap (2021 → 2023 is two steps) and no tick says 2022,5."""
    if not years:
        return
    ticks = list(range(min(years), max(years) + 1))
    fig.update_xaxes(
        type="linear",
        tickmode="array",
        tickvals=ticks,
        ticktext=[str(y) for y in ticks],
        range=[min(ticks) - 0.5, max(ticks) + 0.5],
    )


def label_positions(values: list[float | None], targets: list[float | None]) -> list[str]:
    """Value labels on the side of the point away from the target line: above a point on or
    over its target, below one under it, so a label never sits on the line."""
    return [
        "bottom center" if v is not None and t is not None and v < t else "top center"
        for v, t in zip(values, targets, strict=True)
    ]


def unit_title(unit: str) -> str:
    return {
        "pct": "Procent",
        "nps": "NPS",
        "antal": "Antal",
        "kommuner": "Kommuner",
        "kriterier": "Procent af kriterierne",
    }[unit]
