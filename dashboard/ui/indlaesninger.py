"""The batch history's parts: one batch's details, its original file, restore and withdraw
(each after a confirmation, each checked against the role again and written to the audit log)."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.busy import busy, busy_button
from dashboard.ui.indlaes import kpi_impact
from dashboard.views import format as fmt
from dashboard.views.text import md
from dashboard.views.upload import batch_status, kpi_changes, problem_rows, rule_rows, seen_after
from data.batches import restore_batch, withdraw_batch
from data.db import session_factory
from data.periods import Quarter
from data.preview import problems_workbook, with_batch_change
from data.schema import BatchStatus
from data.store import BatchInfo, active_batches_of, batch_file
from expectations.report import ValidationReport
from expectations.schema import KIND_LABELS, Kind

PENDING_KEY = "batches.pending"  # (action, batch id) awaiting confirmation
FLASH_KEY = "batches.flash"
IMPACT_KEY = "batches.impact"  # (action, batch id, data version), KPI changes, "pr." text  # the outcome of the last action, shown once after the rerun
ACTIONS = {
    "restore": ("Gendan indlæsningen", "Ja, gendan", ":material/restore:"),
    "withdraw": ("Træk indlæsningen tilbage", "Ja, træk tilbage", ":material/remove_circle:"),
}


def batch_label(b: BatchInfo) -> str:
    # No status here: the choice keeps its label while a restore changes the status.
    return f"Nr. {b.id} · {KIND_LABELS[Kind(b.kind)]} {b.period} · {b.filename}"


def batch_details(b: BatchInfo, batches: list[BatchInfo]) -> None:
    st.markdown(
        f"**{KIND_LABELS[Kind(b.kind)]} {b.period}** · {batch_status(b.status)} · "
        f"{fmt.count(b.row_count, 'række', 'rækker')} · indlæst af {md(b.uploaded_by)} {fmt.timestamp(b.uploaded_at)}"
    )
    st.caption(f"Fil: {md(b.filename)} · SHA-256 {b.sha256}")
    stored = batch_file(cache.engine(), b.id)
    if stored is not None:
        st.download_button(
            "Hent den oprindelige fil",
            stored.content,
            file_name=stored.filename,
            icon=":material/download:",
            on_click="ignore",
            key=f"batches.file.{b.id}",
        )
        if b.status == BatchStatus.REJECTED and stored.report_json:
            rejection(ValidationReport.from_dict(json.loads(stored.report_json)), b)
    action = "withdraw" if b.status == BatchStatus.ACTIVE else "restore"
    if b.status == BatchStatus.REJECTED:
        st.caption("En afvist fil kan ikke gendannes; ret filen og indlæs den igen.")
        return
    label, _, icon = ACTIONS[action]
    if st.button(label, icon=icon, key=f"batches.{action}.{b.id}"):
        st.session_state[PENDING_KEY] = (action, b.id)
    if st.session_state.get(PENDING_KEY) == (action, b.id):
        confirmation(action, b, batches)


def rejection(report: ValidationReport, b: BatchInfo) -> None:
    st.error(
        f"Afvist: {fmt.count(report.problem_count, 'problem', 'problemer')} i "
        f"{fmt.count(len(report.rules), 'regel', 'regler')}.",
        icon=":material/block:",
    )
    st.dataframe(rule_rows(report), hide_index=True, width="stretch")
    st.dataframe(problem_rows(report), hide_index=True, width="stretch")
    st.download_button(
        "Hent fejllisten (Excel)",
        problems_workbook(report, b.filename),
        file_name=f"fejlliste_{b.id}.xlsx",
        icon=":material/download:",
        on_click="ignore",
        key=f"batches.problems.{b.id}",
    )


def batch_change(action: str, b: BatchInfo, batches: list[BatchInfo]) -> tuple[pl.DataFrame, str]:
    """How the year's KPIs would move by the restore or withdrawal of ``b``, and the "status
    pr." text after it (as an upload's preview shows it)."""
    current = active_batches_of(batches, b.kind, b.period)
    if action == "restore":
        after = with_batch_change(
            cache.engine(), activate=b.id, deactivate=current.id if current else None
        )
    else:
        after = with_batch_change(cache.engine(), deactivate=b.id)
    year, today = Quarter.parse(b.period).year, date.today()
    before = cache.stored_data(cache.current_version())
    return kpi_changes(before, after, year=year, today=today), seen_after(after, year, today)


def confirmation(action: str, b: BatchInfo, batches: list[BatchInfo]) -> None:
    """What the action will do – also to the KPIs – and the buttons to confirm or cancel it."""
    if action == "withdraw":
        text = (
            f"Indlæsning nr. {b.id} tages ud af tallene for {b.period}, og ingen anden bliver aktiv "
            "i stedet. Den bevares i historikken og kan gendannes."
        )
    else:
        current = active_batches_of(batches, b.kind, b.period)
        instead = f"; den aktive indlæsning nr. {current.id} bliver erstattet" if current else ""
        text = f"Indlæsning nr. {b.id} bliver aktiv igen for {b.period}{instead}."
    st.warning(text + " Alle sider viser straks de ændrede tal.", icon=":material/help:")
    wanted = (action, b.id, cache.current_version())
    kept = st.session_state.get(IMPACT_KEY)
    if kept is None or kept[0] != wanted:  # not computed again on every rerun
        with st.spinner("Beregner, hvordan nøgletallene ændres …", show_time=True):
            kept = (wanted, *batch_change(action, b, batches))
        st.session_state[IMPACT_KEY] = kept
    _, changes, when = kept
    word = "gendannelsen" if action == "restore" else "tilbagetrækningen"
    kpi_impact(Quarter.parse(b.period).year, changes, when, word)
    yes, no = st.columns([1, 1])
    key = f"batches.yes.{action}.{b.id}"
    if busy_button(ACTIONS[action][1], key=key, kind="primary", where=yes):
        user = require_role("uploader")  # the role is checked again on the server
        with (
            busy(key, "Gemmer ændringen …"),
            session_factory(cache.engine()).begin() as session,
        ):
            if action == "restore":
                restore_batch(session, b.id, user.email)
                st.session_state[FLASH_KEY] = f"Indlæsning nr. {b.id} er aktiv igen for {b.period}."
            else:
                withdraw_batch(session, b.id, user.email)
                st.session_state[FLASH_KEY] = f"Indlæsning nr. {b.id} er trukket tilbage."
        st.session_state.pop(PENDING_KEY, None)
        st.rerun()
    if no.button("Fortryd", key=f"batches.no.{action}.{b.id}"):
        st.session_state.pop(PENDING_KEY, None)
        st.rerun()
