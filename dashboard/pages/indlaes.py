"""Indlæs data: the director chooses the export and its period, uploads the file, sees the
full check and how the KPIs would move before anything is stored, and confirms (role
``uploader``). A rejected file is kept in quarantine only when the director asks for it."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.ui.auth import require_role
from dashboard.ui.indlaes import (
    DONE_KEY,
    accepted_preview,
    checked_upload,
    confirm_button,
    danish_uploader,
    file_summary,
    quarantine_choice,
    rejected_report,
)
from dashboard.ui.indlaes_valg import expected_columns, period_select, suggested_period
from dashboard.ui.widgets import run_page
from expectations.schema import KIND_LABELS, Kind

FILE_GEN_KEY = "upload.file_generation"  # a new uploader widget after a stored upload


def body() -> None:
    require_role("uploader")
    st.title("Indlæs data")
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(done, icon=":material/check_circle:")
        st.page_link("dashboard/pages/overblik.py", label="Se overblikket", icon=":material/home:")
    today = date.today()
    kind = st.selectbox("Eksport", list(Kind), format_func=KIND_LABELS.get, key="upload.kind")
    period = period_select(kind, today)
    expected_columns(kind)
    generation = st.session_state.setdefault(FILE_GEN_KEY, 0)
    danish_uploader()
    file = st.file_uploader(
        "Fil (CSV eller XLSX)", type=["csv", "xlsx"], key=f"upload.file.{generation}"
    )
    if file is None:
        st.info(
            "Vælg eksport og periode, og træk filen hertil. Filen kontrolleres helt, "
            "før noget gemmes; skifter du periode, kontrolleres den igen.",
            icon=":material/upload_file:",
        )
        return
    content = file.getvalue()
    preview, changes = checked_upload(kind, period, file.name, content)
    file_summary(preview, len(content))
    suggested_period(preview, today)
    if preview.identical:
        assert preview.current is not None
        st.info(
            f"Filen er identisk med den aktive indlæsning nr. {preview.current.id} for "
            f"{preview.period}. Intet er gemt.",
            icon=":material/content_copy:",
        )
    elif not preview.report.ok:
        rejected_report(preview)
        if quarantine_choice(preview, content):
            st.session_state[FILE_GEN_KEY] = generation + 1
            st.rerun()
    else:
        assert changes is not None  # a storable file always has its predicted changes
        accepted_preview(preview, *changes)
        if confirm_button(preview, content):
            st.session_state[FILE_GEN_KEY] = generation + 1
            st.rerun()


run_page(body)
