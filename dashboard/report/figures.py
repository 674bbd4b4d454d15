"""Which charts the annual report holds for a year, built by the dashboard's own chart
builders with the same data shaping as the pages (Mål, Kommuner).

Each :class:`ReportChart` carries its figure and the figures behind it (``data``, Danish
column names, suppressed cells already blank) for the XLSX/CSV files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from dashboard import charts
from dashboard.report.data import ReportData
from dashboard.report.safety import slug
from dashboard.views import format as fmt
from dashboard.views.kommuner import MEASURES, fair_share_rows, fair_share_warning, measure_values
from dashboard.views.kpi import kommune_rows, quarter_points, segment_rows, year_points
from data.store import BatchInfo
from expectations.schema import KIND_LABELS, Kind
from metrics.contract import Cells, Kpi, KpiKind
from metrics.kinds import Source

MAP_MEASURES = ("Vejledte virksomheder", "Meget tilfreds med kompetencerne")


# 800 × 448 CSS px at scale 2.5 = 2000 × 1120 px: 17 cm wide at 300 dpi, with the figures'
# 13 px text printing at ~8 pt (at 1000 px wide it would shrink to ~6 pt).
WIDTH, HEIGHT, SCALE = 800, 448, 2.5


@dataclass(frozen=True, slots=True)
class ReportChart:
    name: str  # file name stem: ASCII slug, unique in the report
    goal: int | None  # None: the municipalities' charts
    title: str  # Danish caption in the documents
    figure: go.Figure
    data: pl.DataFrame  # the chart's figures, Danish columns
    in_document: bool = True


def size_of(chart: ReportChart) -> tuple[int, int]:
    """Width and height in CSS pixels: 800 × 448, taller when the figure asks for more
    (one bar per municipality)."""
    height = chart.figure.layout.height
    return WIDTH, max(HEIGHT, int(height) if height else HEIGHT)


def chart_source(batches: Sequence[BatchInfo], kinds: Sequence[str]) -> str:
    """As :func:`dashboard.ui.widgets.chart_source` (kept pure here for the export)."""
    chosen = [b for b in batches if b.kind in kinds]
    names = ", ".join(KIND_LABELS[Kind(k)] for k in kinds)
    if not chosen:
        return f"Kilde: Erhvervshus Nordjylland ({names})"
    latest = max(b.uploaded_at for b in chosen)
    return f"Kilde: Erhvervshus Nordjylland ({names}), indlæst {fmt.day(latest)}"


def kpi_source(kpi: Kpi, batches: Sequence[BatchInfo]) -> str:
    source = kpi.spec.source
    if source is Source.INDSATSER:
        return "Kilde: Erhvervshus Nordjylland, indsatsernes status registreret i dashboardet"
    if source is Source.CONTROL_GROUP:
        return "Kilde: Erhvervsstyrelsen, kontrolgruppens tal indtastet i dashboardet"
    return chart_source(batches, [source])


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
        pl.when(hidden).then(pl.lit(fmt.SUPPRESSED)).otherwise(pl.lit("")).alias("Bemærkning"),
        pl.lit({"pct": "procent", "nps": "NPS", "kommuner": "kommuner"}.get(unit, "antal")).alias(
            "Enhed"
        ),
    )


def titled(fig: go.Figure, title: str, subtitle: str) -> go.Figure:
    """The page's short title becomes the subtitle under the KPI's name: a file on its own
    says what it shows. (Plotly places a wrapped, top-anchored title partly above the image;
    title + subtitle stay inside it.)"""
    fig.update_layout(title_text=title, title_subtitle_text=subtitle, title_subtitle_font_size=13)
    return fig


def kpi_charts(data: ReportData, kpi: Kpi) -> list[ReportChart]:
    """As the goal page draws them: by segment, by quarter, by year, by municipality."""
    if kpi.kind in (KpiKind.CONTROL_GROUP, KpiKind.KOMMUNE_SHARE):
        return []
    year, source = data.year, kpi_source(kpi, data.batches)
    out: list[ReportChart] = []
    stem = f"maal{kpi.goal:02d}_{kpi.id}"
    if kpi.cells is Cells.SEGMENT:
        rows = segment_rows(data.cells, kpi.id)
        short = f"Pr. segment {year}"
        title = f"{kpi.label} – {short.lower()}"
        fig = charts.interval_chart(
            rows, title=short, unit=kpi.unit, target=kpi.target, source=source
        )
        titled(fig, kpi.label, short)
        out.append(ReportChart(f"{stem}_segment", kpi.goal, title, fig, cell_table(rows, kpi.unit)))
    points = quarter_points(data.quarters, kpi.id)
    short = f"Status pr. kvartal {year}"
    title = f"{kpi.label} – {short.lower()}"
    fig = charts.trend_chart(
        points,
        title=short,
        unit=kpi.unit,
        x_title="Status ved udgangen af kvartalet",
        source=source,
        show_projection=kpi.spec.count,
    )
    titled(fig, kpi.label, short)
    out.append(
        ReportChart(
            f"{stem}_kvartal",
            kpi.goal,
            title,
            fig,
            cell_table(points, kpi.unit, "Kvartal"),
            in_document=kpi.cells is not Cells.SEGMENT,
        )
    )
    by_year = year_points(data.history, kpi.id, reference_year=year).filter(pl.col("comparable"))
    short = "Pr. år mod årets mål"
    title = f"{kpi.label} – {short.lower()}"
    fig = charts.trend_chart(by_year, title=short, unit=kpi.unit, x_title="År", source=source)
    titled(fig, kpi.label, short)
    out.append(
        ReportChart(f"{stem}_aar", kpi.goal, title, fig, cell_table(by_year, kpi.unit, "År"), False)
    )
    if kpi.spec.source is Source.BRUGEREVALUERING or kpi.spec.count:
        rows = kommune_rows(data.all_cells, kpi.id, year, data.house)
        short = f"Pr. kommune {year}"
        title = f"{kpi.label} – {short.lower()}"
        fig = charts.breakdown_chart(rows, title=short, unit=kpi.unit, target=None, source=source)
        titled(fig, kpi.label, short)
        out.append(
            ReportChart(
                f"{stem}_kommune",
                kpi.goal,
                title,
                fig,
                cell_table(rows, kpi.unit, "Kommune"),
                # 0 or 1 per municipality: the Mål 2 table says it better in print
                in_document=kpi.kind is not KpiKind.COVERAGE,
            )
        )
    return out


def volume_charts(data: ReportData, goal_number: int) -> list[ReportChart]:
    """Mål 11: counts so far and projected against the targets; courses per fagområde."""
    goal = data.contract.goal(goal_number)
    source = chart_source(data.batches, ["forloeb"])
    rows = []
    for kpi in goal.kpis:
        cell = data.cells.filter(pl.col("kpi") == kpi.id, pl.col("segment").is_null())
        if kpi.spec.count and not cell.is_empty():
            c = cell.row(0, named=True)
            rows.append(
                {"label": kpi.label, "value": c["value"], "projected": c["projected"]}
                | {"target": c["target"]}
            )
    out = []
    if rows:
        df = pl.DataFrame(rows)
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


def report_charts(data: ReportData) -> list[ReportChart]:
    """Every chart of the year, goal by goal, then the municipalities."""
    out: list[ReportChart] = []
    for goal in data.contract.goals:
        for kpi in goal.kpis:
            out.extend(kpi_charts(data, kpi))
        if goal.number == 2:
            out.extend(c for c in kommune_charts(data) if c.goal == 2)
        if "fagomraade" in goal.breakdowns:
            out.extend(volume_charts(data, goal.number))
    out.extend(c for c in kommune_charts(data) if c.goal is None)
    return out
