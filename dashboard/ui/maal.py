"""Sections of the goal page (Streamlit-facing): a KPI with its charts, the Mål 11
projections and themes, the activity checklist, the method and the director's comment.
Which figures a KPI gets is decided in :mod:`dashboard.views.figures` (shared with the report)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts
from dashboard.ui import cache
from dashboard.ui.widgets import chart_row
from dashboard.views import format as fmt
from dashboard.views.control_group import control_group_lines
from dashboard.views.explain import UNCERTAIN_TEXT, uncertain
from dashboard.views.figures import KpiViewData, other_years, volume_rows
from dashboard.views.kpi import (
    ACTIVITY_ICONS,
    HOUSE_ONLY,
    NO_TARGET,
    funding_share,
    is_house_figure,
    main_cell,
    n_label,
    trend_text,
)
from dashboard.views.overview import status_badge
from dashboard.views.text import md
from data.reference import erhvervshus
from data.store import GoalCommentView
from metrics.contract import Goal, Kpi, KpiKind

METRIC_WIDTH = 190  # px: four in a row at 1280 px, two on a tablet


def kpi_headline(kpi: Kpi, cells: pl.DataFrame, kommune: int | None = None) -> None:
    cell = main_cell(cells, kpi)
    st.subheader(kpi.label)
    if kpi.description:
        st.caption(kpi.description)
    if cell is None:
        return
    if is_house_figure(cell, kommune):
        st.caption(f"Tallet gælder {HOUSE_ONLY}; det opgøres ikke pr. kommune.")
    shown = cell["ci_low"] is not None and not cell["suppressed"]
    if kpi.unit == "kriterier":  # Mål 6: "1 af 3" criteria met, against all three
        met = cell["value"]
        metrics = [
            ("Kriterier opfyldt", "–" if met is None else fmt.criteria_count(met)),
            ("Mål", fmt.criteria_count(cell["target"]) if cell["target"] is not None else "–"),
        ]
    else:
        metrics = [
            ("Resultat", fmt.cell_value(cell, kpi.unit)),
            ("Mål", fmt.target_text(cell["target"], kpi.unit)),
            *(
                [(label, fmt.number(cell["n"]) if cell["n"] is not None else "–")]
                if (label := n_label(cell["kind"]))
                else []
            ),
            # only a share estimated from a sample has an interval (not NPS, not a census)
            *(
                [(fmt.INTERVAL, fmt.interval(cell["ci_low"], cell["ci_high"]) if shown else "–")]
                if kpi.spec.sample and kpi.unit == "pct"
                else []
            ),
        ]
    with st.container(horizontal=True, wrap=True):
        for label, text in metrics:
            st.metric(label, text, width=METRIC_WIDTH)
    if cell["target"] is None:
        st.markdown(f"Status: {NO_TARGET}")
    else:
        badge = status_badge(cell["status"])
        if uncertain(cell):
            badge += (
                f" :gray-badge[{UNCERTAIN_TEXT}] intervallet går under målet: "
                "målet er måske ikke nået"
            )
        st.markdown("Status: " + badge)


PAGE_KEYS = {"segment": "seg", "kvartal": "q", "aar": "y", "kommune": "k"}


def kpi_charts(kpi: Kpi, data: KpiViewData, key: cache.FigureKey) -> None:
    """The KPI's figures (:func:`dashboard.views.figures.kpi_figures`, cached on ``key``), two
    in a row."""
    if kpi.kind is KpiKind.CONTROL_GROUP:  # figures typed in, no charts: see control_group
        return
    others = other_years(kpi, data)
    if not others.is_empty():
        st.caption(
            "Opgjort på en anden måde end i år og derfor ikke med i kurven pr. år: "
            + trend_text(others, kpi.id, kpi.unit, others["year"].to_list(), current_kind="")
        )
    shown = cache.kpi_figures(key, kpi, data)
    chart_row([(f.figure, f"{PAGE_KEYS[f.part]}_{kpi.id}") for f in shown])


def kommune_share_section(kpi: Kpi, cells: pl.DataFrame, kommune: int) -> None:
    """Mål 2 in a municipality's view: its share of the guided companies against its share of
    the funding key. The contract sets no target for it, so it gets no status."""
    rows = cells.filter(pl.col("kpi") == kpi.id, pl.col("kommune") == kommune)
    st.subheader(kpi.label)
    if rows.is_empty():
        return
    c = rows.row(0, named=True)
    with st.container(horizontal=True, wrap=True):
        st.metric("Kommunens andel", fmt.kpi_value(c["value"], kpi.unit), width=METRIC_WIDTH)
        key = fmt.percent(funding_share(erhvervshus(), kommune))
        st.metric("Andel af fordelingsnøglen", key, width=METRIC_WIDTH)
        guided = fmt.number(c["numerator"]) if c["numerator"] is not None else "–"
        st.metric("Vejledte virksomheder", guided, width=METRIC_WIDTH)
    st.markdown(f"Status: {NO_TARGET}")


def control_group_section(kpi: Kpi, entry: dict[str, object] | None, year: int) -> None:
    """Mål 6: the entered figures against their criteria, with source (plain text)."""
    lines = control_group_lines(kpi, entry, year)
    if entry is None:
        st.info(lines[0], icon=":material/hourglass_empty:")
    else:
        st.text("\n".join(lines))


def volume_section(
    goal: Goal, cells: pl.DataFrame, themes: pl.DataFrame, source: str, year: int
) -> None:
    """Mål 11: counts so far, projected year-end against the targets; the 8 fagområder."""
    rows = volume_rows(goal.kpis, cells)
    figures = []
    if not rows.is_empty():
        figures.append(
            (
                charts.projection_chart(
                    rows, title="Opgjort og fremskrevet til årets udgang", source=source
                ),
                "projection",
            )
        )
    figures.append(
        (charts.theme_chart(themes, title=f"Forløb pr. fagområde {year}", source=source), "themes")
    )
    chart_row(figures)


def checklist_section(goal: Goal, activities: pl.DataFrame) -> None:
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
