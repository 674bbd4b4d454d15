"""Steps the browser tests share: open a page from the menu, pick a dropdown option, upload a
file, press a download button, read Mål 11's headline, and the demo's 2023Q4 replacement files."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
from playwright.sync_api import Download, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from dashboard.views import format as fmt
from data.db import make_engine
from data.export_files import Dialect, export_file
from data.reference import erhvervshus
from data.store import load_stored_data
from expectations.schema import Kind
from metrics.service import kpi_cells
from tests.e2e.conftest import wait_rendered

YEAR = 2023  # the latest year with demo data: every page opens on it
UPLOAD = 'input[type="file"]'
BROKEN_NAME = "<img src=x onerror=alert(1)>.csv"  # a file name is shown as text, never HTML


def unique_companies(url: str) -> str:
    """Mål 11's headline as the engine computes it from the database now."""
    house = erhvervshus()
    stored = load_stored_data(make_engine(url), house.key)
    cells = kpi_cells(stored, house, years=[YEAR])
    row = cells.filter(
        pl.col("kpi") == "m11_unikke_virksomheder",
        pl.col("kommune").is_null(),
        pl.col("segment").is_null(),
    ).row(0, named=True)
    return fmt.number(row["value"])


def q4_files(url: str, folder: Path) -> tuple[Path, Path]:
    """A replacement for the demo's 2023Q4 courses (its first 100 rows) and a broken copy."""
    stored = load_stored_data(make_engine(url), "nordjylland")
    rows = stored.forloeb.filter(pl.col("startdato") >= date(YEAR, 10, 1)).head(100)
    good, _ = export_file(rows, Kind.FORLOEB, Dialect.EXCEL_DA)
    broken_rows = rows.with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("12345678")).otherwise("cvr").alias("cvr")
    )
    broken, _ = export_file(broken_rows, Kind.FORLOEB, Dialect.EXCEL_DA)
    (folder / "forloeb_q4.csv").write_bytes(good)
    (folder / BROKEN_NAME).write_bytes(broken)
    return folder / "forloeb_q4.csv", folder / BROKEN_NAME


def go(page: Page, title: str) -> None:
    """Open a page from the menu, as a person would."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
    page.wait_for_timeout(500)
    wait_rendered(page, 120_000)


def choose(
    page: Page, label: str, option: str, within: object = None, *, exact: bool = True
) -> None:
    """Pick an option by typing it, as a keyboard user would.

    A rerun that lands while the list is open (the page's own, or a re-rendered expander) closes
    the list; then the list is opened again, up to three times, instead of failing on a
    detached or vanished option.
    """
    scope = within if within is not None else page
    box = scope.get_by_test_id("stSelectbox").filter(has_text=label)  # type: ignore[attr-defined]
    target = page.get_by_role("option", name=option, exact=exact).first
    for attempt in range(3):
        wait_rendered(page, 120_000)
        box.click()
        page.keyboard.press("Control+A")  # a retry replaces what an earlier attempt typed
        page.keyboard.type(option)
        try:
            expect(target).to_be_visible(timeout=5_000)
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            continue
        if target.get_attribute("data-focused") == "true":
            # The typed text has put focus on it: Enter picks it even while the filtered list is
            # still re-rendering (a click then can miss a detached element).
            page.keyboard.press("Enter")
        else:
            target.click()
        break
    page.wait_for_timeout(500)
    wait_rendered(page, 120_000)
    chosen = re.escape(option)
    expect(box.get_by_role("combobox")).to_have_value(
        re.compile(chosen if exact else chosen + ".*")
    )


def download(page: Page, name: str, *, timeout: float = 90_000) -> Download:
    """Press a download button and return the download.

    A download button does not rerun the page, but a rerun still in flight when it is pressed
    (a re-rendered expander) can swallow the click; then it is pressed once more.
    """
    button = page.get_by_role("button", name=name)
    try:
        return _download_once(page, button, timeout)
    except PlaywrightTimeoutError:
        return _download_once(page, button, timeout)


def _download_once(page: Page, button: Locator, timeout: float) -> Download:
    wait_rendered(page, 120_000)
    expect(button).to_be_enabled(timeout=60_000)
    with page.expect_download(timeout=timeout) as info:
        button.click()
    return info.value


def choose_period(page: Page, year: int, quarter: int) -> None:
    """The upload's period, chosen before the file: its year, then its quarter."""
    choose(page, "Periodens år", str(year))
    choose(page, "Kvartal", f"{quarter}. kvartal", exact=False)


def headline_of_goal_11(page: Page) -> str:
    return page.get_by_test_id("stMetricValue").nth(10).inner_text().strip()


def upload(page: Page, path: Path) -> None:
    page.locator(UPLOAD).set_input_files(str(path))
    page.wait_for_timeout(800)
    wait_rendered(page, 120_000)
