"""Eksport: the secretariat's annual report – charts, report document and figures (role
``exporter``). The work is done by :func:`dashboard.report.bundle.build_report`, in a background
process at low CPU priority, one export at a time, whose progress and files outlive a reload
(:mod:`dashboard.report.job`)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.report.job import read_status, start_export, user_folder
from dashboard.ui import cache
from dashboard.ui.auth import current_user, require_role
from dashboard.ui.eksport import follow_export, report_downloads
from dashboard.ui.widgets import page_setup, run_page
from dashboard.views import format as fmt
from dashboard.views.text import md
from data.periods import Quarter


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
    user = require_role("exporter")
    folder = user_folder(user.email or "ukendt")

    def start() -> None:
        # A callback runs before the page does, so the page already shows the run (and the
        # button disabled) in the same rerun. Roles are read again: a session outlives a change.
        starter = current_user()
        if starter is not None and starter.has("exporter"):
            database = cache.engine().url.render_as_string(hide_password=False)
            start_export(database, f.year, quarter, folder, actor=starter.email or "ukendt")

    status = read_status(folder)
    running = status is not None and status.active
    st.button(
        "Lav årsrapporten", type="primary", key="eksport_start", disabled=running, on_click=start
    )
    if running:
        follow_export(folder)
    elif status is not None and status.state == "error":
        st.error(md(f"{status.title}: {status.message}"), icon=":material/error:")
    elif status is not None and (status.year, status.as_of) == (f.year, f.as_of):
        report_downloads([Path(p) for p in status.paths])
    elif status is not None:
        st.caption(
            f"Din seneste årsrapport gælder {status.year}"
            + (f" pr. {Quarter.parse(status.as_of).label}" if status.as_of else "")
            + ": vælg det år i sidepanelet for at hente den."
        )


run_page(body)
