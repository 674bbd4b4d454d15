"""Local user accounts: argon2-hashed passwords, roles, lock-out after repeated failures.

Used by the embedded login (and, by e-mail, to give roles to users who log in through an
OpenID Connect provider). Every change and every login attempt is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from data.audit import AuditAction, audit, now
from data.errors import UserFacingError
from data.schema import User, UserRole


class Role(StrEnum):
    """A user's role, as stored in ``user_role.role``; every signed-in user is a viewer."""

    VIEWER = "viewer"
    UPLOADER = "uploader"
    EXPORTER = "exporter"
    ADMIN = "admin"


ROLE_LABELS: dict[str, str] = {
    Role.VIEWER: "Læser",
    Role.UPLOADER: "Indlæser (direktør)",
    Role.EXPORTER: "Eksportør (sekretariat)",
    Role.ADMIN: "Administrator",
}
MIN_PASSWORD_LENGTH = 12
MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)
_HASHER = PasswordHasher()


class LoginError(UserFacingError):
    title = "Login mislykkedes"


@dataclass(frozen=True, slots=True)
class UserInfo:
    email: str
    name: str | None
    roles: frozenset[str]
    has_password: bool
    locked_until: datetime | None


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise UserFacingError(f"'{email}' er ikke en gyldig e-mailadresse.", title="Ugyldig e-mail")
    return email


def _check_roles(roles: set[str]) -> None:
    unknown = sorted(r for r in roles if r not in set(Role))
    if unknown or not roles:
        raise UserFacingError(
            f"Ukendt eller ingen rolle: {', '.join(unknown) or '(ingen)'}. Brug {', '.join(Role)}.",
            title="Ugyldig rolle",
        )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserFacingError(
            f"Adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn.",
            title="For kort adgangskode",
        )


def _get(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == normalise_email(email))).one_or_none()


def _roles(session: Session, user: User) -> frozenset[str]:
    return frozenset(session.scalars(select(UserRole.role).where(UserRole.user_id == user.id)))


def _info(session: Session, user: User) -> UserInfo:
    return UserInfo(
        user.email,
        user.name,
        _roles(session, user),
        user.password_hash is not None,
        user.locked_until,
    )


def add_user(
    session: Session,
    email: str,
    roles: set[str],
    *,
    actor: str,
    password: str | None = None,
    name: str | None = None,
) -> UserInfo:
    """Create a user, or give an existing user the roles (and password, when given)."""
    _check_roles(roles)
    if password is not None:
        _check_password(password)
    user = _get(session, email)
    if user is None:
        user = User(email=normalise_email(email), name=name, failed_logins=0, created_at=now())
        session.add(user)
        session.flush()
    if password is not None:
        user.password_hash = _HASHER.hash(password)
    for role in sorted(roles - _roles(session, user)):
        session.add(UserRole(user_id=user.id, role=role))
    session.flush()
    audit(session, actor, AuditAction.USER_ADD, user.email, roles=sorted(roles))
    return _info(session, user)


def remove_user(session: Session, email: str, *, actor: str) -> None:
    user = _get(session, email)
    if user is None:
        raise UserFacingError(f"Der findes ingen bruger med e-mail {email}.", title="Ukendt bruger")
    session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    session.delete(user)
    audit(session, actor, AuditAction.USER_REMOVE, user.email)


def set_password(session: Session, email: str, password: str, *, actor: str) -> None:
    _check_password(password)
    user = _get(session, email)
    if user is None:
        raise UserFacingError(f"Der findes ingen bruger med e-mail {email}.", title="Ukendt bruger")
    user.password_hash = _HASHER.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    audit(session, actor, AuditAction.PASSWORD_SET, user.email)


def list_users(engine: Engine) -> list[UserInfo]:
    with Session(engine) as session:
        users = session.scalars(select(User).order_by(User.email)).all()
        return [_info(session, u) for u in users]


def roles_for_email(engine: Engine, email: str) -> frozenset[str]:
    """Roles given in the users table (for users who log in through OpenID Connect)."""
    with Session(engine) as session:
        user = _get(session, email)
        return frozenset() if user is None else _roles(session, user)


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def authenticate(
    session: Session, email: str, password: str, *, at: datetime | None = None
) -> UserInfo:
    """Check a login. Unknown user and wrong password get the same message; after
    MAX_FAILED_LOGINS failures in a row the account is locked for LOCK_DURATION."""
    at = at or now()
    wrong = LoginError("Forkert e-mail eller adgangskode.")
    try:
        user = _get(session, email)
    except UserFacingError as exc:
        raise wrong from exc
    if user is None or user.password_hash is None:
        audit(
            session,
            email.strip().lower()[:255],
            AuditAction.LOGIN_FAILED,
            None,
            reason="ukendt bruger",
        )
        raise wrong
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > at:
        audit(session, user.email, AuditAction.LOGIN_FAILED, None, reason="låst")
        raise LoginError(
            "Kontoen er midlertidigt låst efter for mange forkerte forsøg. Prøv igen om lidt, "
            "eller bed en administrator om at nulstille adgangskoden."
        )
    try:
        _HASHER.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError) as exc:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = at + LOCK_DURATION
            user.failed_logins = 0
            audit(session, user.email, AuditAction.ACCOUNT_LOCKED, None)
        audit(session, user.email, AuditAction.LOGIN_FAILED, None, reason="forkert adgangskode")
        raise wrong from exc
    user.failed_logins = 0
    user.locked_until = None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    audit(session, user.email, AuditAction.LOGIN, None, method="lokal")
    return _info(session, user)


def login(engine: Engine, email: str, password: str, *, at: datetime | None = None) -> UserInfo:
    """:func:`authenticate` in its own transaction; failed attempts are kept (counter, audit)."""
    with Session(engine) as session:
        try:
            return authenticate(session, email, password, at=at)
        finally:
            session.commit()
