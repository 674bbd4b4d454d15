"""Every page in real Chromium against `erhvervshus serve` with demo data, offline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from metrics.contract import contract_for
from tests.e2e.conftest import dashboard_server, offline, screenshot, wait_rendered

pytestmark = pytest.mark.e2e

ENGLISH_NUMBER = re.compile(r"\b\d{1,3},\d{3}\.\d\b")  # 1,234.5


def check_danish(page: Page) -> str:
    body = page.inner_text("body")
    assert "Traceback" not in body and "Choose an option" not in body
    assert "Beklager – siden kunne ikke vises" not in body
    assert not ENGLISH_NUMBER.search(body), ENGLISH_NUMBER.search(body)
    return body


def sidebar_values(page: Page) -> list[str]:
    """The shown choices of the sidebar filters (År, Status pr., Kommune)."""
    values: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stSidebar] input')].map(i => i.value)"
    )
    return values


def chart_texts(page: Page) -> str:
    return " ".join(page.locator(".main-svg text").all_text_contents())


def open_page(page: Page, base: str, path: str) -> str:
    page.goto(f"{base}/{path}")
    wait_rendered(page)
    return check_danish(page)


def test_clicking_a_goal_card_opens_its_page(server: str, page: Page) -> None:
    blocked = offline(page, server)
    body = open_page(page, server, "?aar=2022")
    for goal in contract_for(2022).goals:
        assert goal.title in body
    page.get_by_role("link", name="Se Mål 3 i detaljer").click()
    expect(page).to_have_url(re.compile(r"/maal\?.*maal=3"), timeout=30_000)
    goal = contract_for(2022).goal(3)
    expect(page.get_by_role("heading", name=goal.title)).to_be_visible(timeout=30_000)
    wait_rendered(page)
    body = check_danish(page)
    assert "95\u00a0%-interval" in body and "aar=2022" in page.url
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 4
    screenshot(page, "maal_3_2022")
    assert blocked == []


def test_link_with_query_parameters_reproduces_the_view(server: str, page: Page) -> None:
    body = open_page(page, server, "maal?aar=2021&kommune=851&maal=3")
    assert "Resultatkontrakt 2021" in body and "Aalborg Kommune" in body
    expect(page.get_by_role("heading", name=contract_for(2021).goal(3).title)).to_be_visible()
    assert sidebar_values(page) == ["2021", "Hele året", "Aalborg"]
    screenshot(page, "maal_3_2021_aalborg")


def test_map_draws_eleven_municipalities_offline(server: str, page: Page) -> None:
    blocked = offline(page, server)
    body = open_page(page, server, "kommuner?aar=2022")
    paths = page.locator(".choroplethlayer path")
    expect(paths.first).to_be_visible(timeout=30_000)
    assert paths.count() == 11
    assert "Kommunegrænser: DAGI" in body
    assert blocked == [], blocked
    screenshot(page, "kommuner_2022")


def test_goal_11_shows_projection_at_a_quarter(server: str, page: Page) -> None:
    body = open_page(page, server, "maal?aar=2022&maal=11&pr=2022Q3")
    assert "30. september 2022" in body and "Fremskrevet" in body
    screenshot(page, "maal_11_2022Q3")


@pytest.mark.parametrize("path", ["sammenlign?aar=2022", "benchmark?aar=2023"])
def test_compare_and_benchmark(server: str, page: Page, path: str) -> None:
    open_page(page, server, path)
    texts = chart_texts(page)
    assert re.search(r"\d+,\d[ \u00a0]%", texts) or re.search(r"\d+[ \u00a0]%", texts), texts[:300]
    screenshot(page, path.split("?")[0])


def test_readable_on_a_tablet(server: str, page: Page) -> None:
    page.set_viewport_size({"width": 800, "height": 1100})
    open_page(page, server, "?aar=2022")
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 800
    screenshot(page, "overblik_800px")
    open_page(page, server, "maal?aar=2022&maal=3")
    screenshot(page, "maal_3_800px")


def test_deep_link_as_the_first_visit_after_a_restart(demo_db: str, page: Page) -> None:
    """Regression: with a ``pages/`` folder beside app.py the first deep link after a restart
    ran the bare page script (file names in the menu, narrow layout)."""
    with dashboard_server(demo_db) as base:
        open_page(page, base, "maal?aar=2022&maal=3")
        menu = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Overblik" in menu and "Sammenlign år" in menu and "maal" not in menu
        width = page.evaluate(
            "() => document.querySelector('[data-testid=stMainBlockContainer]').offsetWidth"
        )
        assert width > 900  # the wide layout of app.py


def test_deep_link_in_local_mode_as_the_first_visit_shows_the_login(
    demo_db: str, page: Page
) -> None:
    """The first visitor after a server start who opens /maal without a login gets the login
    form for that page, not the goal's figures (the entry script runs first for every URL)."""
    with dashboard_server(demo_db, auth="local") as base:
        page.goto(f"{base}/maal?aar=2022&maal=3")
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stApp]')"
            "?.getAttribute('data-test-script-state') === 'notRunning'"
            " && document.querySelector('h1')",
            timeout=60_000,
        )
        expect(page.locator("h1").first).to_have_text("Log ind for at se Mål")
        expect(page.get_by_label("Adgangskode", exact=True)).to_be_visible()
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "Mål 3" not in body and "Meget tilfreds" not in body
        assert page.locator(".main-svg").count() == 0
        menu = page.locator('[data-testid="stSidebarNav"]')
        assert menu.count() == 0 or "Overblik" not in menu.inner_text()
