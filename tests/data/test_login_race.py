"""Wrong passwords sent at the same moment lock the account exactly as the same number sent
one after the other (SQLite and PostgreSQL): the count is changed by one atomic statement."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from data.audit import now
from data.db import session_factory
from data.schema import AuditLog, User
from data.users import LOCK_DURATION, MAX_FAILED_LOGINS, LoginError, add_user, login

PASSWORD = "korrekt hest batteri"
ATTEMPTS = 20


def _make(engine: Engine, email: str) -> None:
    with session_factory(engine).begin() as s:
        add_user(s, email, {"uploader"}, actor="test", password=PASSWORD)


def _state(engine: Engine, email: str) -> tuple[int, bool, Counter[str]]:
    with session_factory(engine)() as s:
        user = s.scalars(select(User).where(User.email == email)).one()
        actions = s.scalars(select(AuditLog.details).where(AuditLog.actor == email)).all()
        kinds = s.scalars(select(AuditLog.action).where(AuditLog.actor == email)).all()
    reasons = Counter(str(d) for d in actions if d)
    reasons.update(kinds)
    return user.failed_logins, user.locked_until is not None, reasons


def _attempt(engine: Engine, email: str, at: datetime) -> str:
    try:
        login(engine, email, "forkert forkert", at=at)
    except LoginError as exc:
        return exc.message
    return "logget ind"


def test_parallel_wrong_passwords_lock_like_sequential_ones(engine: Engine) -> None:
    parallel, sequential = "parallel@ehnj.dk", "sekventiel@ehnj.dk"
    _make(engine, parallel)
    _make(engine, sequential)
    start = now()
    barrier = threading.Barrier(ATTEMPTS)
    messages: list[str] = []

    def fire() -> None:
        barrier.wait()
        messages.append(_attempt(engine, parallel, start))

    threads = [threading.Thread(target=fire) for _ in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    in_a_row = [_attempt(engine, sequential, start) for _ in range(ATTEMPTS)]

    assert Counter(messages) == Counter(in_a_row)
    assert Counter(messages)["Forkert e-mail eller adgangskode."] == MAX_FAILED_LOGINS
    failures, locked, audit = _state(engine, parallel)
    assert (failures, locked) == (0, True)
    assert audit["account_locked"] == 1 and audit["login_failed"] == ATTEMPTS
    assert audit == _state(engine, sequential)[2]
    # The right password is refused while the lock lasts, and works when it has ended.
    with pytest.raises(LoginError, match="midlertidigt låst"):
        login(engine, parallel, PASSWORD, at=start + timedelta(minutes=1))
    later = start + LOCK_DURATION + timedelta(seconds=1)
    assert login(engine, parallel, PASSWORD, at=later).email == parallel


def test_a_right_password_in_flight_is_refused_once_the_account_is_locked(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock applies to an attempt whose password check began before the lock was set."""
    import data.users as users

    email = "inflight@ehnj.dk"
    _make(engine, email)
    start = now()
    real = users._HASHER

    class LockMeanwhile:
        """The real hasher, but the account is locked while this attempt checks its password."""

        def verify(self, stored: str, password: str) -> bool:
            monkeypatch.setattr(users, "_HASHER", real)
            for _ in range(MAX_FAILED_LOGINS):
                _attempt(engine, email, start)
            return real.verify(stored, password)

    monkeypatch.setattr(users, "_HASHER", LockMeanwhile())
    with pytest.raises(LoginError, match="midlertidigt låst"):
        login(engine, email, PASSWORD, at=start)
    assert _state(engine, email)[1]


def test_a_wrong_password_after_a_lock_has_ended_counts_from_zero(engine: Engine) -> None:
    email = "udloebet@ehnj.dk"
    _make(engine, email)
    start = now()
    for _ in range(MAX_FAILED_LOGINS):
        _attempt(engine, email, start)
    later = start + LOCK_DURATION + timedelta(seconds=1)
    assert _attempt(engine, email, later) == "Forkert e-mail eller adgangskode."
    failures, locked, audit = _state(engine, email)
    assert (failures, locked, audit["account_locked"]) == (1, False, 1)
