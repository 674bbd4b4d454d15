"""Kommentarer: the director's short narrative per goal and year (shown on the goal page and in
the annual report), and Mål 6's control-group figures (role ``uploader``)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.filters import goal_select, year_filter
from dashboard.ui.records import comment_form, control_group_form, flash
from dashboard.ui.widgets import run_page
from dashboard.views import format as fmt
from metrics.contract import KpiKind, contract_for


def body() -> None:
    require_role("uploader")
    st.title("Kommentarer og effektmåling")
    version = cache.current_version()
    year = year_filter(cache.active_batches(version), cache.quarters_with_data(version))
    contract = contract_for(year)
    flash()
    numbers = [g.number for g in contract.goals]
    number = goal_select(numbers, lambda n: contract.goal(n).title)
    comments = cache.comments(version, year)
    comment_form(year, contract.goal(number), comments.get(number))
    st.subheader(f"Kommentarer for {year}")
    rows = [
        {
            "Mål": contract.goal(n).title,
            "Kommentar": c.text,
            "Skrevet af": c.author,
            "Tidspunkt": fmt.timestamp(c.created_at),
        }
        for n, c in sorted(comments.items())
    ]
    if rows:
        st.dataframe(pl.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption(f"Der er ingen kommentarer for {year} endnu.")
    if any(k.kind is KpiKind.CONTROL_GROUP for k in contract.kpis):
        st.header("Mål 6 – effekt målt mod kontrolgruppe")
        control_group_form(year, cache.stored_data(version).control_group)


run_page(body)
