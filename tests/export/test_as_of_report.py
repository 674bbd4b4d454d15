"""The report of a year seen as of its third quarter says what the dashboard's overview says for
the same view: the same "status pr." and every goal's headline figure."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import streamlit as st

from dashboard.report.bundle import build_report
from data.db import make_engine
from data.periods import Quarter
from tests.dashboard.test_pages import run_app
from tests.demo_db import copy_sqlite_demo
from tests.export.conftest import MADE, YEAR, one


def _flat(text: str) -> str:
    """Whitespace as one space (the PDF's layout breaks and non-breaking spaces alike)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_the_report_as_of_q3_says_what_the_overview_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = copy_sqlite_demo(tmp_path / "demo.db")
    as_of = Quarter(YEAR, 3)
    paths = build_report(
        make_engine(url), YEAR, as_of, tmp_path / "ud", actor="eksport@kkr.dk", today=MADE
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
