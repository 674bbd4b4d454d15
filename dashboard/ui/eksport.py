"""The Eksport page's run of the report job with its progress, and its download list: the ZIP
first, the documents next, charts and CSV files folded away (Streamlit-facing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard.report.job import run_export
from dashboard.ui import cache
from data.periods import Quarter

MIME = {
    ".zip": "application/zip",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _reader(path: Path) -> Callable[[], bytes]:
    """Read on click only: some 200 files are offered, none is sent before it is asked for."""
    return path.read_bytes


def report_downloads(paths: list[Path]) -> None:
    zip_path = paths[-1]
    st.success(f"Årsrapporten er klar: {len(paths) - 1} filer.", icon=":material/task_alt:")
    st.download_button(
        "Hent alt (ZIP)",
        _reader(zip_path),
        file_name=zip_path.name,
        mime=MIME[".zip"],
        type="primary",
        key="eksport_zip",
        icon=":material/folder_zip:",
    )
    for p in paths[:-1]:
        if p.suffix in MIME and p.parent == zip_path.parent:
            st.download_button(
                f"Hent {p.name}",
                _reader(p),
                file_name=p.name,
                mime=MIME[p.suffix],
                key=f"eksport_{p.name}",
            )
    with st.expander("Diagrammer og CSV-filer enkeltvis"):
        for p in paths[:-1]:
            if p.parent != zip_path.parent:
                st.download_button(
                    f"{p.parent.name}/{p.name}",
                    _reader(p),
                    file_name=p.name,
                    key=f"eksport_{p.parent.name}_{p.name}",
                )


WAITING = (
    "En anden årsrapport er ved at blive lavet. Din starter, så snart den er færdig "
    "(én ad gangen, så dashboardet forbliver hurtigt for alle andre)."
)


def run_report(year: int, as_of: Quarter | None, out: Path, *, actor: str) -> list[Path]:
    """The report job (:mod:`dashboard.report.job`) with a progress bar, and a notice while it
    waits for another export."""
    bar = st.progress(0.0, text="Starter …")
    notice = st.empty()

    def progress(fraction: float, text: str) -> None:
        notice.empty()
        bar.progress(min(fraction, 1.0), text=text)

    return run_export(
        cache.engine().url.render_as_string(hide_password=False),
        year,
        as_of,
        out,
        actor=actor,
        progress=progress,
        waiting=lambda: notice.info(WAITING, icon=":material/hourglass_top:"),
    )
