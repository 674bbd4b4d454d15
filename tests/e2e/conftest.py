"""Real-browser fixtures: `erhvervshus serve` on a demo database, Debian Chromium via Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from tests.dashboard.conftest import build_demo_db

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the dashboard exited with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the dashboard did not listen on port {port} within {timeout} s")


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive free ports."""
    while True:
        first = _free_port()
        try:
            for port in range(first + 1, first + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first


@contextmanager
def dashboard_server(
    url: str, *, auth: str = "demo", cwd: Path = ROOT, port: int | None = None, workers: int = 1
) -> Iterator[str]:
    """`erhvervshus serve` on the database ``url``; yields the base URL (of the first worker),
    stops it afterwards.

    ``cwd`` holds the ``.streamlit/`` folder the server reads (config and secrets)."""
    port = port or free_ports(workers)
    env = {**os.environ, "DATABASE_URL": url, "ERHVERVSHUS_AUTH": auth}
    command = [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--workers", str(workers)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for worker_port in range(port, port + workers):
            _wait_for(worker_port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_demo_db(tmp_path_factory.mktemp("e2e") / "demo.db")


@pytest.fixture(scope="session")
def server(demo_db: str) -> Iterator[str]:
    with dashboard_server(demo_db) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    pg = context.new_page()
    yield pg
    context.close()


# The page is rendered when Streamlit's script run has finished, there is a title, and
# every Plotly chart has drawn its SVG.
RENDERED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSpinner"]')) return false;
  if (!document.querySelector('h1')) return false;
  // Plotly is loaded lazily: a chart's container (key chart_…) exists before its SVG.
  const charts = [...document.querySelectorAll('[class*="st-key-chart_"]')];
  return charts.every(c => c.querySelector('.main-svg'));
}"""


def wait_rendered(page: Page, timeout: float = 60_000) -> None:
    page.wait_for_function(RENDERED_JS, timeout=timeout, polling=50)


def screenshot(page: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main area, so grow the viewport first."""
    ARTEFACTS.mkdir(exist_ok=True)
    size = page.viewport_size or {"width": 1280, "height": 1000}
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 1000"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def offline(page: Page, base: str) -> list[str]:
    """Abort every request that leaves the dashboard server; returns the aborted URLs."""
    blocked: list[str] = []

    def route(r: Route) -> None:
        if r.request.url.startswith(base):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return blocked
