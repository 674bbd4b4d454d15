"""Eksport: the secretariat's annual report – charts, report document and figures (role
``exporter``). The work is done by :func:`dashboard.report.bundle.build_report`, in a background
process at low CPU priority, one export at a time (:mod:`dashboard.report.job`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from dashboard.ui.auth import require_role
from dashboard.ui.eksport import report_downloads, run_report
from dashboard.ui.widgets import page_setup, run_page
from dashboard.views import format as fmt
from data.periods import Quarter

RESULT_KEY = "eksport.result"


@st.cache_resource
def _export_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="erhvervshus-eksport-"))


def body() -> None:
    require_role("exporter")
    ctx = page_setup("Eksport – årsrapport til KKR")
    f = ctx.filters
    quarter = Quarter.parse(f.as_of) if f.as_of else None
    st.markdown(
        f"Rapporten for **{f.year}** (status pr. {fmt.as_of_text(ctx.as_of)}) med alle diagrammer (PNG, SVG, PDF), "
        "rapporten som PDF og Word, og tallene som Excel og CSV. År og status vælges i "
        "sidepanelet; rapporten dækker altid hele erhvervshuset og alle kommuner."
    )
    if st.button("Lav årsrapporten", type="primary", key="eksport_start"):
        user = require_role("exporter")  # roles are read again: a session outlives a change
        out = Path(tempfile.mkdtemp(dir=_export_dir()))
        paths = run_report(f.year, quarter, out, actor=user.email or "ukendt")
        st.session_state[RESULT_KEY] = (f.year, f.as_of, [str(p) for p in paths])
    result = st.session_state.get(RESULT_KEY)
    if result and result[:2] == (f.year, f.as_of):
        report_downloads([Path(p) for p in result[2]])


run_page(body)
