"""Sections of the goal page (Streamlit-facing): a KPI with its charts, the Mål 11
projections and themes, the activity checklist, the method and the director's comment."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import streamlit as st

from dashboard import charts
from dashboard.ui.overblik import status_badge
from dashboard.ui.widgets import chart_row, chart_source
from dashboard.views import format as fmt
from dashboard.views.kpi import (
    ACTIVITY_ICONS,
    kommune_rows,
    main_cell,
    quarter_points,
    segment_rows,
    trend_text,
    year_points,
)
from dashboard.views.text import md
from data.reference import erhvervshus
from data.store import BatchInfo, GoalCommentView
from metrics.contract import COUNT_KINDS, Cells, Goal, Kpi, KpiKind

SURVEY_KINDS = {KpiKind.SURVEY_SHARE, KpiKind.NPS}
# Which export a KPI is computed from (for the figures' source line).
SOURCE_KINDS = {
    KpiKind.SURVEY_SHARE: "brugerevaluering",
    KpiKind.NPS: "brugerevaluering",
    KpiKind.WEIGHTED_SHARE: "kendskab",
    KpiKind.CHECKLIST: "indsatser",
}


def kpi_source(kpi: Kpi, batches: Sequence[BatchInfo]) -> str:
    """The source line of a KPI's figures; CRM for the course-based KPIs."""
    if kpi.kind is KpiKind.CHECKLIST:
        return "Kilde: Erhvervshus Nordjylland, indsatsernes status registreret i dashboardet"
    return chart_source(batches, [SOURCE_KINDS.get(kpi.kind, "forloeb")])


METRIC_WIDTH = 190  # px: four in a row at 1280 px, two on a tablet


def kpi_headline(kpi: Kpi, cells: pl.DataFrame) -> None:
    cell = main_cell(cells, kpi)
    st.subheader(kpi.label)
    if kpi.description:
        st.caption(kpi.description)
    if cell is None:
        return
    shown = cell["ci_low"] is not None and not cell["suppressed"]
    with st.container(horizontal=True, wrap=True):
        for label, text in (
            ("Resultat", fmt.kpi_value(cell["value"], kpi.unit, suppressed=cell["suppressed"])),
            ("Mål", fmt.target_text(cell["target"], kpi.unit)),
            ("Antal (n)", fmt.number(cell["n"]) if cell["n"] is not None else "–"),
            (
                "95 %-interval",
                f"{fmt.number(cell['ci_low'], 1)}–{fmt.number(cell['ci_high'], 1)}"
                if shown
                else "–",
            ),
        ):
            st.metric(label, text, width=METRIC_WIDTH)
    st.markdown("Status: " + status_badge(cell["status"]))


def kpi_charts(
    kpi: Kpi,
    *,
    cells: pl.DataFrame,
    quarters: pl.DataFrame,
    history: pl.DataFrame,
    all_cells: pl.DataFrame,
    year: int,
    kommune: int | None,
    batches: Sequence[BatchInfo],
) -> None:
    """Interval by segment, trend by quarter and by year, breakdown by municipality."""
    source = kpi_source(kpi, batches)
    if kpi.kind is KpiKind.CONTROL_GROUP:
        st.info(
            "Kontrolgruppetallene fra Erhvervsstyrelsen er endnu ikke indtastet (afventer metode)."
        )
        return
    figures = []
    if kpi.cells is Cells.SEGMENT:
        figures.append(
            (
                charts.interval_chart(
                    segment_rows(cells, kpi.id),
                    title=f"Pr. segment {year}",
                    unit=kpi.unit,
                    target=kpi.target,
                    source=source,
                ),
                f"seg_{kpi.id}",
            )
        )
    figures.append(
        (
            charts.trend_chart(
                quarter_points(quarters, kpi.id),
                title=f"Status pr. kvartal {year}",
                unit=kpi.unit,
                x_title="Status ved udgangen af kvartalet",
                source=source,
                show_projection=kpi.kind in COUNT_KINDS,
            ),
            f"q_{kpi.id}",
        )
    )
    by_year = year_points(history, kpi.id, reference_year=year)
    others = by_year.filter(~pl.col("comparable"))
    if not others.is_empty():  # e.g. Mål 1: a survey in 2021 and 2023, a checklist in 2022
        st.caption(
            "Opgjort på en anden måde end i år og derfor ikke med i kurven pr. år: "
            + trend_text(others, kpi.id, kpi.unit, others["year"].to_list(), current_kind="")
        )
    figures.append(
        (
            charts.trend_chart(
                by_year.filter(pl.col("comparable")),
                title="Pr. år mod årets mål",
                unit=kpi.unit,
                x_title="År",
                source=source,
                # a year not yet over is shown with its year-end projection beside it
                show_projection=kpi.kind in COUNT_KINDS,
            ),
            f"y_{kpi.id}",
        )
    )
    if kommune is None and (kpi.kind in SURVEY_KINDS or kpi.kind in COUNT_KINDS):
        figures.append(
            (
                charts.breakdown_chart(
                    kommune_rows(all_cells, kpi.id, year, erhvervshus()),
                    title=f"Pr. kommune {year}",
                    unit=kpi.unit,
                    target=None,
                    source=source,
                ),
                f"k_{kpi.id}",
            )
        )
    chart_row(figures)


def volume_section(goal: Goal, cells: pl.DataFrame, themes: pl.DataFrame, source: str) -> None:
    """Mål 11: counts so far, projected year-end against the targets; the 8 fagområder."""
    rows = []
    for kpi in goal.kpis:
        cell = main_cell(cells, kpi)
        if cell is not None and kpi.kind in COUNT_KINDS:
            rows.append(
                {
                    "label": kpi.label,
                    "value": cell["value"],
                    "projected": cell["projected"],
                    "target": cell["target"],
                }
            )
    figures = []
    if rows:
        figures.append(
            (
                charts.projection_chart(
                    pl.DataFrame(rows),
                    title="Opgjort og fremskrevet til årets udgang",
                    source=source,
                ),
                "projection",
            )
        )
    figures.append(
        (charts.theme_chart(themes, title="Forløb pr. fagområde", source=source), "themes")
    )
    chart_row(figures)


def activity_checklist(goal: Goal, activities: pl.DataFrame) -> None:
    """Each activity of the goal with its latest status up to the as-of date."""
    st.subheader("Indsatser")
    by_id = {r["activity_id"]: r for r in activities.iter_rows(named=True)}
    for activity in goal.activities:
        entry = by_id.get(activity.id)
        status = entry["status"] if entry else "Ikke startet"
        with st.container(border=True):
            st.markdown(f"**{ACTIVITY_ICONS.get(status, '•')} {status}**")
            st.text(activity.text)
            if entry:
                st.caption(f"Senest opdateret {fmt.day(entry['status_date'])}")
                for label in ("evidence", "comment"):
                    if entry[label]:
                        name = "Dokumentation" if label == "evidence" else "Kommentar"
                        st.text(f"{name}: {entry[label]}")


def method_and_comment(goal: Goal, comment: GoalCommentView | None) -> None:
    if comment is not None:
        st.subheader("Direktørens kommentar")
        with st.container(border=True):
            st.text(comment.text)
            st.caption(f"{md(comment.author)}, {fmt.timestamp(comment.created_at)}")
    with st.expander("Målet og metoden i kontrakten"):
        st.markdown("**Mål**")
        st.text(goal.goal_text)
        st.markdown("**Metode**")
        st.text(goal.method)
        if goal.reporting:
            st.markdown("**Afrapportering**")
            st.text(goal.reporting)
