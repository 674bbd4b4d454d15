"""The phone layout: the style sheet, and tables that become lists on a narrow screen.

Streamlit knows nothing of the screen's width, so a table is sent twice: an ``st.dataframe``
in a container keyed ``wide_…`` and a Markdown list in one keyed ``narrow_…``; the style sheet
(:file:`dashboard/web/phone.css`) shows one of them by a CSS media query. The grid draws on a
canvas and never wraps a cell, so at 390 px it shows two columns and hides result and status
behind sideways scrolling; the list wraps and shows KPI, result and status first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import polars as pl
import streamlit as st

from dashboard.views.lists import (
    kpi_column_order,
    kpi_list,
    year_columns,
    years_column_order,
    years_list,
)

STYLE = Path(__file__).resolve().parents[1] / "web" / "phone.css"
YEAR_WIDTH = 160  # px: four years, the KPI and the goal fit the 1400 px layout


def phone_style() -> None:
    """The style sheet of the phone layout (sent as a style tag; it takes no space)."""
    st.html(STYLE)


def filter_hint() -> None:
    """On a narrow screen, where Streamlit folds the sidebar away behind an unlabelled "»":
    where the filters are. The caption under it says which year, scope and status are shown."""
    with st.container(key="filter_hint"):
        st.markdown(
            ":blue[:material/filter_alt: **Filtre** (år, kvartal, kommune): "
            "tryk på **»** øverst til venstre.]"
        )


def _table_view(
    grid: pl.DataFrame | pd.DataFrame,
    blocks: Sequence[str],
    *,
    key: str,
    height: int | None,
    order: list[str],
    config: dict[str, object],
) -> None:
    """The grid in the ``wide_`` container, its list blocks in the ``narrow_`` one."""
    with st.container(key=f"wide_{key}"):
        st.dataframe(
            grid,
            hide_index=True,
            width="stretch",
            height=height if height is not None else "auto",
            column_order=order,
            column_config=config,
        )
    with st.container(key=f"narrow_{key}"):
        for block in blocks:
            st.markdown(block)


def kpi_table_view(
    table: pl.DataFrame,
    *,
    key: str,
    height: int | None = None,
    blocks: Sequence[str] | None = None,
    grid: pd.DataFrame | None = None,
) -> None:
    """A :func:`kpi_table`: KPI, result and status first; a list on a phone. ``blocks`` (the
    table's :func:`kpi_list`) and ``grid`` (the table as pandas, which the grid is sent as):
    when already made, shared by the sessions."""
    _table_view(
        table if grid is None else grid,
        kpi_list(table) if blocks is None else blocks,
        key=key,
        height=height,
        order=kpi_column_order(table.columns),
        config={
            "Mål": st.column_config.TextColumn(width=60),
            "Nøgletal": st.column_config.TextColumn(width=300),
        },
    )


def years_table_view(table: pl.DataFrame, *, key: str, height: int | None = None) -> None:
    """A :func:`years_table`: the newest year first, every year in view at 1400 px; a list on
    a phone."""
    _table_view(
        table,
        years_list(table),
        key=key,
        height=height,
        order=years_column_order(table.columns),
        config={
            "Mål": st.column_config.TextColumn(width=60),
            "Nøgletal": st.column_config.TextColumn(width=230),
            **{
                y: st.column_config.TextColumn(width=YEAR_WIDTH)
                for y in year_columns(table.columns)
            },
        },
    )


def kommune_table_view(table: pl.DataFrame) -> None:
    """The municipalities side by side: the name stays in view while the figures scroll."""
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=36 * (table.height + 1) + 4,
        column_config={"Kommune": st.column_config.TextColumn(pinned=True)},
    )
