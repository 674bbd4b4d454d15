"""The Eksport page's view of the report job's progress, and its download list: the ZIP first,
the documents next, charts and CSV files folded away (Streamlit-facing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard.report.job import read_status

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
        on_click="ignore",
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
                on_click="ignore",
                key=f"eksport_{p.name}",
            )
    with st.expander("Diagrammer og CSV-filer enkeltvis"):
        for p in paths[:-1]:
            if p.parent != zip_path.parent:
                st.download_button(
                    f"{p.parent.name}/{p.name}",
                    _reader(p),
                    file_name=p.name,
                    on_click="ignore",
                    key=f"eksport_{p.parent.name}_{p.name}",
                )


WAITING = (
    "En anden årsrapport er ved at blive lavet. Din starter, så snart den er færdig "
    "(én ad gangen, så dashboardet forbliver hurtigt for alle andre)."
)


def follow_export(folder: Path) -> None:
    """The running job's progress, read from its status file every second; when it is done the
    whole page runs again and shows the files. A reload or a second tab follows the same job."""

    @st.fragment(run_every=1.0)
    def progress() -> None:
        status = read_status(folder)
        if status is None or not status.active:
            st.rerun(scope="app")
            return
        if status.state == "waiting":
            st.info(WAITING, icon=":material/hourglass_top:")
        else:
            st.progress(min(status.fraction, 1.0), text=status.text or "Starter …")
        st.caption(
            "Du kan lukke eller genindlæse siden: eksporten fortsætter, og filerne venter her."
        )

    progress()
