"""Danish to the last word: every page as every role, at 1400 px and at 390 px (a phone), with
its dropdowns opened, a form field typed in and a file chosen, shows no English UI text — the
visible text nor the labels a screen reader reads (aria-label), tooltips (title), placeholders
or image texts (alt). Streamlit's own widget texts are put in Danish by dashboard/web/dansk.js.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.ui.navigation import PAGES
from data.db import make_engine, session_factory
from data.demo_loader import DEMO_ACCOUNTS
from data.users import Role, add_user
from tests.dashboard.conftest import build_demo_db
from tests.e2e.conftest import dashboard_server, wait_rendered
from tests.e2e.steps import q4_files
from tests.e2e.test_auth_browser import password_login

pytestmark = pytest.mark.e2e

VIEWER = ("laeser@demo.dk", "laeser-demo-2022")
ACCOUNTS = {
    "viewer": VIEWER,
    **{str(role): (email, password) for email, role, password, _ in DEMO_ACCOUNTS},
}
WIDTHS = (1400, 390)
# English that Streamlit or a careless label could show. Whole words, case-sensitive: Danish
# text never has them.
ENGLISH = re.compile(
    r"\b(?:Select all|Press Enter|Press ⌘|Press Ctrl|Choose (?:an option|options|date)|"
    r"No (?:options|results)|Drag and drop|Browse files|per file|Page not found|Running|"
    r"Deploy|Rerun|Clear (?:all|cache|value|selection)|Settings|Made with|Traceback|"
    r"Show password|Hide password|Download as|Fullscreen|Skip to|Link to heading|App pages|"
    r"(?:Collapse|Expand) sidebar|Sidebar|Show/hide|Search|Help for|Remove file|Loading|"
    r"Error|None|nan|True|False)\b|\b\d+(?:\.\d+)?(?:KB|MB)\b"
)
COLLECT = """() => {
  const out = [document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
      const v = el.getAttribute(a);
      if (v) out.push(a + ': ' + v);
    }
  }
  return out.join('\\n');
}"""


@pytest.fixture(scope="module")
def walk_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = build_demo_db(tmp_path_factory.mktemp("walk") / "demo.db")
    with session_factory(make_engine(url)).begin() as session:
        add_user(session, VIEWER[0], {Role.VIEWER}, actor="test", password=VIEWER[1])
    return url


@pytest.fixture(scope="module")
def walk_server(walk_db: str) -> Iterator[str]:
    with dashboard_server(walk_db, auth="local") as base:
        yield base


def english(page: Page) -> set[str]:
    # The translating script is loaded with the sidebar (a loaded machine may take seconds);
    # then it translates as Streamlit draws.
    page.wait_for_function("window.__erhvervshusDansk === true", timeout=60_000)
    page.wait_for_timeout(300)
    return {
        m.group(0) + " in «" + line[:80] + "»"
        for line in page.evaluate(COLLECT).splitlines()
        for m in [ENGLISH.search(line)]
        if m
    }


def opened_popovers(page: Page, opened: set[str]) -> set[str]:
    """The English in every dropdown of the page not ``opened`` before (the sidebar's year
    and quarter are the same dropdowns on every page), opened one at a time."""
    found: set[str] = set()
    for widget in ("stMultiSelect", "stSelectbox"):
        for box in page.get_by_test_id(widget).all()[:4]:
            if not box.is_visible():
                continue
            label = box.inner_text()
            if label in opened:
                continue
            opened.add(label)
            box.click()
            found |= english(page)
            page.keyboard.press("Escape")
    return found


def page_paths(role: str) -> list[str]:
    allowed = {"viewer", role} if role != "admin" else {p.role for p in PAGES}
    return [
        "/" + ("" if p.file == "overblik.py" else p.file.removesuffix(".py"))
        for p in PAGES
        if p.role in allowed
    ]


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_page_is_danish_for(
    role: str, walk_server: str, walk_db: str, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 1000}, locale="da-DK")
    page = context.new_page()
    found: dict[str, set[str]] = {}
    opened: set[str] = set()
    try:
        page.goto(walk_server + "/")
        page.get_by_label("E-mail", exact=True).fill(
            ACCOUNTS[role][0]
        )  # "Press Enter to submit form"
        found["/log-ind"] = english(page)
        password_login(page, *ACCOUNTS[role])
        for path in page_paths(role):
            page.set_viewport_size({"width": WIDTHS[0], "height": 1000})
            page.goto(walk_server + path)
            wait_rendered(page, 120_000)
            here = {f"{WIDTHS[0]} px: {e}" for e in english(page) | opened_popovers(page, opened)}
            if path == "/indlaes":  # the chosen file's chip: its size, its remove button
                good, _ = q4_files(walk_db, tmp_path)
                page.locator('input[type="file"]').set_input_files(str(good))
                wait_rendered(page, 120_000)
                here |= {f"{WIDTHS[0]} px: {e}" for e in english(page)}
            # The same page on a phone: Streamlit lays it out again without a new run (on a
            # phone the sidebar's dropdowns are folded away, so they are opened at 1400 px).
            page.set_viewport_size({"width": WIDTHS[1], "height": 1000})
            here |= {f"{WIDTHS[1]} px: {e}" for e in english(page)}
            if here:
                found[path] = here
        # An address that is no page: Streamlit's own notice, in Danish.
        page.goto(walk_server + "/findes-ikke")
        wait_rendered(page, 120_000)
        expect(page.get_by_text("Siden findes ikke", exact=False).first).to_be_visible()
        if missing := english(page):
            found["/findes-ikke"] = missing
    finally:
        context.close()
    assert {k: sorted(v) for k, v in found.items() if v} == {}
