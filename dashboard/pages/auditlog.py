"""Log (administrator): logins, failed logins, uploads, restores, exports and user changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import polars as pl
import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.widgets import run_page
from dashboard.views import format as fmt
from dashboard.views.audit import ACTION_LABELS
from dashboard.views.safe_export import csv_bytes
from data.audit import audit_actions, list_audit


def body() -> None:
    require_role("admin")
    st.title("Log over handlinger")
    engine = cache.engine()
    known = audit_actions(engine)
    left, mid, right = st.columns([2, 2, 2])
    chosen = left.multiselect(
        "Handling",
        known,
        format_func=lambda a: ACTION_LABELS.get(a, a),
        key="audit.actions",
        placeholder="Alle handlinger",
    )
    actor = mid.text_input("Bruger indeholder", key="audit.actor")
    today = datetime.now(UTC).date()
    period = right.date_input(
        "Periode", (today - timedelta(days=90), today), format="DD-MM-YYYY", key="audit.period"
    )
    since = until = None
    if isinstance(period, tuple) and len(period) == 2:
        since = datetime.combine(period[0], time.min, tzinfo=fmt.DANISH_TIME)
        until = datetime.combine(period[1] + timedelta(days=1), time.min, tzinfo=fmt.DANISH_TIME)
    log = list_audit(engine, actions=chosen, actor=actor or None, since=since, until=until)
    shown = log.select(
        pl.col("at").map_elements(fmt.timestamp, return_dtype=pl.String).alias("Tidspunkt"),
        pl.col("actor").alias("Bruger"),
        pl.col("action").replace_strict(ACTION_LABELS, default=pl.col("action")).alias("Handling"),
        pl.col("target").fill_null("").alias("Objekt"),
        pl.col("details").fill_null("").alias("Detaljer"),
    )
    st.caption(f"{fmt.number(shown.height)} hændelser (nyeste først).")
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        "Hent loggen som CSV",
        csv_bytes(shown),
        file_name="log.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="audit.download",
    )


run_page(body)
