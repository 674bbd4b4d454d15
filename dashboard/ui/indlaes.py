"""The upload page's parts: the check of a file, what storing it would change, the confirmation.

Everything from the file (names, values) is shown as text in tables, never as HTML.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.busy import busy, busy_button
from dashboard.views import format as fmt
from dashboard.views.text import md
from dashboard.views.upload import (
    file_problems,
    kpi_changes,
    problem_rows,
    rule_rows,
    seen_after,
)
from data import sandbox
from data.batches import sha256
from data.ingest import IngestResult, Outcome, store_preview
from data.periods import Quarter
from data.preview import UploadPreview, preview_upload, problems_workbook, with_candidate
from expectations.schema import KIND_LABELS, Kind
from metrics.contract import contract_for

CHECKED_KEY = "upload.checked"  # (what was checked, preview, KPI changes): not redone per rerun
DONE_KEY = "upload.done"  # the outcome of the last stored upload, shown once after the rerun
CONFIRM_KEY = "upload.confirm"
QUARANTINE_KEY = "upload.quarantine"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Streamlit's file uploader has English button and hint texts and no option to change them;
# this fixed style sheet (no data in it) shows Danish texts instead.
UPLOADER_DANISH_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {font-size: 0}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "Vælg fil"; font-size: 0.875rem}
[data-testid="stFileUploaderDropzoneInstructions"] span {font-size: 0}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "Træk filen hertil · højst 25 MB · CSV eller XLSX"; font-size: 0.875rem}
[data-testid="stFileChipName"] ~ * {display: none}
</style>"""


def checked_upload(
    kind: Kind, period: str, name: str, content: bytes
) -> tuple[UploadPreview, tuple[pl.DataFrame, str] | None]:
    """The check of a file and the KPI changes it would bring (with the "status pr." text), kept for the page's reruns
    until the file, the choices or the stored data change."""
    key = (kind, period, name, sha256(content), cache.current_version())
    kept = st.session_state.get(CHECKED_KEY)
    if kept is not None and kept[0] == key:
        return kept[1], kept[2]
    ids = frozenset(
        a.id for g in contract_for(Quarter.parse(period).year).goals for a in g.activities
    )
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


def danish_uploader() -> None:
    st.html(UPLOADER_DANISH_CSS)
    warm_upload_check()


def warm_upload_check() -> None:
    """Have the file-checking worker (:mod:`data.sandbox`) running, its libraries imported.

    Called on every run of a session that may upload, from the login on: the worker imports
    Polars, fastexcel and Great Expectations (≈ 6 s CPU) while the director is still on the
    way to a file, so the first check costs what every later one does. Cheap when it runs."""
    sandbox.warm_up()


def file_summary(preview: UploadPreview, size: int) -> None:
    """What was checked: export, period, rows, how it was read; the file's name, size (in
    Danish: the uploader's own size text is hidden) and checksum."""
    rows = fmt.count(preview.report.rows_read, "datarække", "datarækker")
    # A file recognised by its checksum (identical or quarantined before) is not read again.
    read_as = f" · læst som {preview.detected_text()}" if preview.encoding else ""
    period = Quarter.parse(preview.period).label
    st.markdown(f"**{KIND_LABELS[preview.kind]}** for **{period}** · {rows}{read_as}")
    st.caption(
        f"Fil: {md(preview.filename)} · {fmt.number(size / 1000, 1)} kB · "
        f"SHA-256 {preview.sha256[:16]}…"
    )


def rejected_report(preview: UploadPreview) -> None:
    """Every broken rule with its count, the failing cells, the full list as XLSX."""
    report = preview.report
    st.error(
        f"Filen blev afvist: {fmt.count(report.problem_count, 'problem', 'problemer')} i "
        f"{fmt.count(len(report.rules), 'regel', 'regler')}. Intet er indlæst, og tallene er "
        "uændrede.",
        icon=":material/block:",
    )
    for problem in file_problems(report):  # the whole file: said in words, not only in a table
        st.warning(md(problem), icon=":material/description:")
    st.subheader("Brudte regler")
    st.dataframe(rule_rows(report), hide_index=True, width="stretch")
    st.subheader("Problemer")
    shown = problem_rows(report)
    if report.problem_count > shown.height:
        st.caption(
            f"De første {fmt.number(shown.height)} af {fmt.number(report.problem_count)} "
            "problemer; hent hele listen som Excel-fil."
        )
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        "Hent fejllisten (Excel)",
        problems_workbook(report, preview.filename),
        file_name=f"fejlliste_{preview.kind}_{preview.period}.xlsx",
        mime=XLSX,
        icon=":material/download:",
        on_click="ignore",
        key="upload.problems",
    )


