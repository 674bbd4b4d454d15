"""The upload page's parts: the check of a file, what storing it would change, the confirmation.

Everything from the file (names, values) is shown as text in tables, never as HTML.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.filters import CONTRACT_YEARS
from dashboard.views import format as fmt
from dashboard.views.text import md
from dashboard.views.upload import (
    default_period,
    file_problems,
    kpi_changes,
    period_choices,
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


def period_select(kind: Kind, today: date) -> str:
    """The period of the upload: the last finished quarter by default; the awareness survey
    is measured in the autumn (Q3 or Q4)."""
    choices = period_choices(today, min(CONTRACT_YEARS))
    if kind is Kind.KENDSKAB:
        choices = [p for p in choices if Quarter.parse(p).q in (3, 4)]
    wanted = str(default_period(today))
    period: str = st.selectbox(
        "Periode",
        choices,
        index=choices.index(wanted) if wanted in choices else 0,
        format_func=lambda p: Quarter.parse(p).label,
        key=f"upload.period.{kind}",
    )
    return period


def danish_uploader() -> None:
    st.html(UPLOADER_DANISH_CSS)
    warm_upload_check()


def warm_upload_check() -> None:
    """Have the file-checking worker (:mod:`data.sandbox`) running, its libraries imported.

    Called on every run of a session that may upload, from the login on: the worker imports
    Polars, fastexcel and Great Expectations (≈ 6 s CPU) while the director is still on the
    way to a file, so the first check costs what every later one does. Cheap when it runs."""
    sandbox.warm_up()


def file_summary(preview: UploadPreview) -> None:
    rows = fmt.count(preview.report.rows_read, "datarække", "datarækker")
    # A file recognised by its checksum (identical or quarantined before) is not read again.
    read_as = f" · læst som {preview.detected_text()}" if preview.encoding else ""
    st.markdown(f"**{KIND_LABELS[preview.kind]}** for **{preview.period}** · {rows}{read_as}")
    st.caption(f"Fil: {md(preview.filename)} · SHA-256 {preview.sha256[:16]}…")


def rejected_report(preview: UploadPreview, quarantined: IngestResult) -> None:
    """Every broken rule with its count, the failing cells, the full list as XLSX."""
    report = preview.report
    st.error(
        f"Filen blev afvist: {fmt.count(report.problem_count, 'problem', 'problemer')} i "
        f"{fmt.count(len(report.rules), 'regel', 'regler')}. Intet er indlæst, og tallene er "
        "uændrede. "
        f"Filen er gemt i karantæne som indlæsning nr. {quarantined.batch_id} med rapporten.",
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
    st.subheader(f"Sådan ændres nøgletallene for {Quarter.parse(preview.period).year}")
    st.caption(f"Status efter indlæsningen: pr. {when}.")
    if changes.is_empty():
        st.caption("Ingen af årets nøgletal eller statusser ændres.")
    else:
        st.dataframe(changes, hide_index=True, width="stretch")


def confirm_button(preview: UploadPreview, content: bytes) -> bool:
    """The director's confirmation; stores the batch and returns True when clicked."""
    if not st.button("Gem indlæsningen", type="primary", key="upload.confirm"):
        return False
    user = require_role("uploader")  # the role is checked again on the server
    result = store_preview(cache.engine(), preview, content=content, user=user.email or "ukendt")
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
