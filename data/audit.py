"""The audit log: who did what, when. Written in the same transaction as the change itself."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import polars as pl
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.schema import AuditLog
from data.value_limits import check_name


class AuditAction(StrEnum):
    """What an audit entry records; the value is what ``audit_log.action`` holds."""

    UPLOAD = "upload"
    UPLOAD_REPLACE = "upload_replace"  # a new file took the place of the active one
    UPLOAD_REJECTED = "upload_rejected"
    RESTORE = "restore"
    WITHDRAW = "withdraw"
    ACTIVITY = "activity"  # an activity's status set
    COMMENT = "comment"  # the director's comment on a goal
    CONTROL_GROUP = "control_group"  # Mål 6 control-group figures entered
    EXPORT = "export"  # the annual report exported
    USER_ADD = "user_add"
    USER_REMOVE = "user_remove"
    ROLE_REMOVE = "role_remove"  # one role taken from a user; the user's sessions end
    ACCOUNT_UNLOCKED = "account_unlocked"  # a lock-out lifted by an administrator
    PASSWORD_SET = "password_set"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"
    LOGOUT = "logout"


def now() -> datetime:
    return datetime.now(UTC)


def audit(
    session: Session,
    actor: str,
    action: AuditAction,
    target: str | None = None,
    **details: Any,
) -> None:
    check_name("Brugernavnet", actor)  # who acts is a name like any other: no NUL, ≤ 255
    session.add(
        AuditLog(
            at=now(),
            actor=actor,
            action=action,
            target=target,
            details=json.dumps(details, ensure_ascii=False, default=str) if details else None,
        )
    )


AUDIT_SCHEMA: dict[str, Any] = {
    "id": pl.Int64,
    "at": pl.Datetime("us", "UTC"),
    "actor": pl.String,
    "action": pl.String,
    "target": pl.String,
    "details": pl.String,
}


def list_audit(
    engine: Engine,
    *,
    actions: Sequence[str] = (),
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 5000,
) -> pl.DataFrame:
    """The newest audit entries first, filtered by action, actor (substring) and time."""
    query = select(
        AuditLog.id, AuditLog.at, AuditLog.actor, AuditLog.action, AuditLog.target, AuditLog.details
    )
    if actions:
        query = query.where(AuditLog.action.in_(list(actions)))
    if actor:
        query = query.where(AuditLog.actor.ilike(f"%{actor.strip()}%"))
    if since is not None:
        query = query.where(AuditLog.at >= since)
    if until is not None:
        query = query.where(AuditLog.at < until)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(AuditLog.id.desc()).limit(limit)).all()
    fixed = [(r[0], r[1] if r[1].tzinfo else r[1].replace(tzinfo=UTC), *r[2:]) for r in rows]
    return pl.DataFrame(fixed, schema=AUDIT_SCHEMA, orient="row")


def audit_actions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(select(AuditLog.action).distinct().order_by(AuditLog.action)).scalars()
        )
