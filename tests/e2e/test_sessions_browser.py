"""Logged in stays logged in, in real Chromium with local accounts: a reload, a new tab and a
typed address keep the director; a page opened from a link without a login asks for one in
Danish and opens after it; a page the role may not see says so in Danish; a logout in one tab
logs the other out at its next action; a lock-out ends the session. The cookie is HttpOnly,
SameSite=Lax and expires with the session."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Cookie, Page, expect

from data.db import make_engine
from data.demo_loader import DEMO_ACCOUNTS
from data.sessions import COOKIE_NAME
from data.users import MAX_FAILED_LOGINS, LoginError, login
from tests.dashboard.conftest import build_demo_db
from tests.e2e.conftest import dashboard_server, screenshot, wait_rendered
from tests.e2e.test_auth_browser import password_login

pytestmark = pytest.mark.e2e
DIRECTOR, _, DIRECTOR_PASSWORD, _ = DEMO_ACCOUNTS[0]
SECRETARIAT, _, SECRETARIAT_PASSWORD, _ = DEMO_ACCOUNTS[1]
ENGLISH = ("Page not found", "does not seem to exist")


@pytest.fixture(scope="module")
def sessions_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_demo_db(tmp_path_factory.mktemp("sessions") / "demo.db")  # locks an account


@pytest.fixture(scope="module")
def sessions_server(sessions_db: str) -> Iterator[str]:
    with dashboard_server(sessions_db, auth="local") as base:
        yield base


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    yield ctx
    ctx.close()


def log_in(page: Page, email: str, password: str) -> None:
    """Log in, then wait until the browser has the session cookie and has loaded the page."""
    password_login(page, email, password)
    deadline = time.monotonic() + 30
    while not session_cookies(page.context) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert session_cookies(page.context), "no session cookie after the login"
    page.wait_for_load_state()


def session_cookies(context: BrowserContext) -> list[Cookie]:
    return [c for c in context.cookies() if c["name"] == COOKIE_NAME]


def logged_in_as(page: Page, email: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text(f"Logget ind som {email}", exact=False)).to_be_visible(
        timeout=60_000
    )
    wait_rendered(page, 120_000)
    body = page.inner_text("body")
    assert not any(text in body for text in ENGLISH), body[:500]


def logged_out(page: Page, heading: str = "Log ind") -> None:
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=60_000)
    expect(page.get_by_label("E-mail", exact=True)).to_be_visible()
    assert "Logget ind som" not in page.inner_text("body")


def test_login_survives_reload_new_tab_and_typed_address(
    sessions_server: str, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(sessions_server + "/")
    log_in(page, DIRECTOR, DIRECTOR_PASSWORD)
    logged_in_as(page, DIRECTOR)
    (cookie,) = session_cookies(context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert not cookie["secure"]  # plain http on the test server; behind TLS it is Secure
    assert 7.9 * 3600 < cookie["expires"] - time.time() <= 8 * 3600
    assert COOKIE_NAME not in page.evaluate("document.cookie")  # HttpOnly: no script sees it

    page.reload()
    logged_in_as(page, DIRECTOR)
    expect(page.get_by_role("heading", name="Resultatkontrakt – status for målene")).to_be_visible()

    tab = context.new_page()
    tab.goto(sessions_server + "/")
    logged_in_as(tab, DIRECTOR)

    tab.goto(sessions_server + "/indlaes")  # a typed address
    logged_in_as(tab, DIRECTOR)
    expect(tab.get_by_role("heading", name="Indlæs data", exact=True)).to_be_visible()
    expect(tab.locator('input[type="file"]')).to_have_count(1)

    tab.goto(sessions_server + "/eksport")  # the director is no exporter
    logged_in_as(tab, DIRECTOR)
    expect(tab.get_by_role("heading", name="Ingen adgang")).to_be_visible()
    expect(tab.get_by_text("kræver rollen Eksportør (sekretariat)", exact=False)).to_be_visible()
    screenshot(tab, "session_ingen_adgang_1400")
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.wait_for_timeout(500)
    screenshot(tab, "session_ingen_adgang_390")


def test_page_from_a_link_asks_for_login_then_opens(
    sessions_server: str, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(sessions_server + "/eksport")
    logged_out(page, "Log ind for at se Eksport")
    assert not any(text in page.inner_text("body") for text in ENGLISH)
    screenshot(page, "session_log_ind_for_eksport_1400")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    screenshot(page, "session_log_ind_for_eksport_390")
    log_in(page, SECRETARIAT, SECRETARIAT_PASSWORD)
    logged_in_as(page, SECRETARIAT)
    expect(page.get_by_role("heading", name="Eksport")).to_be_visible()
    assert urlparse(page.url).path == "/eksport"

    other = context.new_page()  # a viewer page with its query: the same page after login
    other.goto(sessions_server + "/maal?maal=3&aar=2022")
    logged_in_as(other, SECRETARIAT)
    assert urlparse(other.url).path == "/maal" and "maal=3" in urlparse(other.url).query


def test_logout_in_one_tab_logs_out_the_other(
    sessions_server: str, context: BrowserContext
) -> None:
    first = context.new_page()
    first.goto(sessions_server + "/")
    log_in(first, DIRECTOR, DIRECTOR_PASSWORD)
    logged_in_as(first, DIRECTOR)
    second = context.new_page()
    second.goto(sessions_server + "/")
    logged_in_as(second, DIRECTOR)

    first.get_by_role("button", name="Log ud").click()
    logged_out(first)
    assert not session_cookies(context)

    # The second tab's next action: open another page from its menu.
    second.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Mål").click()
    logged_out(second, "Log ind for at se Mål")


def test_lock_out_ends_the_session(
    sessions_server: str, sessions_db: str, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(sessions_server + "/indlaes")
    log_in(page, DIRECTOR, DIRECTOR_PASSWORD)
    logged_in_as(page, DIRECTOR)
    engine = make_engine(sessions_db)
    for _ in range(MAX_FAILED_LOGINS):  # someone else guesses the password
        with pytest.raises(LoginError):
            login(engine, DIRECTOR, "ikke den rigtige kode")
    engine.dispose()
    page.reload()
    logged_out(page, "Log ind for at se Indlæs data")
