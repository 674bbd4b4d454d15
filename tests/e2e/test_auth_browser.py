"""Access control in real Chromium: local accounts (login, wrong password, lock-out, logout),
OpenID Connect through oidc-provider-mock (each role sees exactly its pages), no page by URL
for a role that may not see it, and text from users rendered as text, never as HTML."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from dashboard.web.session_routes import NEXT_COOKIE
from data.db import make_engine, session_factory
from data.demo_loader import DEMO_ACCOUNTS
from data.records import record_comment
from data.schema import AuditLog
from data.users import MAX_FAILED_LOGINS
from tests.e2e.conftest import (
    ROOT,
    _free_port,
    _wait_for,
    dashboard_server,
    screenshot,
    wait_rendered,
)

pytestmark = pytest.mark.e2e
VIEWER_PAGES = ["Overblik", "Mål", "Kommuner", "Sammenlign år", "Benchmark"]
DIRECTOR_PAGES = ["Indlæs data", "Indlæsninger", "Indsatser", "Kommentarer"]
ADMIN_PAGES = ["Brugere", "Log"]
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def nav_titles(page: Page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNav"] a')
    expect(links.first).to_be_visible(timeout=60_000)
    return [t.strip().split("\n")[-1] for t in links.all_inner_texts()]


IDLE_JS = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""


LOGIN_DONE_JS = """() =>
    document.querySelector('[data-testid="stSidebar"]')?.innerText.includes('Logget ind som')
    || !!document.querySelector('[data-testid="stAlertContentError"]')"""


def password_login(page: Page, email: str, password: str) -> None:
    expect(page.get_by_label("E-mail", exact=True)).to_be_visible(timeout=60_000)
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Adgangskode", exact=True).fill(password)
    page.get_by_role("button", name="Log ind").click()
    # A login sends the browser through the session-cookie route to the page: wait until that
    # page shows who is logged in, or until the login form shows its error.
    page.wait_for_function(LOGIN_DONE_JS, timeout=60_000, polling=100)
    page.wait_for_function(IDLE_JS, timeout=60_000)


@pytest.fixture(scope="module")
def local_server(demo_db: str) -> Iterator[str]:
    with dashboard_server(demo_db, auth="local") as base:
        yield base


def test_login_required_and_roles_decide_pages(local_server: str, page: Page) -> None:
    page.goto(local_server + "/")
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible(timeout=60_000)
    assert "Resultatkontrakt" not in page.inner_text("body")  # nothing shown before login
    email, _, password, _ = DEMO_ACCOUNTS[2]  # administrator
    password_login(page, email, password)
    expect(page.get_by_text(f"Logget ind som {email}", exact=False)).to_be_visible(timeout=60_000)
    # An administrator may do everything.
    assert nav_titles(page) == [*VIEWER_PAGES, *DIRECTOR_PAGES, "Eksport", *ADMIN_PAGES]
    page.get_by_role("link", name="Log", exact=True).click()
    expect(page.get_by_role("heading", name="Log over handlinger")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("hændelser (nyeste først)", exact=False)).to_be_visible()
    screenshot(page, "log_admin")
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible(timeout=30_000)


def failed_logins(url: str, email: str) -> int:
    with make_engine(url).connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(AuditLog)
                .where(AuditLog.actor == email, AuditLog.action == "login_failed")
            ).scalar_one()
        )


def test_wrong_password_then_lock_out(local_server: str, demo_db: str, page: Page) -> None:
    page.goto(local_server + "/")
    email = DEMO_ACCOUNTS[0][0]
    start = failed_logins(demo_db, email)
    for i in range(MAX_FAILED_LOGINS):
        password_login(page, email, "ikke den rigtige kode")
        expect(page.get_by_text("Forkert e-mail eller adgangskode.")).to_be_visible(timeout=30_000)
        # The message may still be the previous attempt's on a slow machine: wait until the
        # server has counted this attempt before making the next.
        deadline = time.monotonic() + 30
        while failed_logins(demo_db, email) < start + i + 1 and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert failed_logins(demo_db, email) == start + i + 1
    password_login(page, email, DEMO_ACCOUNTS[0][2])  # right password, but locked now
    expect(page.get_by_text("midlertidigt låst", exact=False)).to_be_visible(timeout=30_000)
    screenshot(page, "login_laast")


def test_pages_of_other_roles_cannot_be_opened_by_url(local_server: str, page: Page) -> None:
    page.goto(local_server + "/")
    email, _, password, _ = DEMO_ACCOUNTS[1]  # secretariat: exporter
    password_login(page, email, password)
    expect(page.get_by_text(f"Logget ind som {email}", exact=False)).to_be_visible(timeout=60_000)
    assert not set(ADMIN_PAGES) & set(nav_titles(page))
    page.goto(local_server + "/brugere")
    page.wait_for_timeout(3000)
    body = page.inner_text("body")
    assert "Brugere og roller" not in body and "Opret bruger" not in body


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.dashboard.conftest import build_demo_db

    url = build_demo_db(tmp_path_factory.mktemp("xss") / "demo.db")
    with session_factory(make_engine(url)).begin() as s:
        record_comment(
            s, erhvervshus="nordjylland", year=2022, goal=3, text=f"Kommentar {XSS}", author=XSS
        )
    with dashboard_server(url, auth="demo") as base:
        yield base


def test_comment_with_html_renders_as_text(xss_server: str, page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in (
        "?aar=2022",
        "maal?aar=2022&maal=3",
        "kommuner?aar=2022",
        "sammenlign",
        "benchmark",
    ):
        page.goto(f"{xss_server}/{path}")
        wait_rendered(page, 60_000)  # every chart drawn: a script in a label would have run
    page.goto(f"{xss_server}/maal?aar=2022&maal=3")
    expect(page.get_by_text("<script>", exact=False).first).to_be_visible(timeout=60_000)
    assert page.locator("img[src='x']").count() == 0
    assert dialogs == []


# --- OpenID Connect through a local mock provider ------------------------------------------

OIDC_USERS = {
    "laeser": {"sub": "laeser", "email": "laeser@kkr.dk", "name": "Læser", "groups": ["viewer"]},
    "direktor": {
        "sub": "direktor",
        "email": "direktor@ehnj.dk",
        "groups": ["erhvervshus-uploader"],
    },
    "sekretariat": {"sub": "sekretariat", "email": "sekr@kkr.dk", "groups": ["exporter"]},
}


@pytest.fixture(scope="module")
def oidc_server(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    provider_port, app_port = _free_port(), _free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(provider_port)]
    for claims in OIDC_USERS.values():
        args += ["--user-claims", json.dumps(claims)]
    provider = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    site = tmp_path_factory.mktemp("oidc")
    (site / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", site / ".streamlit" / "config.toml")
    (site / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        'cookie_secret = "test-cookie-secret-0123456789"\n'
        'client_id = "erhvervshus-dashboard"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    try:
        _wait_for(provider_port, provider)
        with dashboard_server(demo_db, auth="oidc", cwd=site, port=app_port) as base:
            yield base
    finally:
        provider.terminate()
        provider.wait(timeout=10)


@pytest.mark.parametrize(
    ("sub", "expected"),
    [
        ("laeser", VIEWER_PAGES),
        ("direktor", [*VIEWER_PAGES, *DIRECTOR_PAGES]),
        ("sekretariat", [*VIEWER_PAGES, "Eksport"]),
    ],
)
def test_oidc_login_gives_each_role_its_pages(
    oidc_server: str, page: Page, sub: str, expected: list[str]
) -> None:
    page.goto(oidc_server + "/")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("button", name=sub, exact=True).click()  # the mock provider's user list
    expect(
        page.get_by_text(f"Logget ind som {OIDC_USERS[sub]['email']}", exact=False)
    ).to_be_visible(timeout=60_000)
    assert nav_titles(page) == expected
    screenshot(page, f"oidc_{sub}")
    if sub == "laeser":  # typing the upload page's address gives no upload page
        page.goto(oidc_server + "/indlaes")
        expect(page.get_by_text("Logget ind som laeser@kkr.dk", exact=False)).to_be_visible(
            timeout=60_000
        )
        page.wait_for_timeout(2000)
        assert page.locator('input[type="file"]').count() == 0
        assert "Indlæs data" not in nav_titles(page)
        assert page.get_by_role("heading", name="Indlæs data").count() == 0


def test_oidc_login_survives_reload_and_typed_address(oidc_server: str, page: Page) -> None:
    """A page opened before the login asks for it in Danish and opens after the provider's
    login; Streamlit's own identity cookie keeps the login over a reload and a typed address."""
    page.goto(oidc_server + "/indlaes")
    expect(page.get_by_role("heading", name="Log ind for at se Indlæs data")).to_be_visible(
        timeout=60_000
    )
    assert "Page not found" not in page.inner_text("body")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("button", name="direktor", exact=True).click()
    logged_in = page.locator('[data-testid="stSidebar"]').get_by_text(
        "Logget ind som direktor@ehnj.dk", exact=False
    )
    expect(logged_in).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Indlæs data", exact=True)).to_be_visible(
        timeout=60_000
    )
    assert urlparse(page.url).path == "/indlaes"
    assert not [c for c in page.context.cookies() if c["name"] == NEXT_COOKIE]  # used up
    page.reload()
    expect(logged_in).to_be_visible(timeout=60_000)
    page.goto(oidc_server + "/indlaes")
    expect(logged_in).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Indlæs data", exact=True)).to_be_visible(
        timeout=60_000
    )
    expect(page.locator('input[type="file"]')).to_have_count(1)
