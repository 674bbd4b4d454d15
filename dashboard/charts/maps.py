"""The municipality map (offline choropleth) and Mål 2's fair-share view."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl
import shapely.affinity
import shapely.geometry
import shapely.ops

from dashboard.charts.base import MUTED, PALETTE, base_figure, rounded, value_axis, value_text
from dashboard.views import format as fmt
from data.reference import GEO_DIR

GEO_CREDIT = "Kommunegrænser: DAGI, Geodatastyrelsen/Danske Kommuner"
# Sequential, colour-blind-safe (ColorBrewer Blues, light to dark).
SEQUENTIAL = [[0.0, "#deebf7"], [0.5, "#6baed6"], [1.0, "#08306b"]]


@cache
def kommune_geojson(path: Path = GEO_DIR / "nordjylland_kommuner.geojson") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def label_points(
    path: Path = GEO_DIR / "nordjylland_kommuner.geojson",
) -> dict[int, tuple[float, float]]:
    """Where each municipality's name goes: the point of its largest polygon farthest from the
    polygon's edges (its pole of inaccessibility), so a name sits where the municipality is
    widest, not at a mean pulled towards a long coast, and an island's name on the island.
    The longitudes are scaled by cos(latitude) first: a degree east is shorter than a degree
    north this far north."""
    out: dict[int, tuple[float, float]] = {}
    for feature in kommune_geojson(path)["features"]:
        geometry = shapely.geometry.shape(feature["geometry"])
        largest = max(getattr(geometry, "geoms", [geometry]), key=lambda g: g.area)
        squeeze = math.cos(math.radians(largest.centroid.y))
        flat = shapely.affinity.scale(largest, xfact=squeeze, yfact=1.0, origin=(0, 0))
        point = shapely.ops.polylabel(flat, tolerance=0.001)
        out[int(feature["properties"]["kode"])] = (point.x / squeeze, point.y)
    return out


@cache
def map_ranges(path: Path = GEO_DIR / "nordjylland_kommuner.geojson") -> dict[str, list[float]]:
    """Longitude and latitude ranges of every municipality, with a small margin: the map fills
    its plot area (Plotly's ``fitbounds`` leaves a wide white border)."""
    west, south, east, north = shapely.geometry.shape(
        {
            "type": "GeometryCollection",
            "geometries": [f["geometry"] for f in kommune_geojson(path)["features"]],
        }
    ).bounds
    pad_x, pad_y = (east - west) * 0.02, (north - south) * 0.02
    return {"lon": [west - pad_x, east + pad_x], "lat": [south - pad_y, north + pad_y]}


@rounded
def kommune_map(
    values: pl.DataFrame,
    *,
    title: str,
    measure: str,
    unit: str,
    source: str,
    chosen: int | None = None,
) -> go.Figure:
    """Choropleth of the municipalities. ``values``: kommune, navn, value, suppressed, n.

    Suppressed or missing values are drawn grey with the text 'færre end 5 svar'/'ingen data'
    (never their value). The base map is hidden; Plotly still asks for a world topojson, so
    the page passes ``config={"topojsonURL": ...}`` pointing at a served stub.
    """
    geo = kommune_geojson()
    fig = base_figure(title, source=f"{source}. {GEO_CREDIT}.", height=520)
    shown = values.filter(~pl.col("suppressed") & pl.col("value").is_not_null())
    hidden = values.filter(pl.col("suppressed") | pl.col("value").is_null())
    texts = [
        f"{r['navn']}<br>{measure}: {value_text(r['value'], unit)}"
        + (f"<br>n = {fmt.number(r['n'])}" if r["n"] is not None else "")
        for r in shown.to_dicts()
    ]
    fig.add_trace(
        go.Choropleth(
            geojson=geo,
            featureidkey="properties.kode",
            locations=shown["kommune"].to_list(),
            z=shown["value"].to_list(),
            colorscale=SEQUENTIAL,
            marker={"line": {"color": "white", "width": 1}},
            # The scale sits in the sea north-west of the land, inside the plot area: the map
            # itself gets the whole width (on a phone its names need every pixel).
            colorbar={
                "title": {"text": measure, "side": "top"},
                "tickformat": ",.0f" if unit != "rate" else ",.1f",
                "ticksuffix": f"{fmt.NBSP}%" if unit == "pct" else "",
                "thickness": 12,
                "len": 0.42,
                "x": 0.0,
                "xanchor": "left",
                "y": 1.0,
                "yanchor": "top",
            },
            customdata=texts,
            hovertemplate="%{customdata}<extra></extra>",
            name=measure,
        )
    )
    if hidden.height:
        fig.add_trace(
            go.Choropleth(
                geojson=geo,
                featureidkey="properties.kode",
                locations=hidden["kommune"].to_list(),
                z=[0] * hidden.height,
                colorscale=[[0, MUTED], [1, MUTED]],
                showscale=False,
                marker={"line": {"color": "white", "width": 1}},
                customdata=[f"{r['navn']}<br>{fmt.cell_value(r, unit)}" for r in hidden.to_dicts()],
                hovertemplate="%{customdata}<extra></extra>",
                name="Ikke vist",
            )
        )
        # grey is explained on the chart itself (it is printed without its hover texts)
        fig.add_annotation(
            text="Grå: "
            + "; ".join(f"{r['navn']} ({fmt.cell_value(r, unit)})" for r in hidden.to_dicts()),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            align="left",
            font={"size": 11, "color": "#555"},
        )
    if chosen is not None:
        # the chosen municipality: a thick outline (and "▶" before its name), not colour only
        fig.add_trace(
            go.Choropleth(
                geojson=geo,
                featureidkey="properties.kode",
                locations=[chosen],
                z=[0],
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                showscale=False,
                marker={"line": {"color": "#000000", "width": 2}},
                hoverinfo="skip",
                name="Valgt kommune",
            )
        )
    points = label_points()
    names = values.select("kommune", "navn", "value", "suppressed").to_dicts()
    shown_values = [v for v in shown["value"].to_list() if v is not None]
    middle = (min(shown_values) + max(shown_values)) / 2 if shown_values else 0.0

    def ink(r: dict[str, Any]) -> str:
        """White on the dark half of the colour scale, black elsewhere."""
        dark = not r["suppressed"] and r["value"] is not None and r["value"] > middle
        return "#ffffff" if dark and len(shown_values) > 1 else "#000000"

    fig.add_trace(
        go.Scattergeo(
            lon=[points[r["kommune"]][0] for r in names],
            lat=[points[r["kommune"]][1] for r in names],
            text=[("▶ " if r["kommune"] == chosen else "") + r["navn"] for r in names],
            mode="text",
            # the chosen one's name above its outline (a small island is all outline)
            textposition=[
                "top center" if r["kommune"] == chosen else "middle center" for r in names
            ],
            # a halo in the opposite ink: a name that reaches over a neighbour stays legible
            textfont={"size": 11, "color": [ink(r) for r in names], "shadow": "auto"},
            hoverinfo="skip",
            showlegend=False,
            name="Kommunenavne",
        )
    )
    ranges = map_ranges()
    fig.update_geos(
        visible=False,
        projection_type="mercator",
        lonaxis_range=ranges["lon"],
        lataxis_range=ranges["lat"],
        bgcolor="white",
    )
    # The bottom margin stays as add_source set it: room for every line of the source.
    fig.update_layout(margin={"l": 0, "r": 0, "t": 50})
    return fig


@rounded
def fair_share_chart(
    shares: pl.DataFrame, *, title: str, warning_ratio: float, source: str
) -> go.Figure:
    """Each municipality's share of guided companies beside its share of the funding key.

    ``shares``: navn, andel_vejledte, andel_noegle, ratio, langt_under. Municipalities far
    below their share are marked with '⚠' and a text, never by colour alone.
    """
    rows = shares.to_dicts()
    labels = [("⚠ " if r["langt_under"] else "") + str(r["navn"]) for r in rows]
    fig = base_figure(title, source=source, x_title="Andel i procent", height=180 + 44 * len(rows))
    fig.update_layout(
        legend_title_text=(
            f"⚠ = under {fmt.number(warning_ratio, 1)} gange kommunens andel af nøglen<br>"
        ),
        legend={"y": 1.01},
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=[r["andel_vejledte"] for r in rows],
            orientation="h",
            name="Andel af vejledte virksomheder",
            marker_color=PALETTE[0],
            customdata=[
                f"{r['navn']}<br>Andel af vejledte: {fmt.percent(r['andel_vejledte'])}"
                f"<br>Forhold til fordelingsnøglen: {fmt.number(r['ratio'], 2) if r['ratio'] is not None else fmt.NO_DATA}"
                + ("<br>⚠ langt under sin andel" if r["langt_under"] else "")
                for r in rows
            ],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=[r["andel_noegle"] for r in rows],
            orientation="h",
            name="Andel af fordelingsnøglen",
            marker={"color": PALETTE[1], "pattern": {"shape": "/"}},
            hovertemplate="%{y}<br>Andel af fordelingsnøglen: %{x:,.1f}\u00a0%<extra></extra>",
        )
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed", type="category")
    value_axis(fig, "pct", axis="x")
    return fig
