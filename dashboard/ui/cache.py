"""The one place the dashboard collects KPI results, cached on the data version.

A new upload changes :func:`data.store.data_version`, so the next rerun computes afresh;
nothing stale is shown.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st
from sqlalchemy import Engine

from dashboard.views import figures, overview
from dashboard.views.figures import KpiFigure, KpiViewData
from dashboard.views.kpi import house_cells
from dashboard.views.overview import Overview
from data.db import make_engine
from data.periods import AsOf, Quarter, resolve_as_of
from data.reference import DEFAULT_ERHVERVSHUS, erhvervshus
from data.store import (
    BatchInfo,
    DataVersion,
    GoalCommentView,
    StoredData,
    data_version,
    latest_comments,
    list_batches,
    load_stored_data,
)
from expectations.schema import FAGOMRAADER
from metrics.breakdowns import activity_checklist, theme_distribution
from metrics.contract import Kpi, contract_for
from metrics.service import data_quarters, kpi_cells

Version = DataVersion
# Everything a KPI's figures are drawn from: data version, year, as-of quarter as chosen,
# municipality, KPI id and today's date (a running year's projections move with it).
FigureKey = tuple[Version, int, str | None, int | None, str, date]


@st.cache_resource
def engine() -> Engine:
    return make_engine()


def current_version() -> Version:
    return data_version(engine())


@st.cache_resource(max_entries=2)
def stored_data(version: Version) -> StoredData:
    """Rows of the active batches (read-only; shared, not copied)."""
    return load_stored_data(engine(), DEFAULT_ERHVERVSHUS)


def cells_for(version: Version, years: tuple[int, ...], as_of: str | None) -> pl.DataFrame:
    """The cells of ``years`` as seen today (``as_of``: an ended quarter chosen in the view)."""
    return _cells(version, years, as_of, date.today())


@st.cache_data(max_entries=64, show_spinner="Beregner nøgletal …")
def _cells(
    version: Version, years: tuple[int, ...], as_of: str | None, today: date
) -> pl.DataFrame:
    quarter = Quarter.parse(as_of) if as_of else None
    house = erhvervshus(DEFAULT_ERHVERVSHUS)
    return kpi_cells(stored_data(version), house, years=years, as_of=quarter, today=today)


def seen_as_of(version: Version, year: int, as_of: str | None) -> AsOf:
    """How the view sees ``year`` today (:func:`data.periods.resolve_as_of`)."""
    requested = Quarter.parse(as_of) if as_of else None
    return resolve_as_of(year, date.today(), quarters_with_data(version), requested)


@st.cache_data(max_entries=8)
def quarters_with_data(version: Version) -> frozenset[Quarter]:
    return data_quarters(stored_data(version))


def data_end(version: Version, year: int, as_of: str | None) -> date:
    """The last day whose data count for the view (end of the as-of quarter; for a running
    year without an ended quarter with data, the end of its Q1, as the engine computes)."""
    return seen_as_of(version, year, as_of).engine_quarter.end


@st.cache_data(max_entries=16, show_spinner="Beregner kvartalsudviklingen …")
def quarter_cells(version: Version, year: int, last_quarter: int) -> pl.DataFrame:
    """The year's cells as the dashboard showed them at the end of each quarter 1..last
    (none when no quarter of a running year has ended with data)."""
    if last_quarter == 0:
        empty = cells_for(version, (year,), None).clear()
        return empty.with_columns(pl.lit(0).alias("quarter"))
    frames = [
        cells_for(version, (year - 1, year), str(Quarter(year, q)))
        .filter(pl.col("year") == year)
        .with_columns(pl.lit(q).alias("quarter"))
        for q in range(1, last_quarter + 1)
    ]
    return pl.concat(frames)


@st.cache_data(max_entries=32)
def themes(version: Version, year: int, as_of: str | None, kommune: int | None) -> pl.DataFrame:
    return theme_distribution(
        stored_data(version).forloeb.lazy(),
        year=year,
        data_end=data_end(version, year, as_of),
        themes=FAGOMRAADER,
        kommune=kommune,
    ).collect()


@st.cache_data(max_entries=32)
def activities(version: Version, year: int, as_of: str | None) -> pl.DataFrame:
    return activity_checklist(
        stored_data(version).activities.lazy(), year=year, data_end=data_end(version, year, as_of)
    ).collect()


@st.cache_data(max_entries=16)
def comments(version: Version, year: int) -> dict[int, GoalCommentView]:
    return latest_comments(engine(), DEFAULT_ERHVERVSHUS, year)


@st.cache_data(max_entries=8)
def active_batches(version: Version) -> list[BatchInfo]:
    return list_batches(engine(), DEFAULT_ERHVERVSHUS, active_only=True)


@st.cache_resource(max_entries=240, show_spinner=False)
def kpi_figures(key: FigureKey, _kpi: Kpi, _data: KpiViewData) -> list[KpiFigure]:
    """A KPI's finished figures, built once and shared by every session that views the same
    data with the same filters (``key``; ``_kpi`` and ``_data`` are what the key stands for).
    A new upload changes the data version in the key, in every server process. The figures are
    never changed after they are built (drawing one copies it)."""
    return figures.kpi_figures(_kpi, _data)


@st.cache_resource(max_entries=64, show_spinner=False)
def overview_of(
    version: Version,
    years: tuple[int, ...],
    year: int,
    as_of: str | None,
    kommune: int | None,
    today: date,
) -> Overview:
    """The overview of a view (the contract ``year`` with its earlier ``years``, seen as of
    ``as_of``, for the house or a ``kommune``), worked out once and shared by every session
    that views the same data with the same filters on the same day. A new upload changes the
    data version in the key, in every server process. Never changed after it is built."""
    history = _cells(version, years, None, today)
    now = _cells(version, years, as_of, today) if as_of else history
    return overview.overview(
        contract_for(year),
        house_cells(now, year=year, kommune=kommune),
        house_cells(history, year=None, kommune=kommune),
        kommune,
        [y for y in years if y < year],
    )
