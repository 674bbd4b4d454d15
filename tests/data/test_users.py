"""Local accounts on SQLite and PostgreSQL: argon2 hashes, roles, lock-out, audit, CLI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from dashboard.cli.app import app
from data.audit import now
from data.db import session_factory
from data.errors import UserFacingError
from data.schema import AuditLog, User
from data.users import (
    LOCK_DURATION,
    MAX_FAILED_LOGINS,
    LoginError,
    add_user,
    list_users,
    login,
    roles_for_email,
)

PASSWORD = "korrekt hest batteri"


def make(engine: Engine, email: str = "Direktor@EHNJ.dk", roles: set[str] | None = None) -> None:
    with session_factory(engine).begin() as s:
        add_user(s, email, roles or {"uploader"}, actor="test", password=PASSWORD, name="Direktør")


def test_password_is_hashed_with_argon2_and_roles_kept(engine: Engine) -> None:
    make(engine)
    with session_factory(engine)() as s:
        user = s.scalars(select(User)).one()
    assert user.email == "direktor@ehnj.dk" and user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert login(engine, "direktor@ehnj.dk", PASSWORD).roles == {"uploader"}
    make(engine, roles={"exporter"})
    assert roles_for_email(engine, "DIREKTOR@ehnj.dk") == {"uploader", "exporter"}


def test_wrong_password_and_unknown_user_get_the_same_message(engine: Engine) -> None:
    make(engine)
    with pytest.raises(LoginError) as wrong:
        login(engine, "direktor@ehnj.dk", "forkert forkert")
    with pytest.raises(LoginError) as unknown:
        login(engine, "ingen@ehnj.dk", PASSWORD)
    assert wrong.value.message == unknown.value.message == "Forkert e-mail eller adgangskode."


def test_lock_out_after_repeated_failures_and_unlock_later(engine: Engine) -> None:
    make(engine)
    start = now()
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginError):
            login(engine, "direktor@ehnj.dk", "forkert forkert", at=start)
    with pytest.raises(LoginError, match="midlertidigt låst"):
        login(engine, "direktor@ehnj.dk", PASSWORD, at=start + timedelta(minutes=1))
    assert login(
        engine, "direktor@ehnj.dk", PASSWORD, at=start + LOCK_DURATION + timedelta(seconds=1)
    )
    with engine.connect() as c:
        actions = c.execute(select(AuditLog.action)).scalars().all()
    assert actions.count("login_failed") == MAX_FAILED_LOGINS + 1
    assert "account_locked" in actions and actions[-1] == "login"


def test_bad_role_and_short_password_are_refused(engine: Engine) -> None:
    with (
        pytest.raises(UserFacingError, match="Ukendt eller ingen rolle"),
        session_factory(engine).begin() as s,
    ):
        add_user(s, "a@b.dk", {"superuser"}, actor="t", password=PASSWORD)
    with (
        pytest.raises(UserFacingError, match="mindst 12 tegn"),
        session_factory(engine).begin() as s,
    ):
        add_user(s, "a@b.dk", {"viewer"}, actor="t", password="kort")
    assert list_users(engine) == []


def test_users_cli(engine: Engine) -> None:
    env = {"DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["users", "add", "admin@kkr.dk", "--role", "admin", "--role", "viewer", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env,
    )
    assert added.exit_code == 0, added.output
    assert "Administrator" in added.output
    listed = runner.invoke(app, ["users", "list"], env=env)
    assert "admin@kkr.dk" in listed.output and "admin, viewer" in listed.output
    changed = runner.invoke(
        app,
        ["users", "set-password", "admin@kkr.dk", "--password-stdin"],
        input="en helt ny adgangskode\n",
        env=env,
    )
    assert changed.exit_code == 0
    assert login(engine, "admin@kkr.dk", "en helt ny adgangskode").roles == {"admin", "viewer"}
    bad = runner.invoke(
        app, ["users", "add", "x@kkr.dk", "--role", "konge", "--no-password"], env=env
    )
    assert bad.exit_code == 1 and "Ugyldig rolle" in bad.output
    removed = runner.invoke(app, ["users", "remove", "admin@kkr.dk"], env=env)
    assert removed.exit_code == 0 and list_users(engine) == []
