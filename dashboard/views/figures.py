"""Which figures a KPI gets, decided once for the goal page and the annual report.

:func:`kpi_figures` builds them with the chart builders of ``dashboard/charts/`` from the
same shaped rows the page shows, and says which of them the printed report holds; the page
draws them all, the report also writes the rows behind each as XLSX/CSV. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from dashboard import charts
from dashboard.views import format as fmt
from dashboard.views.kpi import kommune_rows, quarter_points, segment_rows, year_points
from data.reference import Erhvervshus
from data.store import BatchInfo
from expectations.schema import KIND_LABELS, Kind
from metrics.contract import Cells, Kpi, KpiKind
from metrics.kinds import Source

CHECKLIST_SOURCE = "Kilde: Erhvervshus Nordjylland, indsatsernes status registreret i dashboardet"
CONTROL_GROUP_SOURCE = "Kilde: Erhvervsstyrelsen, kontrolgruppens tal indtastet i dashboardet"
# KPIs drawn elsewhere: Mål 2's shares on the Kommuner page, Mål 6's control group as text.
NO_FIGURES = frozenset({KpiKind.CONTROL_GROUP, KpiKind.KOMMUNE_SHARE})


def chart_source(batches: Sequence[BatchInfo], kinds: Sequence[str]) -> str:
    """The source line of a figure: which exports and when they were last loaded."""
    chosen = [b for b in batches if b.kind in kinds]
    labels = [KIND_LABELS[Kind(k)] for k in kinds]
    # "Forløb (CRM)" has parentheses of its own: the list follows a dash, not in parentheses
    names = " og ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
    if not chosen:
        return f"Kilde: Erhvervshus Nordjylland – {names}"
    latest = max(b.uploaded_at for b in chosen)
    return f"Kilde: Erhvervshus Nordjylland – {names}, indlæst {fmt.day(latest)}"


def kpi_source(kpi: Kpi, batches: Sequence[BatchInfo]) -> str:
    """The source line of a KPI's figures: the export its kind reads (the registry)."""
    source = kpi.spec.source
    if source is Source.INDSATSER:
        return CHECKLIST_SOURCE
    if source is Source.CONTROL_GROUP:
        return CONTROL_GROUP_SOURCE
    return chart_source(batches, [source])


@dataclass(frozen=True, slots=True)
class KpiFigure:
    part: str  # "segment", "kvartal", "aar" or "kommune": file-name part and chart key
    short: str  # the figure's own title, e.g. "Pr. segment 2022"
    figure: go.Figure
    rows: pl.DataFrame  # the shaped cells behind the figure
    row_label: str  # what a row is, as a column header: "Opdeling", "Kvartal", "År", "Kommune"
    in_document: bool  # printed in the report (every figure is on the page and in the files)


@dataclass(frozen=True, slots=True)
class KpiViewData:
    """The cells a KPI's figures are drawn from (one year seen as of its last quarter)."""

    cells: pl.DataFrame  # the year's house (or municipality) cells
    quarters: pl.DataFrame  # status at the end of each quarter of the year
    history: pl.DataFrame  # every contract year's cells
    all_cells: pl.DataFrame  # with the municipalities' cells, for the breakdown
    year: int
    kommune: int | None
    house: Erhvervshus
    batches: Sequence[BatchInfo]


def kpi_figures(kpi: Kpi, data: KpiViewData) -> list[KpiFigure]:
    """By segment (shares with intervals), by quarter, by year against each year's target and
    by municipality (survey and count KPIs, in the house view)."""
    if kpi.kind in NO_FIGURES:
        return []
    source = kpi_source(kpi, data.batches)
    counts = kpi.spec.count
    out: list[KpiFigure] = []
    if kpi.cells is Cells.SEGMENT:
        rows = segment_rows(data.cells, kpi.id)
        short = f"Pr. segment {data.year}"
        fig = charts.interval_chart(
            rows, title=short, unit=kpi.unit, target=kpi.target, source=source
        )
        out.append(KpiFigure("segment", short, fig, rows, "Opdeling", True))
    points = quarter_points(data.quarters, kpi.id)
    short = f"Status pr. kvartal {data.year}"
    fig = charts.trend_chart(
        points,
        title=short,
        unit=kpi.unit,
        x_title="Status ved udgangen af kvartalet",
        source=source,
        show_projection=counts,
        bars=kpi.kind is KpiKind.CHECKLIST,
    )
    # with a segment chart above it, the report prints the quarters in its files only
    out.append(KpiFigure("kvartal", short, fig, points, "Kvartal", kpi.cells is not Cells.SEGMENT))
    by_year = comparable_years(kpi, data)
    short = "Pr. år mod årets mål"
    fig = charts.trend_chart(
        by_year,
        title=short,
        unit=kpi.unit,
        x_title="År",
        source=source,
        # a year not yet over is shown with its year-end projection beside it
        show_projection=counts,
        by_year=True,
        bars=kpi.kind is KpiKind.CHECKLIST,
    )
    out.append(KpiFigure("aar", short, fig, by_year, "År", False))
    if data.kommune is None and (kpi.spec.source is Source.BRUGEREVALUERING or counts):
        rows = kommune_rows(data.all_cells, kpi.id, data.year, data.house)
        short = f"Pr. kommune {data.year}"
        # a share's target holds for each municipality; a count's is its share of the key
        per_row = counts and kpi.kind is not KpiKind.COVERAGE
        fig = charts.breakdown_chart(
            rows,
            title=short,
            unit=kpi.unit,
            target=None if counts else kpi.target,
            source=source,
            row_targets=per_row,
        )
        # 0 or 1 per municipality: Mål 2's table says it better in print
        out.append(
            KpiFigure("kommune", short, fig, rows, "Kommune", kpi.kind is not KpiKind.COVERAGE)
        )
    return out


def comparable_years(kpi: Kpi, data: KpiViewData) -> pl.DataFrame:
    """The years measured the same way as ``data.year`` (the curve by year)."""
    points = year_points(data.history, kpi.id, reference_year=data.year)
    return points.filter(pl.col("comparable"))


def other_years(kpi: Kpi, data: KpiViewData) -> pl.DataFrame:
    """Years measured another way (e.g. Mål 1: a survey in 2021 and 2023, a checklist in
    2022), which the curve by year leaves out and the page names in a caption."""
    points = year_points(data.history, kpi.id, reference_year=data.year)
    return points.filter(~pl.col("comparable"))


def volume_rows(kpis: Sequence[Kpi], cells: pl.DataFrame) -> pl.DataFrame:
    """Mål 11: each count KPI's value so far, its year-end projection and its target."""
    rows = []
    for kpi in kpis:
        if not kpi.spec.count:
            continue
        cell = cells.filter(pl.col("kpi") == kpi.id, pl.col("segment").is_null())
        if not cell.is_empty():
            c = cell.row(0, named=True)
            rows.append(
                {
                    "label": kpi.label,
                    "value": c["value"],
                    "projected": c["projected"],
                    "target": c["target"],
                }
            )
    schema = {"label": pl.String, "value": pl.Float64, "projected": pl.Float64}
    return pl.DataFrame(rows, schema=schema | {"target": pl.Float64})
