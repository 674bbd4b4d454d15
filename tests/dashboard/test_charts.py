"""Chart builders: plain Plotly figures in Danish, never a suppressed value, no Streamlit."""

from __future__ import annotations

import ast
import filecmp
import json
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
import shapely
import shapely.geometry

from dashboard import charts
from dashboard.charts.maps import GEO_CREDIT, kommune_geojson, label_points
from data.reference import GEO_DIR

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "Kilde: test"


def cells(suppressed_value: float = 42.123) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "label": ["Alle", "Drift", "Læsø"],
            "value": [1234.5678, 81.75, suppressed_value],
            "ci_low": [1200.0, 76.5, 30.0],
            "ci_high": [1250.0, 86.0, 55.0],
            "n": [1500, 247, 3],
            "status": ["Opfyldt", "Ikke opfyldt", "Afventer data"],
            "suppressed": [False, False, True],
            "target": [80.0, 80.0, 80.0],
            "projected": [1300.0, 90.0, None],
        }
    )


def figures() -> list[go.Figure]:
    kommuner = pl.DataFrame(
        {
            "kommune": [851, 825],
            "navn": ["Aalborg", "Læsø"],
            "value": [1234.5, 42.123],
            "suppressed": [False, True],
            "n": [400, 3],
        }
    )
    shares = pl.DataFrame(
        {
            "navn": ["Aalborg", "Læsø"],
            "andel_vejledte": [38.7, 0.1],
            "andel_noegle": [37.2, 0.3],
            "ratio": [1.04, 0.38],
            "langt_under": [False, True],
        }
    )
    years = pl.DataFrame(
        {
            "label": ["2021", "2022"],
            "value": [42.1, 100.0],
            "target": [45.0, 100.0],
            "suppressed": [False, False],
            "comparable": [True, False],
            "note": ["", "Tjekliste"],
        }
    )
    return [
        charts.interval_chart(cells(), title="Pr. segment", unit="pct", target=80, source=SOURCE),
        charts.trend_chart(
            cells(),
            title="Pr. kvartal",
            unit="antal",
            x_title="Kvartal",
            source=SOURCE,
            show_projection=True,
        ),
        charts.breakdown_chart(cells(), title="Pr. kommune", unit="pct", target=80, source=SOURCE),
        charts.projection_chart(cells().head(2), title="Fremskrevet", source=SOURCE),
        charts.theme_chart(
            pl.DataFrame(
                {
                    "fagomraade": ["Innovation"],
                    "forloeb": [1234],
                    "virksomheder": [900],
                    "andel": [100.0],
                }
            ),
            title="Fagområder",
            source=SOURCE,
        ),
        charts.kommune_map(kommuner, title="Kort", measure="Vejledte", unit="antal", source=SOURCE),
        charts.fair_share_chart(shares, title="Andele", warning_ratio=0.5, source=SOURCE),
        charts.year_comparison_chart(years, title="År", unit="pct", source=SOURCE),
        charts.benchmark_chart(
            pl.DataFrame(
                {
                    "key": ["nordjylland", "national"],
                    "navn": ["Nordjylland", "Hele landet"],
                    "value": [40.0, 33.0],
                }
            ),
            title="Benchmark",
            highlight="nordjylland",
            source=SOURCE,
        ),
        charts.awareness_trend_chart(
            years.with_columns(pl.lit("egen måling").alias("kilde")),
            title="Kendskab",
            national=33.0,
            source=SOURCE,
        ),
    ]


@pytest.mark.parametrize("fig", figures(), ids=lambda f: f.layout.title.text)
def test_every_figure_is_danish_with_a_source_line(fig: go.Figure) -> None:
    assert isinstance(fig, go.Figure)
    assert fig.layout.separators == ",."
    assert fig.layout.title.text
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "Kilde: test" in notes.replace("<br>", " ")
    text = fig.to_json()
    assert "1,234.5" not in text and "NaN" not in text


def as_text(fig: go.Figure) -> str:
    return json.dumps(json.loads(fig.to_json()), ensure_ascii=False)


def test_suppressed_cells_never_carry_their_value() -> None:
    for fig in [*figures()[:3], figures()[5]]:
        text = as_text(fig)
        assert "42.123" not in text and "42,1" not in text, fig.layout.title.text
    breakdown = as_text(figures()[2])
    assert "færre end 5 svar" in breakdown and "færre end 5 svar" in as_text(figures()[5])
    assert "1.234,6\u00a0%" in breakdown  # a non-breaking space: never "1.234,6" + line break + "%"


