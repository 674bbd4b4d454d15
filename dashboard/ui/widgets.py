"""Small Streamlit components shared by every page. No raw HTML with data in it.

:func:`run_page` is the one place an unexpected error becomes a Danish message (details go to
the server log); :func:`page_setup` reads the data version, the batches and the shared filters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from dashboard.ui import cache
from dashboard.ui.filters import Filters, sidebar_filters
from dashboard.views import format as fmt
from dashboard.views.text import md
from data.errors import UserFacingError
from data.store import BatchInfo
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
    version: tuple[int, int, int, int]
    batches: list[BatchInfo]
    filters: Filters
    contract: Contract


def page_setup(title: str) -> PageContext:
    """Title, data version, sidebar filters; stops with a Danish message when there is no data."""
    st.title(title)
    version = cache.current_version()
    batches = cache.active_batches(version)
    if not batches:
        st.info(NO_DATA_MESSAGE, icon=":material/upload_file:")
        st.stop()
    filters = sidebar_filters(batches)
    contract = contract_for(filters.year)
    st.caption(f"{contract.title} · {filters.scope_label} · status pr. {as_of_text(filters)}")
    if contract.based_on is not None:
        st.caption(
            f"Der er ingen kontraktfil for {filters.year}; målene fra kontrakten for "
            f"{contract.based_on} er anvendt."
        )
    return PageContext(version, batches, filters, contract)


def as_of_text(filters: Filters) -> str:
    end = cache.data_end(filters.year, filters.as_of)
    label = "hele året" if filters.as_of is None else filters.as_of_label
    return f"{fmt.long_day(end)} ({label})"


def sources_line(batches: Sequence[BatchInfo], year: int | None = None) -> None:
    """Which active batches the figures come from: kind, periods, files, latest upload."""
    st.caption("Datagrundlag: " + sources_text(batches, year) + ".")


def sources_text(batches: Sequence[BatchInfo], year: int | None = None) -> str:
    by_kind: dict[str, list[BatchInfo]] = {}
    for b in batches:
        if year is None or int(b.period[:4]) in (year, year - 1):
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


def chart_source(batches: Sequence[BatchInfo], kinds: Sequence[str]) -> str:
    """The source line of a figure: which exports and when they were last loaded."""
    chosen = [b for b in batches if b.kind in kinds]
    names = ", ".join(KIND_LABELS[Kind(k)] for k in kinds)
    if not chosen:
        return f"Kilde: Erhvervshus Nordjylland ({names})"
    latest = max(b.uploaded_at for b in chosen)
    return f"Kilde: Erhvervshus Nordjylland ({names}), indlæst {fmt.day(latest)}"


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
