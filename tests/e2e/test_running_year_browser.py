"""The running year in real Chromium: the director uploads courses for the last ended quarter;
the preview and the overview then say "status pr." the end of that quarter, the visitor lands
on that year, and nothing is judged "Ikke opfyldt" before the year is over."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from playwright.sync_api import Page, expect

from dashboard.views.format import as_of_text
from dashboard.views.upload import default_period
from data.db import make_engine
from data.demo_loader import DEMO_ACCOUNTS
from data.export_files import Dialect, export_file
from data.periods import resolve_as_of
from data.store import load_stored_data
from expectations.schema import Kind
from tests.dashboard.conftest import build_demo_db
from tests.e2e.conftest import dashboard_server, screenshot, wait_rendered
from tests.e2e.test_auth_browser import password_login
from tests.e2e.test_director_browser import go, upload

pytestmark = pytest.mark.e2e
DIRECTOR, _, PASSWORD, _ = DEMO_ACCOUNTS[0]


@pytest.fixture(scope="module")
def running_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_demo_db(tmp_path_factory.mktemp("running") / "demo.db")  # this test changes it


@pytest.fixture(scope="module")
def running_server(running_db: str) -> Iterator[str]:
    with dashboard_server(running_db, auth="local") as base:
        yield base


def quarter_file(url: str, folder: Path, today: date) -> Path:
    """The demo's 2023 courses of the same quarter, moved to the last ended quarter."""
    period = default_period(today)
    stored = load_stored_data(make_engine(url), "nordjylland")
    shift = period.year - 2023
    rows = (
        stored.forloeb.filter(
            pl.col("startdato").dt.year() == 2023, pl.col("startdato").dt.quarter() == period.q
        )
        .head(200)
        .with_columns(
            pl.col("startdato").dt.offset_by(f"{shift}y"),
            pl.col("slutdato").dt.offset_by(f"{shift}y"),
            (pl.col("forloeb_id") + f"-{period}").alias("forloeb_id"),
        )
    )
    content, _ = export_file(rows, Kind.FORLOEB, Dialect.EXCEL_DA)
    path = folder / f"forloeb_{period}.csv"
    path.write_bytes(content)
    return path


def test_upload_for_the_running_year_shows_status_as_of_that_quarter(
    running_server: str, running_db: str, page: Page, tmp_path: Path
) -> None:
    today = date.today()
    period = default_period(today)
    expected = as_of_text(resolve_as_of(period.year, today, [period]))
    running = period.year == today.year
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(running_server + "/")
    password_login(page, DIRECTOR, PASSWORD)
    wait_rendered(page, 120_000)

    go(page, "Indlæs data")
    upload(page, quarter_file(running_db, tmp_path, today))
    expect(page.get_by_text("Filen er godkendt", exact=False)).to_be_visible()
    expect(page.get_by_text(f"Status efter indlæsningen: pr. {expected}.")).to_be_visible()
    page.get_by_role("button", name="Gem indlæsningen").click()
    expect(page.get_by_text("Indlæst:", exact=False)).to_be_visible(timeout=60_000)

    page.goto(running_server + "/")  # a fresh load, no "aar" in the link; the login is kept
    expect(page.get_by_text(f"Logget ind som {DIRECTOR}", exact=False)).to_be_visible(
        timeout=60_000
    )
    wait_rendered(page, 120_000)
    expect(page.get_by_text(f"status pr. {expected}", exact=False)).to_be_visible()
    cards = page.locator('[class*="st-key-card_"]')
    expect(cards.first).to_be_visible(timeout=60_000)
    wait_rendered(page, 120_000)
    screenshot(page, "overblik_running_year")
    text = " ".join(cards.all_inner_texts())
    if running:
        assert "Ikke opfyldt" not in text
        expect(page.get_by_role("button", name=f"Se hele {period.year - 1}")).to_be_visible()
        page.get_by_role("button", name=f"Se hele {period.year - 1}").click()
        page.wait_for_timeout(500)
        wait_rendered(page, 120_000)
        expect(
            page.get_by_text(f"status pr. 31. december {period.year - 1}", exact=False)
        ).to_be_visible()
