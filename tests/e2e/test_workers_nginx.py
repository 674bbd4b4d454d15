"""Two workers behind Debian's nginx with the shipped config (docs/nginx-erhvervshus.conf):
`erhvervshus serve --workers 2` on PostgreSQL. A browser stays on its worker (the sticky
cookie), and an upload through one worker shows in a browser served by the other at its next
rerun, although that worker had the old figures cached."""

from __future__ import annotations

import ssl
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from data.demo_loader import DEMO_ACCOUNTS
from tests.conftest import POSTGRES_ADMIN_URL, throwaway_name
from tests.demo_db import copy_postgres_demo, drop_postgres
from tests.e2e.conftest import dashboard_server, screenshot, wait_rendered
from tests.e2e.nginx import nginx
from tests.e2e.steps import (
    YEAR,
    choose_period,
    go,
    headline_of_goal_11,
    q4_files,
    unique_companies,
    upload,
)
from tests.e2e.test_auth_browser import password_login

pytestmark = pytest.mark.e2e
DIRECTOR, _, DIRECTOR_PASSWORD, _ = DEMO_ACCOUNTS[0]
SECRETARIAT, _, SECRETARIAT_PASSWORD, _ = DEMO_ACCOUNTS[1]
COOKIE = "erhvervshus_worker"
# Test instrumentation only: which worker answered (never in the shipped config).
TRACE = "add_header X-Test-Upstream $upstream_addr always;"


@pytest.fixture(scope="module")
def shared_db(postgres_url: str) -> Iterator[str]:
    name = throwaway_name("workers")
    try:
        yield copy_postgres_demo(POSTGRES_ADMIN_URL, name)
    finally:
        drop_postgres(POSTGRES_ADMIN_URL, name)


@pytest.fixture(scope="module")
def proxy(
    shared_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, list[str]]]:
    """The HTTPS base URL of nginx in front of two workers, and the workers' addresses."""
    with dashboard_server(shared_db, auth="local", workers=2) as first:
        port = int(first.rsplit(":", 1)[1])
        upstreams = [f"127.0.0.1:{port}", f"127.0.0.1:{port + 1}"]
        with nginx(tmp_path_factory.mktemp("nginx"), upstreams, extra_server=TRACE) as (_, https):
            yield https, upstreams


def _get(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """(the worker that answered, the sticky cookie it set if any) for a GET of ``url``."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(
        url, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    )
    with urllib.request.urlopen(request, timeout=30, context=context) as response:
        ours = [c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith(COOKIE)]
        assert len(ours) <= 1, ours
        return response.headers["X-Test-Upstream"], (ours or [None])[0]


def test_a_browser_stays_on_one_worker_and_both_are_used(
    proxy: tuple[str, list[str]],
) -> None:
    https, upstreams = proxy
    worker, set_cookie = _get(https + "/_stcore/health")
    assert set_cookie is not None and set_cookie.startswith(f"{COOKIE}=")
    for attribute in ("Path=/", "Secure", "HttpOnly", "SameSite=Lax"):
        assert attribute in set_cookie
    value = set_cookie.split(";")[0].split("=", 1)[1]
    # Every later request with the cookie reaches the worker that answered the first one.
    for _ in range(10):
        assert _get(https + "/_stcore/health", value) == (worker, None)
    # Across browsers, both workers get their share.
    seen = {_get(https + "/_stcore/health", f"browser-{i}")[0] for i in range(20)}
    assert seen == set(upstreams)


def _cookie_for(https: str, upstream: str) -> str:
    """A sticky-cookie value that nginx maps to ``upstream``."""
    for i in range(100):
        if _get(https + "/_stcore/health", f"test-{i}")[0] == upstream:
            return f"test-{i}"
    raise AssertionError(f"no cookie value reached {upstream}")


def _browser_on(browser: Browser, https: str, upstream: str) -> BrowserContext:
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="da-DK", ignore_https_errors=True
    )
    value = _cookie_for(https, upstream)
    context.add_cookies([{"name": COOKIE, "value": value, "url": https, "secure": True}])
    return context


def _logged_in(context: BrowserContext, https: str, email: str, password: str) -> Page:
    page = context.new_page()
    page.goto(https + "/")
    password_login(page, email, password)
    wait_rendered(page, 120_000)
    return page


def test_an_upload_through_one_worker_shows_through_the_other(
    proxy: tuple[str, list[str]], shared_db: str, browser: Browser, tmp_path: Path
) -> None:
    https, (first, second) = proxy
    good, _ = q4_files(shared_db, tmp_path)
    before = unique_companies(shared_db)

    viewer_context = _browser_on(browser, https, second)
    director_context = _browser_on(browser, https, first)
    try:
        # The secretariat's browser, on the second worker, has the figures cached.
        viewer = _logged_in(viewer_context, https, SECRETARIAT, SECRETARIAT_PASSWORD)
        assert headline_of_goal_11(viewer) == before

        # The director uploads through the first worker.
        director = _logged_in(director_context, https, DIRECTOR, DIRECTOR_PASSWORD)
        go(director, "Indlæs data")
        choose_period(director, YEAR, 4)
        upload(director, good)
        expect(
            director.get_by_text("Filen er godkendt: 100 rækker, ingen problemer.")
        ).to_be_visible()
        director.get_by_role("button", name="Gem indlæsningen").click()
        expect(director.get_by_text("Indlæst: 100 rækker", exact=False)).to_be_visible(
            timeout=60_000
        )
        after = unique_companies(shared_db)
        assert after != before

        # The second worker shows the new figure at the viewer's next rerun.
        go(viewer, "Overblik")
        assert headline_of_goal_11(viewer) == after
        screenshot(viewer, "to_processer_ny_indlaesning")
        # Both browsers were served by the worker their cookie chose, all along.
        assert _get(https + "/_stcore/health", viewer_context.cookies()[0]["value"])[0] == second
    finally:
        viewer_context.close()
        director_context.close()
