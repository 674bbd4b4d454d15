"""Indlæs data: the director uploads an export, sees the full check and how the KPIs would
move before anything is stored, and confirms (role ``uploader``)."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard import cache
from dashboard.auth import require_role
from dashboard.components import run_page
from dashboard.components_upload import (
    DONE_KEY,
    accepted_preview,
    confirm_button,
    danish_uploader,
    file_summary,
    predicted_changes,
    rejected_report,
)
from dashboard.filters import CONTRACT_YEARS
from dashboard.upload_views import default_period, period_choices
from data.ingest import store_preview
from data.periods import Quarter
from data.preview import UploadPreview, preview_upload
from expectations.schema import KIND_LABELS, Kind
from metrics.contract import contract_for

CHECKED_KEY = "upload.checked"  # (what was checked, preview, KPI changes): not redone per rerun
FILE_GEN_KEY = "upload.file_generation"  # a new uploader widget after a stored upload


def _checked(
    kind: Kind, period: str, name: str, content: bytes
) -> tuple[UploadPreview, pl.DataFrame | None]:
    key = (kind, period, name, hash(content), cache.current_version())
    kept = st.session_state.get(CHECKED_KEY)
    if kept is not None and kept[0] == key:
        return kept[1], kept[2]
    year = int(period[:4])
    ids = frozenset(a.id for g in contract_for(year).goals for a in g.activities)
    with st.spinner("Kontrollerer filen …"):
        preview = preview_upload(
            cache.engine(),
            kind=kind,
            content=content,
            filename=name,
            period=period,
            activity_ids=ids if kind is Kind.INDSATSER else None,
        )
        changes = predicted_changes(preview) if preview.storable else None
    st.session_state[CHECKED_KEY] = (key, preview, changes)
    return preview, changes


def body() -> None:
    user = require_role("uploader")
    st.title("Indlæs data")
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(done, icon=":material/check_circle:")
        st.page_link("app_pages/overblik.py", label="Se overblikket", icon=":material/home:")
    today = date.today()
    kind = st.selectbox("Eksport", list(Kind), format_func=KIND_LABELS.get, key="upload.kind")
    choices = period_choices(today, min(CONTRACT_YEARS))
    if kind is Kind.KENDSKAB:  # measured in the autumn
        choices = [p for p in choices if Quarter.parse(p).q in (3, 4)]
    wanted = str(default_period(today))
    period = st.selectbox(
        "Periode",
        choices,
        index=choices.index(wanted) if wanted in choices else 0,
        format_func=lambda p: Quarter.parse(p).label,
        key=f"upload.period.{kind}",
    )
    generation = st.session_state.setdefault(FILE_GEN_KEY, 0)
    danish_uploader()
    file = st.file_uploader(
        "Fil (CSV eller XLSX)", type=["csv", "xlsx"], key=f"upload.file.{generation}"
    )
    if file is None:
        st.info(
            "Vælg eksport og periode, og træk filen hertil. Filen kontrolleres helt, "
            "før noget gemmes.",
            icon=":material/upload_file:",
        )
        return
    content = file.getvalue()
    preview, changes = _checked(kind, period, file.name, content)
    file_summary(preview)
    if preview.identical:
        assert preview.current is not None
        st.info(
            f"Filen er identisk med den aktive indlæsning nr. {preview.current.id} for "
            f"{preview.period}. Intet er gemt.",
            icon=":material/content_copy:",
        )
    elif not preview.report.ok:
        quarantined = store_preview(cache.engine(), preview, content=content, user=user.email)
        rejected_report(preview, quarantined)
    else:
        accepted_preview(preview, changes)
        if confirm_button(preview, content):
            st.session_state[FILE_GEN_KEY] = generation + 1
            st.session_state.pop(CHECKED_KEY, None)
            st.rerun()


run_page(body)
