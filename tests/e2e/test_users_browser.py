"""Brugere in Chromium as the administrator: a locked account is unlocked and a role removed,
each with its confirmation; the role picker has one box per role (no "select all")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from data.db import make_engine, session_factory
from data.demo_loader import DEMO_ACCOUNTS
from data.users import MAX_FAILED_LOGINS, LoginError, add_user, list_users, login
from tests.dashboard.conftest import build_demo_db
from tests.e2e.conftest import dashboard_server, screenshot, wait_rendered
from tests.e2e.steps import choose, go
from tests.e2e.test_auth_browser import password_login

pytestmark = pytest.mark.e2e
ADMIN, _, ADMIN_PASSWORD, _ = DEMO_ACCOUNTS[2]
DIRECTOR = DEMO_ACCOUNTS[0][0]
SECRETARIAT = DEMO_ACCOUNTS[1][0]


@pytest.fixture(scope="module")
def users_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = build_demo_db(tmp_path_factory.mktemp("brugere") / "demo.db")
    engine = make_engine(url)
    with session_factory(engine).begin() as s:
        add_user(s, SECRETARIAT, {"viewer"}, actor="test")
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginError):
            login(engine, DIRECTOR, "forkert adgangskode")
    return url


@pytest.fixture(scope="module")
def users_server(users_db: str) -> Iterator[str]:
    with dashboard_server(users_db, auth="local") as base:
        yield base


def test_the_admin_unlocks_and_removes_a_role_with_a_confirmation_each(
    users_server: str, users_db: str, page: Page
) -> None:
    page.goto(users_server + "/")
    password_login(page, ADMIN, ADMIN_PASSWORD)
    wait_rendered(page, 120_000)
    go(page, "Brugere")
    for label in ("Læser", "Indlæser (direktør)", "Eksportør (sekretariat)", "Administrator"):
        expect(page.get_by_role("checkbox", name=label, exact=True)).to_be_visible()
    assert "Select all" not in page.inner_text("body")

    choose(page, "Bruger", DIRECTOR)
    expect(page.get_by_text("Kontoen er låst til", exact=False)).to_be_visible()
    page.get_by_role("button", name="Lås kontoen op").click()
    expect(page.get_by_text(f"Kontoen {DIRECTOR} er låst op", exact=False)).to_be_visible(
        timeout=60_000
    )
    assert login(make_engine(users_db), DIRECTOR, DEMO_ACCOUNTS[0][2]).email == DIRECTOR

    choose(page, "Bruger", SECRETARIAT)
    choose(page, "Rolle, der skal fjernes", "Læser")
    page.get_by_role("button", name="Fjern rollen").click()
    expect(
        page.get_by_text(f"Rollen Læser er fjernet fra {SECRETARIAT}", exact=False)
    ).to_be_visible(timeout=60_000)
    roles = {u.email: u.roles for u in list_users(make_engine(users_db))}
    assert roles[SECRETARIAT] == {"exporter"}
    screenshot(page, "brugere_rolle_fjernet")
