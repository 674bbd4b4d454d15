"""Hand-kept records: activity status, the director's comments, Mål 6 control-group figures.

Each is an append-only history; the newest entry is the current one (and the as-of view takes
the newest entry dated up to the as-of quarter).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from data.audit import AuditAction, audit, now
from data.errors import UserFacingError
from data.limits import check_free_text, check_name
from data.schema import ActivityStatus, ControlGroupResult, GoalComment
from expectations.schema import INDSATS_STATUS


def record_activity(
    session: Session,
    *,
    erhvervshus: str,
    year: int,
    goal: int,
    activity_id: str,
    status: str,
    status_date: date,
    changed_by: str,
    evidence: str | None = None,
    comment: str | None = None,
) -> ActivityStatus:
    if status not in INDSATS_STATUS:
        raise UserFacingError(
            f"Status '{status}' er ukendt. Brug en af: {', '.join(INDSATS_STATUS)}."
        )
    check_name("Indsatsens id", activity_id, limit=80)
    evidence = check_free_text("Dokumentationen", evidence)
    comment = check_free_text("Kommentaren", comment)
    row = ActivityStatus(
        erhvervshus=erhvervshus,
        year=year,
        goal=goal,
        activity_id=activity_id,
        status=status,
        status_date=status_date,
        evidence=evidence,
        comment=comment,
        changed_by=changed_by,
        changed_at=now(),
    )
    session.add(row)
    audit(
        session,
        changed_by,
        AuditAction.ACTIVITY,
        f"{year}:{activity_id}",
        status=status,
        date=status_date,
    )
    return row


def record_comment(
    session: Session, *, erhvervshus: str, year: int, goal: int, text: str, author: str
) -> GoalComment:
    text = text.strip()
    if not text:
        raise UserFacingError("Kommentaren er tom.")
    check_free_text("Kommentaren", text)
    row = GoalComment(
        erhvervshus=erhvervshus, year=year, goal=goal, text=text, author=author, created_at=now()
    )
    session.add(row)
    audit(session, author, AuditAction.COMMENT, f"{year}:mål {goal}", length=len(text))
    return row


def record_control_group(
    session: Session,
    *,
    erhvervshus: str,
    year: int,
    revenue_pp: float | None,
    employment_pp: float | None,
    productivity_effect: float | None,
    source: str,
    entered_by: str,
) -> ControlGroupResult:
    if not source.strip():
        raise UserFacingError(
            "Angiv kilden til kontrolgruppetallene (fx Erhvervsstyrelsens notat)."
        )
    check_free_text("Kilden", source)
    row = ControlGroupResult(
        erhvervshus=erhvervshus,
        year=year,
        revenue_pp=revenue_pp,
        employment_pp=employment_pp,
        productivity_effect=productivity_effect,
        source=source.strip(),
        entered_by=entered_by,
        entered_at=now(),
    )
    session.add(row)
    audit(session, entered_by, AuditAction.CONTROL_GROUP, str(year), source=source)
    return row
