"""Login sessions on SQLite and PostgreSQL: the hand-over token works once and for a minute,
the cookie token is stored only as a hash, and a session ends at its expiry, at logout, after a
password change, a lock-out, a removed role or a removed user."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, delete, select

from data.audit import now
from data.db import session_factory
from data.schema import AppSession, User, UserRole
from data.sessions import (
    HANDOFF_LIFETIME,
    EndReason,
    end_session,
    hash_token,
    redeem_handoff,
    sign,
    signing_key,
    start_session,
    unsign,
    verify_id,
    verify_token,
)
from data.users import MAX_FAILED_LOGINS, LoginError, add_user, login, remove_user, set_password

PASSWORD = "korrekt hest batteri"
EMAIL = "direktor@ehnj.dk"


def logged_in(engine: Engine, roles: set[str] | None = None) -> tuple[int, str]:
    """A user with a started session whose cookie token was handed over: (id, token)."""
    with session_factory(engine).begin() as s:
        add_user(s, EMAIL, roles or {"uploader", "exporter"}, actor="test", password=PASSWORD)
    session_id, handoff = start_session(engine, EMAIL)
    redeemed = redeem_handoff(engine, handoff)
    assert redeemed is not None
    return session_id, redeemed[0]


def ended_reason(engine: Engine, session_id: int) -> str | None:
    with session_factory(engine)() as s:
        row = s.get(AppSession, session_id)
        assert row is not None
        return row.ended_reason


def test_session_verifies_and_stores_only_hashes(engine: Engine) -> None:
    session_id, token = logged_in(engine)
    user = verify_token(engine, token)
    assert user is not None and user.email == EMAIL and user.session_id == session_id
    assert user.roles == {"uploader", "exporter"}
    assert verify_id(engine, session_id) == user
    with session_factory(engine)() as s:
        row = s.scalars(select(AppSession)).one()
    assert row.token_hash == hash_token(token) and token not in row.token_hash
    assert row.handoff_hash is None  # used
    assert verify_token(engine, token + "x") is None
    assert verify_token(engine, hash_token(token)) is None  # the stored hash opens nothing


def test_handoff_is_single_use_and_short_lived(engine: Engine) -> None:
    with session_factory(engine).begin() as s:
        add_user(s, EMAIL, {"uploader"}, actor="test", password=PASSWORD)
    _, handoff = start_session(engine, EMAIL)
    assert redeem_handoff(engine, handoff) is not None
    assert redeem_handoff(engine, handoff) is None  # twice: no second cookie
    _, late = start_session(engine, EMAIL)
    assert redeem_handoff(engine, late, at=now() + HANDOFF_LIFETIME + timedelta(seconds=1)) is None
    assert redeem_handoff(engine, "ikke et token") is None


def test_session_expires(engine: Engine) -> None:
    with session_factory(engine).begin() as s:
        add_user(s, EMAIL, {"uploader"}, actor="test", password=PASSWORD)
    session_id, handoff = start_session(engine, EMAIL, lifetime=timedelta(hours=2))
    redeemed = redeem_handoff(engine, handoff)
    assert redeemed is not None
    token, expires = redeemed
    assert timedelta(hours=1, minutes=59) < expires - now() <= timedelta(hours=2)
    assert verify_token(engine, token, at=now() + timedelta(hours=1)) is not None
    assert verify_token(engine, token, at=now() + timedelta(hours=2, seconds=1)) is None
    assert verify_id(engine, session_id, at=now() + timedelta(hours=3)) is None


def test_logout_ends_the_session_for_every_tab(engine: Engine) -> None:
    session_id, token = logged_in(engine)
    end_session(engine, session_id)
    assert verify_token(engine, token) is None and verify_id(engine, session_id) is None
    assert ended_reason(engine, session_id) == EndReason.LOGOUT


def test_password_change_ends_sessions(engine: Engine) -> None:
    session_id, token = logged_in(engine)
    with session_factory(engine).begin() as s:
        set_password(s, EMAIL, "en helt ny adgangskode", actor="admin@ehnj.dk")
    assert verify_token(engine, token) is None
    assert ended_reason(engine, session_id) == EndReason.PASSWORD


def test_password_changed_outside_set_password_ends_sessions(engine: Engine) -> None:
    session_id, token = logged_in(engine)
    with session_factory(engine).begin() as s:  # e.g. add_user with a password: same check
        s.execute(select(User)).scalar_one().password_hash = "$argon2id$ny"
    assert verify_token(engine, token) is None
    assert ended_reason(engine, session_id) == EndReason.PASSWORD


def test_lock_out_ends_sessions(engine: Engine) -> None:
    session_id, token = logged_in(engine)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginError):
            login(engine, EMAIL, "forkert adgangskode")
    assert ended_reason(engine, session_id) == EndReason.LOCKED  # ended at the lock itself
    assert verify_token(engine, token) is None
    # ... and stays ended once the lock has run out.
    with session_factory(engine).begin() as s:
        s.execute(select(User)).scalar_one().locked_until = None
    assert verify_token(engine, token) is None


def test_lock_set_elsewhere_ends_session_at_next_check(engine: Engine) -> None:
    session_id, token = logged_in(engine)
    with session_factory(engine).begin() as s:
        s.execute(select(User)).scalar_one().locked_until = now() + timedelta(minutes=5)
    assert verify_token(engine, token) is None
    assert ended_reason(engine, session_id) == EndReason.LOCKED


def test_removed_role_ends_session_added_role_does_not(engine: Engine) -> None:
    session_id, token = logged_in(engine, {"uploader"})
    with session_factory(engine).begin() as s:
        add_user(s, EMAIL, {"exporter"}, actor="admin@ehnj.dk")  # a role more
    user = verify_token(engine, token)
    assert user is not None and user.roles == {"uploader", "exporter"}
    with session_factory(engine).begin() as s:
        s.execute(delete(UserRole).where(UserRole.role == "uploader"))
    assert verify_token(engine, token) is None
    assert ended_reason(engine, session_id) == EndReason.ROLE


def test_removed_user_has_no_session(engine: Engine) -> None:
    session_id, token = logged_in(engine)
    with session_factory(engine).begin() as s:
        remove_user(s, EMAIL, actor="admin@ehnj.dk")
    assert verify_token(engine, token) is None and verify_id(engine, session_id) is None


def test_cookie_signature(engine: Engine) -> None:
    key = signing_key(engine)
    assert signing_key(engine) == key and len(key) == 64  # made once, kept in the database
    assert signing_key(engine, "konfigureret") == b"konfigureret"
    value = sign("abc_DEF-123", key)
    assert unsign(value, key) == "abc_DEF-123"
    assert unsign(value, b"another key") is None
    assert unsign("abc_DEF-123", key) is None
    assert unsign(value[:-1] + ("A" if value[-1] != "A" else "B"), key) is None
    assert unsign(sign("x.y", key), key) == "x.y"
