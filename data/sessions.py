"""Login sessions that outlive one browser tab: a signed cookie and a server-side record.

A session starts at login (:func:`start_session`) with a one-time hand-over token, good for
:data:`HANDOFF_LIFETIME`, that the browser trades once for the session cookie
(:func:`redeem_handoff`). The cookie carries a random token; the database keeps only its
SHA-256 hash, so a copy of the table opens no session. Every script run checks the session
again (:func:`verify_token`, :func:`verify_id`): one query for the session and its user, one for
the roles. It ends at once after a logout, when the password changed, when the account is
locked, when a role held at login was removed, when the user was removed, or at its expiry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.audit import now
from data.schema import AppSecret, AppSession, User, UserRole

COOKIE_NAME = "erhvervshus_session"
HANDOFF_LIFETIME = timedelta(seconds=60)
DEFAULT_LIFETIME = timedelta(hours=8)
SIGNING_KEY_NAME = "session_cookie_key"
# Ended and expired rows are kept this long (for questions about a login), then deleted.
KEEP_ENDED = timedelta(days=30)


class EndReason:
    LOGOUT = "logout"
    PASSWORD = "password"
    LOCKED = "locked"
    ROLE = "role"
    USER_REMOVED = "user_removed"


@dataclass(frozen=True, slots=True)
class SessionUser:
    """A live session's user, with the roles the user holds now."""

    session_id: int
    email: str
    name: str | None
    roles: frozenset[str]
    expires_at: datetime


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _password_stamp(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _user_roles(session: Session, user_id: int) -> frozenset[str]:
    return frozenset(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))


def start_session(
    engine: Engine,
    email: str,
    *,
    lifetime: timedelta = DEFAULT_LIFETIME,
    at: datetime | None = None,
) -> tuple[int, str]:
    """A new session for the user (just logged in); returns its id and the hand-over token."""
    at = at or now()
    handoff = secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        user = session.scalars(select(User).where(User.email == email)).one()
        session.execute(
            delete(AppSession).where(AppSession.expires_at < at - KEEP_ENDED),
            execution_options={"synchronize_session": False},
        )
        row = AppSession(
            user_id=user.id,
            handoff_hash=hash_token(handoff),
            handoff_expires_at=at + HANDOFF_LIFETIME,
            roles=",".join(sorted(_user_roles(session, user.id))),
            password_stamp=_password_stamp(user.password_hash),
            created_at=at,
            expires_at=at + lifetime,
        )
        session.add(row)
        session.flush()
        return row.id, handoff


def redeem_handoff(
    engine: Engine, handoff: str, *, at: datetime | None = None
) -> tuple[str, datetime] | None:
    """Trade a hand-over token for the session's cookie token (once, within its minute).

    One atomic ``UPDATE … RETURNING``: of two requests with the same token only one gets a
    cookie token. Returns the token and the session's expiry, or None."""
    at = at or now()
    token = secrets.token_urlsafe(32)
    statement = (
        update(AppSession)
        .where(
            AppSession.handoff_hash == hash_token(handoff),
            AppSession.handoff_expires_at > at,
            AppSession.ended_at.is_(None),
            AppSession.expires_at > at,
        )
        .values(token_hash=hash_token(token), handoff_hash=None, handoff_expires_at=None)
        .returning(AppSession.expires_at)
    )
    with Session(engine) as session, session.begin():
        row = session.execute(statement, execution_options={"synchronize_session": False}).first()
    return None if row is None else (token, _aware(row[0]))


def verify_token(engine: Engine, token: str, *, at: datetime | None = None) -> SessionUser | None:
    """The live session whose cookie carries ``token``, or None."""
    return _verify(engine, AppSession.token_hash == hash_token(token), at or now())


def verify_id(engine: Engine, session_id: int, *, at: datetime | None = None) -> SessionUser | None:
    """The live session with this id (kept by the browser tab that logged in), or None."""
    return _verify(engine, AppSession.id == session_id, at or now())


def _verify(engine: Engine, where: ColumnElement[bool], at: datetime) -> SessionUser | None:
    query = (
        select(AppSession, User)
        .join(User, User.id == AppSession.user_id)
        .where(where, AppSession.ended_at.is_(None))
    )
    with Session(engine) as session:
        found = session.execute(query).first()
        if found is None:
            return None
        row, user = found
        if _aware(row.expires_at) <= at:
            return None
        roles = _user_roles(session, user.id)
        reason = None
        if user.locked_until is not None and _aware(user.locked_until) > at:
            reason = EndReason.LOCKED
        elif _password_stamp(user.password_hash) != row.password_stamp:
            reason = EndReason.PASSWORD
        elif set(filter(None, row.roles.split(","))) - roles:
            reason = EndReason.ROLE
        if reason is not None:
            _end(session, AppSession.id == row.id, reason, at)
            session.commit()
            return None
        return SessionUser(row.id, user.email, user.name, roles, _aware(row.expires_at))


def _end(session: Session, where: ColumnElement[bool], reason: str, at: datetime) -> None:
    session.execute(
        update(AppSession)
        .where(where, AppSession.ended_at.is_(None))
        .values(ended_at=at, ended_reason=reason, handoff_hash=None, handoff_expires_at=None),
        execution_options={"synchronize_session": False},
    )


def end_session(engine: Engine, session_id: int, reason: str = EndReason.LOGOUT) -> None:
    """End one session (logout): every tab that uses it is logged out at its next action."""
    with Session(engine) as session, session.begin():
        _end(session, AppSession.id == session_id, reason, now())


def end_user_sessions(session: Session, user_id: int, reason: str) -> None:
    """End every session of a user, inside the caller's transaction."""
    _end(session, AppSession.user_id == user_id, reason, now())


# --- the cookie's signature -------------------------------------------------------------


def signing_key(engine: Engine, configured: str | None = None) -> bytes:
    """The key the cookie is signed with: ``configured`` when given, else a random key made at
    first use and kept in the database (so it survives a restart)."""
    if configured:
        return configured.encode()
    with Session(engine) as session:
        value = session.get(AppSecret, SIGNING_KEY_NAME)
        if value is not None:
            return value.value.encode()
        session.add(AppSecret(name=SIGNING_KEY_NAME, value=secrets.token_hex(32)))
        try:
            session.commit()
        except IntegrityError:  # another process made it first: use that one
            session.rollback()
        stored = session.get(AppSecret, SIGNING_KEY_NAME, populate_existing=True)
        assert stored is not None
        return stored.value.encode()


def _signature(token: str, key: bytes) -> str:
    digest = hmac.new(key, token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(token: str, key: bytes) -> str:
    """The cookie value: the token and its HMAC-SHA256 signature."""
    return f"{token}.{_signature(token, key)}"


def unsign(value: str, key: bytes) -> str | None:
    """The token of a cookie value whose signature is right, else None."""
    token, dot, signature = value.rpartition(".")
    if not dot or not token or not hmac.compare_digest(signature, _signature(token, key)):
        return None
    return token
