"""The server's edges: `erhvervshus serve` listens on the loopback address only, and the
shipped nginx config (docs/nginx-erhvervshus.conf), run by Debian's nginx in front of a test
server, sends the security headers while the dashboard still renders in Chromium without a
single Content-Security-Policy violation."""

from __future__ import annotations

import base64
import hashlib
import re
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit
from playwright.sync_api import Browser, expect

from data.demo_loader import DEMO_ACCOUNTS
from data.sessions import COOKIE_NAME
from tests.e2e.conftest import wait_rendered
from tests.e2e.nginx import listening
from tests.e2e.nginx import nginx as run_nginx
from tests.e2e.test_auth_browser import password_login

pytestmark = pytest.mark.e2e

HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def test_serve_listens_on_loopback_only(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    assert listening(port) == {"loopback"}


def _inline_script_hashes() -> set[str]:
    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in re.findall(r"<script>(.*?)</script>", html, re.S)
    }


@pytest.fixture(scope="module")
def nginx(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Debian's nginx with the shipped site config, pointed at the test server; yields the
    HTTP and HTTPS base URLs."""
    with run_nginx(tmp_path_factory.mktemp("nginx"), [server.removeprefix("http://")]) as urls:
        yield urls


def _get(url: str) -> tuple[int, dict[str, str]]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect())
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}


def test_nginx_sends_the_security_headers(nginx: tuple[str, str]) -> None:
    http, https = nginx
    assert _get(http + "/")[0] == 301
    for path in ("/", "/_stcore/health", "/findes-ikke.js"):
        status, headers = _get(https + path)
        assert status in (200, 404), (path, status)
        for name, value in HEADERS.items():
            assert headers.get(name) == value, (path, name, headers.get(name))
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        tokens = set(re.split(r"[;\s]+", csp))
        assert "'unsafe-eval'" not in tokens and "'unsafe-inline'" not in csp.split("style-src")[0]
        # The inline script of this Streamlit version is allowed by its hash, nothing else.
        assert _inline_script_hashes() <= tokens


def test_dashboard_renders_under_the_csp(nginx: tuple[str, str], browser: Browser) -> None:
    _, https = nginx
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="da-DK", ignore_https_errors=True
    )
    page = context.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    try:
        for query, charts in (
            ("?aar=2022", False),
            ("maal?aar=2022", True),
            ("kommuner?aar=2022", True),
        ):
            page.goto(f"{https}/{query}")
            wait_rendered(page)
            assert "Traceback" not in page.inner_text("body")
            assert not charts or page.locator(".main-svg").count() > 0, "no chart was drawn"
            assert page.evaluate("window.__csp") == []
        assert not [m for m in console if "Content Security Policy" in m], console
    finally:
        context.close()


def test_login_behind_tls_under_the_csp(nginx: tuple[str, str], browser: Browser) -> None:
    """Behind the TLS proxy the session cookie is Secure, and the login's hand-over to the
    cookie route runs under the CSP (its script is a file on the server, not inline)."""
    _, https = nginx
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="da-DK", ignore_https_errors=True
    )
    page = context.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    try:
        page.goto(f"{https}/indlaes")
        expect(page.get_by_role("heading", name="Log ind for at se Indlæs data")).to_be_visible(
            timeout=60_000
        )
        # The administrator: the shared demo database's director may be locked by another test.
        email, _, password, _ = DEMO_ACCOUNTS[2]
        password_login(page, email, password)
        wait_rendered(page, 120_000)
        expect(page.get_by_role("heading", name="Indlæs data", exact=True)).to_be_visible()
        assert page.evaluate("window.__csp") == []
        (cookie,) = [c for c in context.cookies() if c["name"] == COOKIE_NAME]
        assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        page.reload()
        wait_rendered(page, 120_000)
        expect(page.get_by_role("heading", name="Indlæs data", exact=True)).to_be_visible()
    finally:
        context.close()
