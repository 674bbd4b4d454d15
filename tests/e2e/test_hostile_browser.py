"""Hostile uploads in real Chromium as the director: a file name with Markdown shows as text
(no image, link or bold, no request to the host it names), and a sparse XFD workbook is
refused in Danish as too large to read while the server keeps serving every session."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from data.demo_loader import DEMO_ACCOUNTS
from tests.dashboard.conftest import build_demo_db
from tests.e2e.conftest import dashboard_server, wait_rendered
from tests.e2e.test_auth_browser import password_login

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "upload"))
from hostile_builders import sparse_xfd

pytestmark = pytest.mark.e2e
DIRECTOR, _, PASSWORD, _ = DEMO_ACCOUNTS[0]
UPLOAD = 'input[type="file"]'
HOST = "127.0.0.1:9"
MARKDOWN_NAME = f"![p](http://{HOST}/x.png) [klik](#) **fed**.csv"
# A courses file with one bad CVR: rejected, quarantined, its name shown on the page.
BROKEN_CSV = (
    "Forløb ID;CVR;Virksomhed;Kommunekode;Kategori;Fagområde;Startdato;Slutdato;"
    "Henvist fra;Henvist til ekstern\n"
    "F1;12345678;Firma;851;Vækstforløb;Innovation;01-10-2023;;;Nej\n"
).encode()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_demo_db(tmp_path_factory.mktemp("hostile") / "demo.db")
    with dashboard_server(db, auth="local") as base:
        yield base


def open_upload_page(page: Page, base: str) -> None:
    page.goto(base + "/")
    password_login(page, DIRECTOR, PASSWORD)
    wait_rendered(page, 120_000)
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_role("link", name="Indlæs data", exact=True).click()
    page.wait_for_timeout(500)
    wait_rendered(page, 120_000)


def upload(page: Page, name: str, content: bytes, mime: str) -> None:
    page.locator(UPLOAD).set_input_files({"name": name, "mimeType": mime, "buffer": content})
    page.wait_for_timeout(800)
    wait_rendered(page, 120_000)


def test_markdown_in_a_file_name_is_shown_as_text(hostile_server: str, page: Page) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_upload_page(page, hostile_server)
    upload(page, MARKDOWN_NAME, BROKEN_CSV, "text/csv")
    expect(page.get_by_text("Filen blev afvist", exact=False)).to_be_visible()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(f"Fil: {MARKDOWN_NAME}", exact=False)).to_be_visible()
    assert main.locator(f"img[src*='{HOST}']").count() == 0
    assert main.locator("a", has_text="klik").count() == 0
    assert main.locator("strong", has_text="fed").count() == 0
    assert main.locator("em", has_text="fed").count() == 0
    page.wait_for_timeout(1000)  # an image would be requested while rendering
    assert not [u for u in requests if HOST in u], requests


def test_sparse_xfd_workbook_is_refused_and_the_server_keeps_serving(
    hostile_server: str, page: Page, browser: Browser
) -> None:
    open_upload_page(page, hostile_server)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    upload(page, "spredt.xlsx", sparse_xfd(lying_dimension=True), xlsx)
    expect(page.get_by_text("Filen blev afvist", exact=False)).to_be_visible()
    said = page.get_by_test_id("stAlertContentWarning")
    expect(said.get_by_text("Filen er for stor til at blive læst", exact=False)).to_be_visible()
    expect(said.get_by_text("1.048.576 rækker", exact=False)).to_be_visible()

    # Another session: its page still loads and the server answers.
    other = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    try:
        second = other.new_page()
        second.goto(hostile_server + "/")
        expect(second.get_by_role("heading", name="Log ind")).to_be_visible(timeout=60_000)
        password_login(second, DEMO_ACCOUNTS[2][0], DEMO_ACCOUNTS[2][2])
        wait_rendered(second, 120_000)
        expect(second.locator("h1").first).to_be_visible()
    finally:
        other.close()
    # And the director's own session goes on: the page reruns without the file.
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Overblik").click()
    page.wait_for_timeout(500)
    wait_rendered(page, 120_000)