def test_map_is_offline_and_credits_dagi() -> None:
    fig = figures()[5]
    assert fig.layout.geo.visible is False
    assert GEO_CREDIT in fig.layout.annotations[0].text.replace("<br>", " ")
    assert all(t.featureidkey == "properties.kode" for t in fig.data if t.type == "choropleth")
    # the served stub is the project's copy of the empty world topojson
    assert filecmp.cmp(ROOT / "static" / "world_110m.json", GEO_DIR / "stub_world_110m.json")


def test_map_names_sit_inside_their_municipality_and_the_map_fills_its_area() -> None:
    fig = figures()[5]
    geo = kommune_geojson()
    names = next(t for t in fig.data if t.name == "Kommunenavne")
    shapes = {
        int(f["properties"]["kode"]): shapely.geometry.shape(f["geometry"]) for f in geo["features"]
    }
    points = label_points()
    assert set(points) == set(shapes)
    assert {(lon, lat) for lon, lat in zip(names.lon, names.lat, strict=True)} <= set(
        points.values()
    )
    for kode, (lon, lat) in points.items():
        assert shapes[kode].contains(shapely.geometry.Point(lon, lat)), kode
    # Frederikshavn's name is not at the mean of its long coast (0,04° of latitude from
    # Hjørring's, the two overlapped) but in its wide southern part
    assert points[813][1] < points[860][1] - 0.1
    # the map is cut to the municipalities (plus 2 %), not Plotly's wide fitbounds border
    west, south, east, north = shapely.unary_union(list(shapes.values())).bounds
    lon, lat = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    assert lon[0] < west < east < lon[1] and lat[0] < south < north < lat[1]
    assert (lon[1] - lon[0]) < (east - west) * 1.05
    assert names.textfont.shadow == "auto"  # legible over a neighbour's colour


def test_fair_share_marks_with_icon_and_text() -> None:
    fig = figures()[6]
    assert "⚠ Læsø" in list(fig.data[0].y)
    assert "⚠" in fig.layout.legend.title.text


PURE = [
    "dashboard/charts",
    "dashboard/views",
    "dashboard/report",
    "dashboard/cli",
    "metrics/breakdowns.py",
]


@pytest.mark.parametrize("path", PURE)
def test_chart_builders_and_views_never_import_streamlit(path: str) -> None:
    files = [ROOT / path] if path.endswith(".py") else sorted((ROOT / path).glob("*.py"))
    for file in files:
        tree = ast.parse(file.read_text(encoding="utf-8"))
        names = [
            n.module if isinstance(n, ast.ImportFrom) else a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom)
            for a in (n.names if isinstance(n, ast.Import) else [n])  # type: ignore[attr-defined]
        ]
        assert not any(str(name).startswith("streamlit") for name in names), file


def test_pages_are_thin_and_modules_small() -> None:
    for page in (ROOT / "dashboard" / "pages").glob("*.py"):
        assert len(page.read_text(encoding="utf-8").splitlines()) <= 80, page.name
    for module in [
        *(ROOT / "dashboard").glob("*.py"),
        *(ROOT / "dashboard" / "charts").glob("*.py"),
        *(ROOT / "dashboard" / "views").glob("*.py"),
        *(ROOT / "dashboard" / "ui").glob("*.py"),
    ]:
        assert len(module.read_text(encoding="utf-8").splitlines()) <= 300, module.name


@pytest.mark.parametrize("fig", figures(), ids=lambda f: f.layout.title.text)
def test_labels_stay_level_and_are_never_clipped(fig: go.Figure) -> None:
    """A phone's narrow bars: Plotly would turn a label on its side or clip it at the edge."""
    for trace in fig.data:
        if trace.type == "bar" and trace.text is not None and trace.textposition != "outside":
            assert trace.textangle == 0, trace.name
        if trace.type == "scatter" and trace.text is not None:
            assert trace.cliponaxis is False, trace.name


def test_a_long_title_wraps_to_fit_a_phone() -> None:
    """A KPI's label as the title of a 400 px chart: Plotly never wraps it itself."""
    label = "Kendskabsgrad (virksomheder, der kender Erhvervshuset)"
    fig = charts.year_comparison_chart(
        pl.DataFrame(
            {
                "label": ["2021"],
                "value": [42.1],
                "target": [45.0],
                "suppressed": [False],
                "comparable": [True],
                "note": [""],
            }
        ),
        title=label,
        unit="pct",
        source=SOURCE,
    )
    lines = fig.layout.title.text.split("<br>")
    assert " ".join(lines) == label and len(lines) == 2
    assert all(len(line) <= 48 for line in lines)
