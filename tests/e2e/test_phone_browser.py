"""The phone layout (390 px) in real Chromium: nothing important needs sideways scrolling."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import screenshot, wait_rendered

pytestmark = pytest.mark.e2e

STATUS = re.compile(r"Ikke opfyldt|Opfyldt|På vej|I risiko|Afventer data|intet mål")
RESULT = re.compile(r"\d+(,\d)?(\u00a0%)?|ingen data|Tjekliste")

# Per table: the widest inner scroll area and its box, of every grid that is shown.
GRID_OVERFLOW_JS = """(key) => [...document.querySelectorAll(
    `.st-key-${key} [data-testid="stDataFrame"] .dvn-scroller`)]
  .filter(e => e.getClientRects().length > 0)
  .map(e => [e.scrollWidth, e.clientWidth])"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="da-DK", is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    pg = context.new_page()
    yield pg
    context.close()


def open_at(page: Page, url: str) -> None:
    page.goto(url)
    wait_rendered(page)
    page.wait_for_timeout(500)  # the grids measure their columns after the first paint


def no_sideways_scrolling(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 390
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= width


def first_rows_readable(page: Page, key: str, rows: int = 3) -> None:
    """The first rows of a table shown as a list: KPI, result and status in the viewport."""
    assert page.evaluate(GRID_OVERFLOW_JS, f"wide_{key}") == []  # the grid is not shown
    items = page.locator(f".st-key-narrow_{key} li")
    assert items.count() >= rows
    for i in range(rows):
        item = items.nth(i)
        item.scroll_into_view_if_needed()
        expect(item).to_be_in_viewport(ratio=1)
        text = item.inner_text()
        assert STATUS.search(text) and RESULT.search(text), text
        box = item.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box


def test_overview_on_a_phone(server: str, phone: Page) -> None:
    open_at(phone, f"{server}/?aar=2022")
    no_sideways_scrolling(phone)
    hint = phone.locator(".st-key-filter_hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Filtre")
    # full-width cards that keep the status icon and word
    cards = phone.locator('[class*="st-key-card_"]')
    assert cards.count() == 11
    for i in range(cards.count()):
        box = cards.nth(i).bounding_box()
        assert box is not None and box["width"] >= 340, box
        assert STATUS.search(cards.nth(i).inner_text())
    first_rows_readable(phone, "kpis")
    screenshot(phone, "phone_overblik_2022")


def test_municipality_profile_on_a_phone(server: str, phone: Page) -> None:
    open_at(phone, f"{server}/kommuner?aar=2022&kommune=851")
    no_sideways_scrolling(phone)
    first_rows_readable(phone, "profile")
    screenshot(phone, "phone_kommuner_851")


def test_compare_years_on_a_phone_newest_year_first(server: str, phone: Page) -> None:
    open_at(phone, f"{server}/sammenlign?aar=2022")
    no_sideways_scrolling(phone)
    first = phone.locator(".st-key-narrow_years li").first
    first.scroll_into_view_if_needed()
    expect(first).to_be_in_viewport(ratio=1)
    years = re.findall(r"^\s*(\d{4}):", first.inner_text(), flags=re.MULTILINE)
    assert years and years == sorted(years, reverse=True), years
    screenshot(phone, "phone_sammenlign")


def test_goal_page_on_a_phone(server: str, phone: Page) -> None:
    open_at(phone, f"{server}/maal?maal=3&aar=2022")
    no_sideways_scrolling(phone)
    # every chart fits its box: Plotly's SVG is never wider than the screen
    widths = phone.evaluate(
        "() => [...document.querySelectorAll('.main-svg')].map(s => s.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= 390, widths


def shown_grid(page: Page, key: str) -> list[int]:
    """[scroll width, client width] of the one grid in the container ``key``, once drawn."""
    grid = page.locator(f".st-key-{key} [data-testid='stDataFrame']")
    grid.scroll_into_view_if_needed()
    page.wait_for_function(
        "(key) => document.querySelector(`.st-key-${key} .dvn-scroller`)?.clientWidth > 0",
        arg=key,
    )
    (sizes,) = page.evaluate(GRID_OVERFLOW_JS, key)
    return list(sizes)


def test_desktop_tables_show_every_column_and_no_hint(server: str, desktop: Page) -> None:
    open_at(desktop, f"{server}/sammenlign?aar=2022")
    expect(desktop.locator(".st-key-filter_hint")).to_be_hidden()
    grid = shown_grid(desktop, "wide_years")
    assert grid[0] <= grid[1], grid  # all four years in view, no sideways scrolling
    open_at(desktop, f"{server}/?aar=2022")
    grid = shown_grid(desktop, "wide_kpis")
    assert grid[0] <= grid[1], grid
    expect(desktop.locator(".st-key-narrow_kpis")).to_be_hidden()
