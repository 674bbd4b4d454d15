"""Hand-kept records: activity status, the director's comments, Mål 6 control-group figures.

Each is an append-only history; the newest entry is the current one (and the as-of view takes
the newest entry dated up to the as-of quarter).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.audit import AuditAction, audit, now
from data.errors import UserFacingError
from data.schema import ActivityStatus, Batch, BatchStatus, ControlGroupResult, GoalComment
from data.value_limits import check_free_text, check_name
from expectations.schema import INDSATS_STATUS


def current_activity(
    session: Session, *, erhvervshus: str, year: int, activity_id: str
) -> ActivityStatus | None:
    """The entry in force: the newest kept in the app or imported by an active batch."""
    return session.scalars(
        select(ActivityStatus)
        .outerjoin(Batch, ActivityStatus.batch_id == Batch.id)
        .where(
            ActivityStatus.erhvervshus == erhvervshus,
            ActivityStatus.year == year,
            ActivityStatus.activity_id == activity_id,
            ActivityStatus.batch_id.is_(None) | (Batch.status == BatchStatus.ACTIVE),
        )
        .order_by(ActivityStatus.id.desc())
        .limit(1)
    ).one_or_none()


def record_activity(
    session: Session,
    *,
    erhvervshus: str,
    year: int,
    goal: int,
    activity_id: str,
    status: str,
    status_date: date | None,
    changed_by: str,
    evidence: str | None = None,
    comment: str | None = None,
) -> ActivityStatus:
    """Save an activity's status, evidence and comment.

    The date a status applies from moves only when the status changes: a save that keeps the
    status (a new comment, a link) keeps the date of the entry in force, so the quarter
    history is not rewritten. A changed status needs ``status_date`` within ``year``.
    """
    if status not in INDSATS_STATUS:
        raise UserFacingError(
            f"Status '{status}' er ukendt. Brug en af: {', '.join(INDSATS_STATUS)}."
        )
    check_name("Indsatsens id", activity_id, limit=80)
    evidence = check_free_text("Dokumentationen", evidence)
    comment = check_free_text("Kommentaren", comment)
    before = current_activity(session, erhvervshus=erhvervshus, year=year, activity_id=activity_id)
    if before is not None and before.status == status:
        status_date = before.status_date
    elif status_date is None:
        raise UserFacingError(f"Angiv datoen, som status '{status}' gælder fra.")
    elif status_date.year != year:
        raise UserFacingError(
            f"Datoen {status_date:%d-%m-%Y} ligger ikke i kontraktåret {year}; "
            f"vælg en dato mellem 01-01-{year} og 31-12-{year}."
        )
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
        old_status=before.status if before else None,
        old_date=before.status_date if before else None,
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
    before = session.scalars(
        select(ControlGroupResult)
        .where(ControlGroupResult.erhvervshus == erhvervshus, ControlGroupResult.year == year)
        .order_by(ControlGroupResult.id.desc())
        .limit(1)
    ).one_or_none()
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
    audit(
        session,
        entered_by,
        AuditAction.CONTROL_GROUP,
        str(year),
        old=_figures(before) if before is not None else None,
        new=_figures(row),
    )
    return row


def _figures(row: ControlGroupResult) -> dict[str, float | str | None]:
    return {
        "revenue_pp": row.revenue_pp,
        "employment_pp": row.employment_pp,
        "productivity_effect": row.productivity_effect,
        "source": row.source,
    }
