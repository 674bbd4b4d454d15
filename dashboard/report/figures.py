"""Which charts the annual report holds for a year, built by the dashboard's own chart
builders with the same data shaping as the pages (Mål, Kommuner).

Each :class:`ReportChart` carries its figure and the figures behind it (``data``, Danish
column names, suppressed cells already blank) for the XLSX/CSV files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from dashboard import charts
from dashboard.report.data import ReportData
from dashboard.report.rows import UNITS
from dashboard.views import format as fmt
from dashboard.views.figures import KpiViewData, chart_source, kpi_figures, volume_rows
from dashboard.views.kommuner import MEASURES, fair_share_rows, fair_share_warning, measure_values
from dashboard.views.safe_export import slug
from metrics.contract import Kpi

MAP_MEASURES = ("Vejledte virksomheder", "Meget tilfreds med kompetencerne")


# 800 × 448 CSS px at scale 2.5 = 2000 × 1120 px: 17 cm wide at 300 dpi, with the figures'
# 13 px text printing at ~8 pt (at 1000 px wide it would shrink to ~6 pt).
WIDTH, HEIGHT, SCALE = 800, 448, 2.5
REPORT_FONT = "DejaVu Sans"  # Debian's fonts-dejavu-core; it has ✔ ✖ ⚠ ➚


@dataclass(frozen=True, slots=True)
class ReportChart:
    name: str  # file name stem: ASCII slug, unique in the report
    goal: int | None  # None: the municipalities' charts
    title: str  # Danish caption in the documents
    figure: go.Figure
    data: pl.DataFrame  # the chart's figures, Danish columns
    in_document: bool = True

    def __post_init__(self) -> None:
        # The report's one font family (the documents' text is set in it too).
        self.figure.update_layout(font_family=REPORT_FONT)


def size_of(chart: ReportChart) -> tuple[int, int]:
    """Width and height in CSS pixels: 800 × 448, taller when the figure asks for more
    (one bar per municipality)."""
    height = chart.figure.layout.height
    return WIDTH, max(HEIGHT, int(height) if height else HEIGHT)


def alt_text(chart: ReportChart, rows: int = 8) -> str:
    """What a screen reader says for the chart's image: its title and its first figures
    (label and value, as the chart's table has them); the whole table is in the XLSX."""
    data = chart.data
    if data.width < 2 or not data.height:
        return f"Diagram: {chart.title}."
    label, value = data.columns[0], data.columns[1]
    parts = []
    for rec in data.head(rows).iter_rows(named=True):
        shown = rec[value]
        if isinstance(shown, float):
            shown = fmt.number(shown, 1)
        parts.append(f"{rec[label]}: {'ingen tal' if shown is None else shown}")
    if data.height > rows:
        parts.append(f"og {data.height - rows} rækker mere i regnearket")
    figures = f" {value} – " + "; ".join(parts) + "."
    return f"Diagram: {chart.title}.{figures}"


def cell_table(df: pl.DataFrame, unit: str, label: str = "Opdeling") -> pl.DataFrame:
    """A chart's cells as figures: label, value (blank when suppressed), n, interval, target,
    status and a note ('færre end 5 svar')."""
    cols = df.columns

    def col(name: str, dtype: type[pl.DataType] = pl.Float64) -> pl.Expr:
        return pl.col(name) if name in cols else pl.lit(None, dtype=dtype)

    hidden = col("suppressed", pl.Boolean).fill_null(False)
    return df.select(
        pl.col("label").cast(pl.String).alias(label),
        pl.when(hidden)
        .then(None)
        .otherwise(col("value"))
        .round(1, mode="half_away_from_zero")
        .alias("Resultat"),
        col("n", pl.Int64).alias("n"),
        pl.when(hidden)
        .then(None)
        .otherwise(col("ci_low"))
        .round(1, mode="half_away_from_zero")
        .alias("Nedre 95 %"),
        pl.when(hidden)
        .then(None)
        .otherwise(col("ci_high"))
        .round(1, mode="half_away_from_zero")
        .alias("Øvre 95 %"),
        col("target").alias("Mål for året"),
        col("status", pl.String).alias("Status"),
        pl.when(col("secondary", pl.Boolean).fill_null(False))
        .then(pl.lit(fmt.SECONDARY))
        .when(hidden)
        .then(
            pl.lit("færre end 5 ")
            + col("kind", pl.String)
            .fill_null("")
            .replace_strict(fmt.SUPPRESSED_UNITS, default="svar", return_dtype=pl.String)
        )
        .otherwise(pl.lit(""))
        .alias("Bemærkning"),
        pl.lit(UNITS.get(unit, "antal")).alias("Enhed"),
    )


def titled(fig: go.Figure, title: str, subtitle: str) -> go.Figure:
    """The page's short title becomes the subtitle under the KPI's name: a file on its own
    says what it shows. (Plotly places a wrapped, top-anchored title partly above the image;
    title + subtitle stay inside it.)"""
    fig.update_layout(title_text=title, title_subtitle_text=subtitle, title_subtitle_font_size=13)
    return fig


def kpi_report_charts(data: ReportData, kpi: Kpi) -> list[ReportChart]:
    """The goal page's figures of a KPI (:func:`dashboard.views.figures.kpi_figures`), each
    titled with the KPI's name so that a file on its own says what it shows."""
    view = KpiViewData(
        data.cells,
        data.quarters,
        data.history,
        data.all_cells,
        data.year,
        None,
        data.house,
        data.batches,
    )
    out = []
    for f in kpi_figures(kpi, view):
        titled(f.figure, kpi.label, f.short)
        out.append(
            ReportChart(
                f"maal{kpi.goal:02d}_{kpi.id}_{f.part}",
                kpi.goal,
                f"{kpi.label} – {f.short.lower()}",
                f.figure,
                cell_table(f.rows, kpi.unit, f.row_label),
                f.in_document,
            )
        )
    return out


def volume_charts(data: ReportData, goal_number: int) -> list[ReportChart]:
    """Mål 11: counts so far and projected against the targets; courses per fagområde."""
    goal = data.contract.goal(goal_number)
    source = chart_source(data.batches, ["forloeb"])
    df = volume_rows(goal.kpis, data.cells)
    out = []
    if not df.is_empty():
        title = f"Mål {goal_number}: opgjort og fremskrevet til årets udgang {data.year}"
        out.append(
            ReportChart(
                f"maal{goal_number:02d}_fremskrivning",
                goal_number,
                title,
                charts.projection_chart(df, title=title, source=source),
                df.rename(
                    {
                        "label": "Nøgletal",
                        "value": "Opgjort",
                        "projected": "Fremskrevet",
                        "target": "Mål for året",
                    }
                ),
            )
        )
    title = f"Forløb pr. fagområde {data.year}"
    out.append(
        ReportChart(
            f"maal{goal_number:02d}_fagomraader",
            goal_number,
            title,
            _with_room(charts.theme_chart(data.themes, title=title, source=source), data.themes),
            data.themes.rename(
                {
                    "fagomraade": "Fagområde",
                    "forloeb": "Forløb",
                    "virksomheder": "Virksomheder",
                    "andel": "Andel (%)",
                }
            ).with_columns(pl.col("Andel (%)").round(1)),
        )
    )
    return out


def _with_room(fig: go.Figure, themes: pl.DataFrame) -> go.Figure:
    """Room right of the longest bar for its 'count (share)' label, which a fixed-size image
    would otherwise cut (the page's chart grows with the browser instead)."""
    top = max(themes["forloeb"].to_list(), default=0)
    if top:
        fig.update_xaxes(range=[0, top * 1.3])
    return fig


def kommune_charts(data: ReportData) -> list[ReportChart]:
    """The Kommuner page: maps of two measures and Mål 2's fair share."""
    source = chart_source(data.batches, ["forloeb", "brugerevaluering"])
    out = []
    for measure in MAP_MEASURES:
        unit = MEASURES[measure][1]
        values = measure_values(data.all_cells, data.house, measure, data.year)
        title = f"{measure} {data.year}"
        fig = charts.kommune_map(values, title=title, measure=measure, unit=unit, source=source)
        table = values.with_columns(pl.col("navn").alias("label"))
        out.append(
            ReportChart(
                f"kort_{slug(measure)}", None, title, fig, cell_table(table, unit, "Kommune")
            )
        )
    warning = fair_share_warning(data.contract)
    shares = fair_share_rows(data.all_cells, data.house, data.year, warning)
    title = f"Andel af vejledte og af basisbevillingen {data.year}"
    fig = charts.fair_share_chart(
        shares,
        title=title,
        warning_ratio=warning,
        source=f"{source}. Fordelingsnøgle: {data.house.funding_source}",
    )
    table = shares.select(
        pl.col("navn").alias("Kommune"),
        pl.col("vejledte").alias("Vejledte virksomheder"),
        pl.col("andel_vejledte").round(1).alias("Andel af vejledte (%)"),
        pl.col("andel_noegle").round(1).alias("Andel af nøglen (%)"),
        pl.col("ratio").round(2).alias("Forhold"),
        pl.when(pl.col("langt_under"))
        .then(pl.lit("ja"))
        .otherwise(pl.lit("nej"))
        .alias("Langt under sin andel"),
    )
    goal = data.contract.kpi("m2_andel_vejledte").goal
    out.append(ReportChart("maal02_fordelingsnoegle", goal, title, fig, table))
    return out


def _goal_charts(
    data: ReportData, goal_number: int, municipal: list[ReportChart]
) -> Iterator[ReportChart]:
    goal = data.contract.goal(goal_number)
    for kpi in goal.kpis:
        yield from kpi_report_charts(data, kpi)
    yield from (c for c in municipal if c.goal == goal_number)
    if "fagomraade" in goal.breakdowns:
        yield from volume_charts(data, goal_number)


def iter_report_charts(data: ReportData) -> Iterator[ReportChart]:
    """Every chart of the year, goal by goal, then the municipalities, each as soon as it
    is built (the renderer can draw the first while the rest are built)."""
    municipal = kommune_charts(data)
    for goal in data.contract.goals:
        yield from _goal_charts(data, goal.number, municipal)
    yield from (c for c in municipal if c.goal is None)


def first_charts(data: ReportData) -> list[ReportChart]:
    """Each goal's first chart of the document, then the municipalities' charts: what the
    deck shows, built without the rest (the same charts as :func:`report_charts` has)."""
    municipal = kommune_charts(data)
    out = []
    for goal in data.contract.goals:
        charts = (c for c in _goal_charts(data, goal.number, municipal) if c.in_document)
        first = next(charts, None)
        if first is not None:
            out.append(first)
    return out + [c for c in municipal if c.goal is None]


def report_charts(data: ReportData) -> list[ReportChart]:
    """Every chart of the year, goal by goal, then the municipalities."""
    return list(iter_report_charts(data))
