"""Small Streamlit components shared by every page. No raw HTML with data in it.

:func:`run_page` is the one place an unexpected error becomes a Danish message (details go to
the server log); :func:`page_setup` reads the data version, the batches and the shared filters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from dashboard.ui import cache
from dashboard.ui.filters import CONTRACT_YEARS, Filters, show_year, sidebar_filters
from dashboard.ui.phone import filter_hint, phone_style
from dashboard.views import explain
from dashboard.views import format as fmt
from dashboard.views.text import md
from dashboard.web.assets import DANISH_PATH
from data.errors import UserFacingError
from data.periods import AsOf, Quarter, ended
from data.store import BatchInfo, DataVersion
from expectations.schema import KIND_LABELS, Kind
from metrics.contract import Contract, contract_for

log = logging.getLogger("dashboard")

NO_DATA_MESSAGE = (
    "Der er endnu ingen data. Erhvervshusets direktør kan indlæse eksporter fra CRM, "
    "brugerevalueringen og kendskabsmålingen på siden *Indlæs data* (eller med "
    "`erhvervshus ingest`), eller en udvikler kan indlæse demodata med `erhvervshus demo`."
)
ERROR_MESSAGE = (
    "Beklager – siden kunne ikke vises på grund af en intern fejl. Prøv at genindlæse siden. "
    "Fejlen er skrevet i serverens log; kontakt den tekniske ansvarlige, hvis den bliver ved."
)


def run_page(body: Callable[[], None]) -> None:
    """Run a page body; a person sees a Danish message instead of a traceback.

    Streamlit's own control flow (``st.stop``, ``st.switch_page``) derives from
    BaseException and passes through.
    """
    try:
        body()
    except UserFacingError as exc:
        st.error(f"{md(exc.title)}: {md(exc.message)}")
    except Exception:
        log.exception("Fejl under visning af en side")
        st.error(ERROR_MESSAGE, icon=":material/warning:")


@dataclass(frozen=True, slots=True)
class PageContext:
    version: DataVersion
    batches: list[BatchInfo]
    filters: Filters
    contract: Contract
    as_of: AsOf  # how the view sees the year (data.periods.resolve_as_of)


def page_setup(title: str, *, dated: bool = True) -> PageContext:
    """Title, data version, sidebar filters; stops with a Danish message when there is no data.
    A page whose figures belong to no one contract year (``dated=False``: Benchmark) says what
    it shows instead of a "status pr." date and offers no "Se hele …" button."""
    phone_style()
    st.title(title)
    filter_hint()
    version = cache.current_version()
    batches = cache.active_batches(version)
    if not batches:
        st.info(NO_DATA_MESSAGE, icon=":material/upload_file:")
        st.stop()
    filters = sidebar_filters(batches, cache.quarters_with_data(version))
    contract = contract_for(filters.year)
    as_of = cache.seen_as_of(version, filters.year, filters.as_of)
    if not dated:
        return PageContext(version, batches, filters, contract, as_of)
    st.caption(f"{contract.title} · {filters.scope_label} · status pr. {fmt.as_of_text(as_of)}")
    year_running = not ended(Quarter(filters.year, 4), date.today())
    if year_running and filters.year - 1 >= min(CONTRACT_YEARS):
        previous = filters.year - 1
        st.button(
            f"Se hele {previous}",
            icon=":material/history:",
            on_click=show_year,
            args=(previous,),
            help=f"{filters.year} er ikke slut; {previous} er det seneste hele år.",
        )
    if contract.based_on is not None:
        st.caption(
            f"Der er ingen kontraktfil for {filters.year}; målene fra kontrakten for "
            f"{contract.based_on} er anvendt."
        )
    return PageContext(version, batches, filters, contract, as_of)


def how_to_read(min_n: int = 5) -> None:
    """The "Sådan læses tallene" section: n, the interval, NPS, projection, each status."""
    with st.expander(explain.HOW_TO_READ_TITLE, icon=":material/help:"):
        # our own sentences (not escaped: md() would fold the non-breaking spaces)
        lines = [f"- **{term}**: {text}" for term, text in explain.how_to_read(min_n)]
        st.markdown("\n".join(lines))


def sources_line(batches: Sequence[BatchInfo], year: int | None = None) -> None:
    """Which active batches the figures come from: kind, periods, files, latest upload."""
    st.caption("Datagrundlag: " + sources_text(batches, year) + ".")


def sources_text(batches: Sequence[BatchInfo], year: int | None = None) -> str:
    by_kind: dict[str, list[BatchInfo]] = {}
    for b in batches:
        if year is None or b.quarter.year in (year, year - 1):
            by_kind.setdefault(b.kind, []).append(b)
    parts = []
    for kind, items in sorted(by_kind.items()):
        periods = sorted(b.period for b in items)
        latest = max(b.uploaded_at for b in items)
        rows = sum(b.row_count for b in items)
        span = periods[0] if periods[0] == periods[-1] else f"{periods[0]}–{periods[-1]}"
        files = "1 fil" if len(items) == 1 else f"{len(items)} filer"
        parts.append(
            f"{KIND_LABELS[Kind(kind)]} {span} ({files}, "
            f"{fmt.number(rows)} rækker, senest indlæst {fmt.timestamp(latest)})"
        )
    return "; ".join(parts) if parts else "ingen indlæste filer for perioden"


def chart(fig: go.Figure, *, key: str) -> None:
    """Draw a figure. The topojson URL points at the app's own static folder, so a
    choropleth never fetches its base map from a CDN. The key's ``chart_`` prefix lets the
    browser tests wait until every figure has drawn."""
    base = st.get_option("server.baseUrlPath").strip("/")
    prefix = f"/{base}" if base else ""
    st.plotly_chart(
        fig,
        width="stretch",
        key=f"chart_{key}",
        config={
            "topojsonURL": f"{prefix}/app/static/",
            # Plotly's toolbar speaks English (locale "da" has no effect inside Streamlit);
            # figures are exported by the report export instead.
            "displayModeBar": False,
        },
    )


CHART_WIDTH = 400  # px: two figures side by side at 1280 px, one per row on a tablet


def chart_row(figures: Sequence[tuple[go.Figure, str]]) -> None:
    """Figures in a wrapping row: side by side when there is room, stacked when not."""
    with st.container(horizontal=True, wrap=True, gap="small"):
        for fig, key in figures:
            with st.container(width=CHART_WIDTH):
                chart(fig, key=key)


def danish_widget_texts() -> None:
    """Load the script that puts Streamlit's own widget texts in Danish (screen-reader labels,
    tooltips, placeholders, instructions, file sizes; :file:`dashboard/web/dansk.js`). Once per
    tab: the script keeps working while the pages change."""
    st.sidebar.html(f'<script src="{DANISH_PATH}"></script>', unsafe_allow_javascript=True)
