"""Brugere as the logged-in administrator: a role is removed, a locked account is unlocked,
each change is confirmed; the Indsatser page shows every activity's title whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.auth import SESSION_KEY, CurrentUser
from data.db import make_engine, session_factory
from data.demo_loader import DEMO_ACCOUNTS
from data.users import MAX_FAILED_LOGINS, LoginError, is_locked, list_users, login
from metrics.contract import contract_for
from tests.dashboard.test_director_pages import as_director
from tests.dashboard.test_pages import APP

ADMIN = DEMO_ACCOUNTS[2][0]
DIRECTOR = DEMO_ACCOUNTS[0][0]
SECRETARIAT = DEMO_ACCOUNTS[1][0]


def as_admin(url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    from data.sessions import start_session

    monkeypatch.setenv("DATABASE_URL", url)
    engine = make_engine(url)
    session_id, _ = start_session(engine, ADMIN)
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state[SESSION_KEY] = CurrentUser(
        ADMIN, None, frozenset({"admin"}), "local", session_id
    )
    at.run()
    at.switch_page("dashboard/pages/brugere.py").run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> list[str]:
    """The confirmations as read (their markdown escapes removed)."""
    return [s.value.replace("\\", "") for s in at.success]


def press(at: AppTest, label: str) -> None:
    found = [b for b in at.button if b.label == label]
    assert found, (label, [b.label for b in at.button])
    found[0].click().run()
    assert not at.exception, at.exception


@pytest.fixture
def url(tmp_path: Path) -> str:
    from tests.dashboard.conftest import build_demo_db

    return build_demo_db(tmp_path / "demo.db")


def roles_of(url: str, email: str) -> frozenset[str]:
    return {u.email: u.roles for u in list_users(make_engine(url))}[email]


def test_the_admin_removes_a_role_and_unlocks_an_account_with_a_message_each(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data.users import add_user

    engine = make_engine(url)
    with session_factory(engine).begin() as s:
        add_user(s, SECRETARIAT, {"viewer"}, actor="test")
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginError):
            login(engine, DIRECTOR, "forkert adgangskode")
    at = as_admin(url, monkeypatch)

    at.selectbox(key="users.who").select(SECRETARIAT).run()
    at.selectbox(key="users.role").select("viewer").run()
    press(at, "Fjern rollen")
    assert roles_of(url, SECRETARIAT) == {"exporter"}
    assert shown(at) == [
        f"Rollen Læser er fjernet fra {SECRETARIAT}. Brugerens åbne logins er afsluttet; ved "
        "næste login gælder de øvrige roller."
    ]

    at.selectbox(key="users.who").select(DIRECTOR).run()
    assert any("Kontoen er låst til" in m.value for m in at.markdown)
    press(at, "Lås kontoen op")
    assert not is_locked({u.email: u for u in list_users(engine)}[DIRECTOR])
    assert shown(at) == [f"Kontoen {DIRECTOR} er låst op; brugeren kan logge ind igen."]
    unlock = next(b for b in at.button if b.label == "Lås kontoen op")
    assert unlock.disabled  # nothing to unlock now


def test_a_created_user_is_confirmed(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = as_admin(url, monkeypatch)
    at.text_input[0].input("ny@ehnj.dk")
    next(c for c in at.checkbox if c.label == "Læser").check()
    at.text_input[2].input("en lang nok adgangskode")
    press(at, "Gem bruger")
    assert roles_of(url, "ny@ehnj.dk") == {"viewer"}
    assert shown(at) == ["Brugeren ny@ehnj.dk er oprettet med: Læser."]


def test_activity_titles_are_shown_whole(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = as_director(url, monkeypatch, "dashboard/pages/indsatser.py", aar="2023")
    labels = [e.label for e in at.expander]
    titles = [" ".join(a.text.split()) for g in contract_for(2023).goals for a in g.activities]
    assert any(len(t) > 90 for t in titles)  # long enough to have been cut before
    for title in titles:
        assert any(label.endswith(f"– {title}") for label in labels), title
