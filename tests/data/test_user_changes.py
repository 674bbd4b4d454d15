"""An administrator's changes to an account: a role removed ends the user's sessions at once,
the last role and one's own administrator role are kept, a locked account is unlocked; each
change is in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from data.db import session_factory
from data.errors import UserFacingError
from data.schema import AuditLog
from data.sessions import start_session, verify_id
from data.users import (
    MAX_FAILED_LOGINS,
    LoginError,
    add_user,
    is_locked,
    list_users,
    login,
    remove_role,
    unlock_user,
)

PASSWORD = "korrekt hest batteri"
WHO = "direktor@ehnj.dk"
ADMIN = "admin@ehnj.dk"


def make(engine: Engine) -> None:
    with session_factory(engine).begin() as s:
        add_user(s, WHO, {"uploader", "exporter"}, actor="test", password=PASSWORD)
        add_user(s, ADMIN, {"admin"}, actor="test", password=PASSWORD)


def actions(engine: Engine) -> list[tuple[str, str | None]]:
    with session_factory(engine)() as s:
        return [(a, t) for a, t in s.execute(select(AuditLog.action, AuditLog.target)).all()]


def test_a_removed_role_ends_the_users_sessions_and_is_logged(engine: Engine) -> None:
    make(engine)
    session_id, _ = start_session(engine, WHO)
    assert verify_id(engine, session_id) is not None
    with session_factory(engine).begin() as s:
        info = remove_role(s, WHO, "exporter", actor=ADMIN)
    assert info.roles == {"uploader"}
    assert verify_id(engine, session_id) is None  # logged out at the next action
    assert ("role_remove", WHO) in actions(engine)
    fresh, _ = start_session(engine, WHO)  # a new login has the remaining role
    user = verify_id(engine, fresh)
    assert user is not None and user.roles == {"uploader"}


def test_a_session_of_a_user_whose_role_was_removed_directly_ends_too(engine: Engine) -> None:
    """The session check itself ends a session whose role at login is gone."""
    from sqlalchemy import delete

    from data.schema import User, UserRole

    make(engine)
    session_id, _ = start_session(engine, WHO)
    with session_factory(engine).begin() as s:
        user_id = s.scalars(select(User.id).where(User.email == WHO)).one()
        s.execute(delete(UserRole).where(UserRole.user_id == user_id, UserRole.role == "exporter"))
    assert verify_id(engine, session_id) is None


@pytest.mark.parametrize(
    ("email", "role", "actor", "message"),
    [
        (WHO, "admin", ADMIN, "har ikke rollen Administrator"),
        (ADMIN, "admin", "test", "den eneste rolle"),
        (ADMIN, "admin", ADMIN, "den eneste rolle"),
    ],
)
def test_a_role_is_not_removed_when_it_would_do_harm(
    engine: Engine, email: str, role: str, actor: str, message: str
) -> None:
    make(engine)
    before = {u.email: u.roles for u in list_users(engine)}
    with pytest.raises(UserFacingError, match=message), session_factory(engine).begin() as s:
        remove_role(s, email, role, actor=actor)
    assert {u.email: u.roles for u in list_users(engine)} == before


def test_an_administrator_keeps_their_own_administrator_role(engine: Engine) -> None:
    make(engine)
    with session_factory(engine).begin() as s:
        add_user(s, ADMIN, {"uploader"}, actor="test")
    refused = pytest.raises(UserFacingError, match="egen administratorrolle")
    with refused, session_factory(engine).begin() as s:
        remove_role(s, ADMIN, "admin", actor=ADMIN)
    assert "admin" in {u.email: u.roles for u in list_users(engine)}[ADMIN]


def test_a_locked_account_is_unlocked_explicitly(engine: Engine) -> None:
    make(engine)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginError):
            login(engine, WHO, "forkert adgangskode")
    locked = {u.email: u for u in list_users(engine)}[WHO]
    assert is_locked(locked)
    with pytest.raises(LoginError, match="låst"):
        login(engine, WHO, PASSWORD)
    with session_factory(engine).begin() as s:
        unlock_user(s, WHO, actor=ADMIN)
    assert not is_locked({u.email: u for u in list_users(engine)}[WHO])
    assert login(engine, WHO, PASSWORD).email == WHO
    assert ("account_unlocked", WHO) in actions(engine)
