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
from sqlalchemy import ColumnElement, Engine, case, delete, literal, null, or_, select, update
from sqlalchemy.orm import Session

from data.audit import AuditAction, audit, now
from data.errors import UserFacingError
from data.schema import AppSession, User, UserRole
from data.sessions import EndReason, end_user_sessions
from data.value_limits import check_name


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
    email = check_name("E-mailadressen", email.strip().lower())
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise UserFacingError(f"'{email}' er ikke en gyldig e-mailadresse.", title="Ugyldig e-mail")
    return email


def _check_roles(roles: set[str]) -> None:
    unknown = sorted(r for r in roles if r not in set(Role))
    if unknown or not roles:
        raise UserFacingError(
            f"Ukendt eller ingen rolle: {', '.join(unknown) or '(ingen)'}. Vælg mindst én af: "
            f"{', '.join(ROLE_LABELS[r] for r in Role)}.",
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
    if name is not None:
        check_name("Navnet", name)
    if password is not None:
        _check_password(password)
    user = _get(session, email)
    if user is None:
        user = User(email=normalise_email(email), name=name, failed_logins=0, created_at=now())
        session.add(user)
        session.flush()
    if password is not None:
        user.password_hash = _HASHER.hash(password)
        end_user_sessions(session, user.id, EndReason.PASSWORD)
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
    session.execute(delete(AppSession).where(AppSession.user_id == user.id))
    session.delete(user)
    audit(session, actor, AuditAction.USER_REMOVE, user.email)


def remove_role(session: Session, email: str, role: str, *, actor: str) -> UserInfo:
    """Take one role from a user. The user's open sessions end at once (a new login gets the
    remaining roles). The last role is not removed (delete the user instead), and an
    administrator does not remove their own administrator role."""
    user = _get(session, email)
    if user is None:
        raise UserFacingError(f"Der findes ingen bruger med e-mail {email}.", title="Ukendt bruger")
    held = _roles(session, user)
    label = ROLE_LABELS.get(role, role)
    if role not in held:
        raise UserFacingError(
            f"{user.email} har ikke rollen {label}.", title="Rollen findes ikke hos brugeren"
        )
    if held == {role}:
        raise UserFacingError(
            f"{label} er den eneste rolle, {user.email} har. Slet brugeren i stedet.",
            title="Sidste rolle",
        )
    if role == Role.ADMIN and user.email == actor.strip().lower():
        raise UserFacingError(
            "Du kan ikke fjerne din egen administratorrolle; bed en anden administrator om det.",
            title="Egen administratorrolle",
        )
    session.execute(delete(UserRole).where(UserRole.user_id == user.id, UserRole.role == role))
    end_user_sessions(session, user.id, EndReason.ROLE)
    session.flush()
    audit(session, actor, AuditAction.ROLE_REMOVE, user.email, role=role)
    return _info(session, user)


def unlock_user(session: Session, email: str, *, actor: str) -> None:
    """Lift a lock-out after too many wrong passwords (and reset the count of failures)."""
    user = _get(session, email)
    if user is None:
        raise UserFacingError(f"Der findes ingen bruger med e-mail {email}.", title="Ukendt bruger")
    user.failed_logins = 0
    user.locked_until = None
    audit(session, actor, AuditAction.ACCOUNT_UNLOCKED, user.email)


def is_locked(info: UserInfo, at: datetime | None = None) -> bool:
    """Whether the account is locked now (a lock-out that has run out does not count)."""
    until = _aware(info.locked_until)
    return until is not None and until > (at or now())


def set_password(session: Session, email: str, password: str, *, actor: str) -> None:
    _check_password(password)
    user = _get(session, email)
    if user is None:
        raise UserFacingError(f"Der findes ingen bruger med e-mail {email}.", title="Ukendt bruger")
    user.password_hash = _HASHER.hash(password)
    end_user_sessions(session, user.id, EndReason.PASSWORD)
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


def _locked_message() -> LoginError:
    return LoginError(
        "Kontoen er midlertidigt låst efter for mange forkerte forsøg. Prøv igen om lidt, "
        "eller bed en administrator om at nulstille adgangskoden."
    )


def _free(at: datetime) -> ColumnElement[bool]:
    return or_(User.locked_until.is_(None), User.locked_until <= at)


def _count_failure(session: Session, user_id: int, at: datetime) -> tuple[int, bool] | None:
    """One atomic ``UPDATE … RETURNING``: count a wrong password and lock the account when the
    count reaches MAX_FAILED_LOGINS. None when the account is locked (also by an attempt that
    finished while this one was checking its password): the attempt is not counted."""
    reaches = User.failed_logins + 1 >= MAX_FAILED_LOGINS
    statement = (
        update(User)
        .where(User.id == user_id, _free(at))
        .values(
            failed_logins=case((reaches, 0), else_=User.failed_logins + 1),
            # Not reached: no lock (an expired one is cleared), so a set value means "locked now".
            locked_until=case(
                (reaches, literal(at + LOCK_DURATION, User.locked_until.type)), else_=null()
            ),
        )
        .returning(User.failed_logins, User.locked_until)
    )
    row = session.execute(statement, execution_options={"synchronize_session": False}).first()
    return None if row is None else (int(row[0]), row[1] is not None)


def _clear_failures(session: Session, user_id: int, at: datetime) -> bool:
    """Reset the count after the right password, unless the account got locked meanwhile."""
    statement = (
        update(User)
        .where(User.id == user_id, _free(at))
        .values(failed_logins=0, locked_until=None)
        .returning(User.id)
    )
    return (
        session.execute(statement, execution_options={"synchronize_session": False}).first()
        is not None
    )


def login(engine: Engine, email: str, password: str, *, at: datetime | None = None) -> UserInfo:
    """Check a login; failed attempts are kept (counter, audit).

    Unknown user and wrong password get the same message; after MAX_FAILED_LOGINS failures in
    a row the account is locked for LOCK_DURATION. The slow password check runs outside any
    transaction; the failure count is then changed by one atomic statement that also refuses
    an attempt when the account was locked in the meantime, so N wrong attempts at once lock
    the account exactly as N in a row do.
    """
    at = at or now()
    wrong = LoginError("Forkert e-mail eller adgangskode.")
    with Session(engine) as session:
        try:
            user = _get(session, email)
        except UserFacingError:
            user = None
        if user is None or user.password_hash is None:
            audit(session, _actor(email), AuditAction.LOGIN_FAILED, None, reason="ukendt bruger")
            session.commit()
            raise wrong
        user_id, user_email, stored_hash = user.id, user.email, user.password_hash
        locked_until = _aware(user.locked_until)
        if locked_until is not None and locked_until > at:
            audit(session, user_email, AuditAction.LOGIN_FAILED, None, reason="låst")
            session.commit()
            raise _locked_message()
        session.rollback()  # no transaction is held during the password check
        try:
            _HASHER.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError) as exc:
            counted = _count_failure(session, user_id, at)
            if counted is None:
                audit(session, user_email, AuditAction.LOGIN_FAILED, None, reason="låst")
                session.commit()
                raise _locked_message() from exc
            if counted[1]:  # locked now: its open sessions end too
                end_user_sessions(session, user_id, EndReason.LOCKED)
                audit(session, user_email, AuditAction.ACCOUNT_LOCKED, None)
            audit(session, user_email, AuditAction.LOGIN_FAILED, None, reason="forkert adgangskode")
            session.commit()
            raise wrong from exc
        if not _clear_failures(session, user_id, at):
            audit(session, user_email, AuditAction.LOGIN_FAILED, None, reason="låst")
            session.commit()
            raise _locked_message()
        user = session.get(User, user_id, populate_existing=True)
        assert user is not None
        if _HASHER.check_needs_rehash(stored_hash):
            user.password_hash = _HASHER.hash(password)
        audit(session, user_email, AuditAction.LOGIN, None, method="lokal")
        info = _info(session, user)
        session.commit()
        return info


def _actor(email: str) -> str:
    """An attempted e-mail as the audit log's actor: printable and at most 255 characters."""
    return "".join(ch for ch in email.strip().lower() if ch.isprintable())[:255] or "(tom)"
