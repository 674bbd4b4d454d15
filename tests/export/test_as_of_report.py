"""The report of a year seen as of its third quarter says what the dashboard's overview says for
the same view: the same "status pr." and every goal's headline figure."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest
import streamlit as st
from PIL import Image

from dashboard.report.bundle import build_report
from dashboard.report.figures import ReportChart, size_of
from dashboard.report.static import FORMATS, Step
from data.db import make_engine
from data.periods import Quarter
from tests.dashboard.test_pages import run_app
from tests.demo_db import copy_sqlite_demo
from tests.export.conftest import MADE, YEAR, one


class BlankCharts:
    """:class:`dashboard.report.static.ChartJobs` that writes each chart as a blank image of its
    shape instead of drawing it: the report's text, which this test reads, is the same, and the
    export path is tested with its charts drawn elsewhere (``shared_export``)."""

    def __init__(self, charts: Iterable[ReportChart], out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.charts = list(charts)
        self.progress: Step | None = None
        self._files = {
            c.name: {ext: out_dir / f"{c.name}.{ext}" for ext in FORMATS} for c in self.charts
        }
        for chart in self.charts:
            width, height = size_of(chart)
            files = self._files[chart.name]
            Image.new("RGB", (width // 8, height // 8), "white").save(files["png"])
            files["svg"].write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}"/>')
            files["pdf"].write_bytes(b"%PDF-1.4\n%%EOF\n")

    def png_paths(self) -> dict[str, Path]:
        return {name: files["png"] for name, files in self._files.items()}

    def ready(self, png: Path) -> Path:
        return png

    def finish(self) -> dict[str, dict[str, Path]]:
        return self._files


def _flat(text: str) -> str:
    """Whitespace as one space (the PDF's layout breaks and non-breaking spaces alike)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_the_report_as_of_q3_says_what_the_overview_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = copy_sqlite_demo(tmp_path / "demo.db")
    as_of = Quarter(YEAR, 3)
    paths = build_report(
        make_engine(url),
        YEAR,
        as_of,
        tmp_path / "ud",
        actor="eksport@kkr.dk",
        today=MADE,
        start_charts=BlankCharts,
    )
    pdf = _flat(
        subprocess.run(
            ["pdftotext", "-layout", str(one(paths, ".pdf")), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )
    monkeypatch.setenv("ERHVERVSHUS_AUTH", "demo")
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = run_app(url, monkeypatch, aar=str(YEAR), pr=str(as_of))
        status_line = next(c.value for c in at.caption if "status pr." in c.value)
        headlines = [m.value for m in at.metric]
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    seen = _flat(status_line.split("status pr. ", 1)[1])
    assert seen.startswith("30. september 2022 (3. kvartal 2022")
    assert f"Status pr. {seen}" in pdf
    assert len(headlines) >= 11  # one card per goal
    # The report's summary table prints a count of municipalities as the number alone ("11";
    # its target column says "alle (11)"); the card says "11 kommuner".
    missing = [h for h in headlines if _flat(h).removesuffix(" kommuner") not in pdf]
    assert missing == []