def predicted_changes(preview: UploadPreview) -> tuple[pl.DataFrame, str]:
    """How the year's KPIs would move if the (accepted) file were stored, and the "status
    pr." text of the year after the upload."""
    current = cache.stored_data(cache.current_version())
    candidate = with_candidate(cache.engine(), preview)
    year, today = Quarter.parse(preview.period).year, date.today()
    changes = kpi_changes(current, candidate, year=year, today=today)
    return changes, seen_after(candidate, year, today)


def accepted_preview(preview: UploadPreview, changes: pl.DataFrame, when: str) -> None:
    """What storing the file would change: new or replacing which batch, rows, the KPIs."""
    rows = fmt.count(preview.report.rows_read, "række", "rækker")
    st.success(f"Filen er godkendt: {rows}, ingen problemer.", icon=":material/check:")
    current = preview.current
    if current is None:
        st.markdown(f"Gemmes som **ny indlæsning** for {preview.period}.")
    else:
        st.markdown(
            f"**Erstatter indlæsning nr. {current.id}** ({md(current.filename)}, "
            f"{fmt.count(current.row_count, 'række', 'rækker')}, indlæst af {md(current.uploaded_by)} "
            f"{fmt.timestamp(current.uploaded_at)}). Den gamle indlæsning bevares i historikken "
            "og kan gendannes."
        )
    kpi_impact(Quarter.parse(preview.period).year, changes, when, "indlæsningen")


def kpi_impact(year: int, changes: pl.DataFrame, when: str, action: str) -> None:
    """'Sådan ændres nøgletallene for 2023': the year's KPIs and statusses that would move,
    shown before an upload, a restore or a withdrawal is confirmed."""
    st.subheader(f"Sådan ændres nøgletallene for {year}")
    st.caption(f"Status efter {action}: pr. {when}.")
    if changes.is_empty():
        st.caption("Ingen af årets nøgletal eller statusser ændres.")
    else:
        st.dataframe(changes, hide_index=True, width="stretch")


def quarantine_choice(preview: UploadPreview, content: bytes) -> bool:
    """Keep a rejected file with its report in the history (quarantine) – only when the
    director asks for it, so a check for a wrongly chosen period leaves no trace. Returns True
    when it was stored now."""
    if preview.rejected_before is not None:
        st.caption(
            f"Den samme fil ligger allerede i karantæne som indlæsning nr. "
            f"{preview.rejected_before} for {preview.period}."
        )
        return False
    st.caption(
        "Ret filen og træk den hertil igen, eller vælg en anden periode. Intet gemmes, før du "
        "beder om det: vil du have den afviste fil og rapporten i historikken (Indlæsninger), "
        "så gem den i karantæne."
    )
    if not busy_button("Gem i karantæne", key=QUARANTINE_KEY, icon=":material/inventory_2:"):
        return False
    user = require_role("uploader")  # the role is checked again on the server
    with busy(QUARANTINE_KEY, "Gemmer filen i karantæne …"):
        result = store_preview(
            cache.engine(), preview, content=content, user=user.email or "ukendt"
        )
    st.session_state[DONE_KEY] = (
        f"Den afviste fil er gemt i karantæne som indlæsning nr. {result.batch_id} "
        f"({KIND_LABELS[preview.kind]} {preview.period}) med rapporten. Tallene er uændrede."
    )
    return True


def confirm_button(preview: UploadPreview, content: bytes) -> bool:
    """The director's confirmation; stores the batch and returns True when clicked."""
    if not busy_button("Gem indlæsningen", key=CONFIRM_KEY, kind="primary"):
        return False
    user = require_role("uploader")  # the role is checked again on the server
    with busy(CONFIRM_KEY, "Gemmer indlæsningen og beregner nøgletallene …"):
        result = store_preview(
            cache.engine(), preview, content=content, user=user.email or "ukendt"
        )
    st.session_state[DONE_KEY] = outcome_text(preview, result)
    return True


def outcome_text(preview: UploadPreview, result: IngestResult) -> str:
    what = f"{KIND_LABELS[preview.kind]} {preview.period}"
    if result.outcome is Outcome.UNCHANGED:
        return (
            f"Filen er identisk med den aktive indlæsning nr. {result.batch_id}; intet er ændret."
        )
    replaced = (
        f" Den erstatter indlæsning nr. {result.replaced_batch_id}."
        if result.replaced_batch_id
        else ""
    )
    return (
        f"Indlæst: {fmt.count(result.rows, 'række', 'rækker')} som indlæsning nr. {result.batch_id} "
        f"({what}).{replaced} Alle sider viser nu de nye tal."
    )
