"""The export page in real Chromium: an exporter makes the year's report and downloads the ZIP.

The navigation (with login) is another page's business; this test runs the export page alone
through a tiny wrapper app with an exporter already in the session (the role itself is read
from the database, as in production).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from data.db import make_engine, session_factory
from data.sessions import start_session
from data.users import add_user
from tests.e2e.conftest import ROOT, _free_port, _wait_for
from tests.e2e.steps import download

pytestmark = pytest.mark.e2e

EXPORTER = "eksport@kkr.dk"
WRAPPER = """
import streamlit as st
from dashboard.ui.auth import SESSION_KEY, CurrentUser

st.session_state[SESSION_KEY] = CurrentUser(
    {email!r}, None, frozenset({{"exporter"}}), "local", {session_id!r}
)
st.navigation([st.Page({page!r})]).run()
"""


@pytest.fixture(scope="module")
def export_server(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = make_engine(demo_db)
    with session_factory(engine).begin() as session:
        add_user(session, EXPORTER, {"exporter"}, actor="test")
    session_id, _ = start_session(engine, EXPORTER)
    engine.dispose()
    app = tmp_path_factory.mktemp("eksport_app") / "app.py"
    page = ROOT / "dashboard" / "pages" / "eksport.py"
    app.write_text(
        WRAPPER.format(email=EXPORTER, page=str(page), session_id=session_id), encoding="utf-8"
    )
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": demo_db,
        "ERHVERVSHUS_AUTH": "demo",
        "PYTHONPATH": str(ROOT),
        "ERHVERVSHUS_EXPORT_DIR": str(tmp_path_factory.mktemp("eksport_filer")),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_exporter_downloads_the_zip_of_the_year(
    export_server: str, page: Page, tmp_path: Path
) -> None:
    page.goto(f"{export_server}/?aar=2022")
    expect(page.get_by_role("heading", name="Eksport – årsrapport til KKR")).to_be_visible(
        timeout=60_000
    )
    start = page.get_by_role("button", name="Lav årsrapporten")
    start.click()
    # While it runs the button cannot be pressed again, and a reload keeps the run and its files.
    expect(page.get_by_text("eksporten fortsætter", exact=False)).to_be_visible(timeout=60_000)
    expect(start).to_be_disabled()
    page.reload()
    expect(page.get_by_role("heading", name="Eksport – årsrapport til KKR")).to_be_visible(
        timeout=60_000
    )
    zip_button = page.get_by_role("button", name="Hent alt (ZIP)")
    expect(zip_button).to_be_visible(timeout=300_000)
    body = page.inner_text("body")
    assert "Traceback" not in body and "Beklager" not in body
    got = download(page, "Hent alt (ZIP)", timeout=180_000)  # a loaded machine: 19 MB
    assert got.suggested_filename == "resultatopfoelgning_2022.zip"
    target = tmp_path / got.suggested_filename
    got.save_as(target)
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
        assert zf.read("resultatopfoelgning_2022.pdf")[:5] == b"%PDF-"
    assert {f"resultatopfoelgning_2022.{ext}" for ext in ("docx", "xlsx", "pptx")} <= names
    deck = page.get_by_role("button", name="Hent resultatopfoelgning_2022.pptx")
    expect(deck).to_be_visible()
    assert "csv/noegletal_2022.csv" in names
    assert "diagrammer/maal03_m3_nps_segment.png" in names
