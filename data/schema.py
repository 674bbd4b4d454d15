"""The database schema (SQLAlchemy 2 typed ORM). Alembic migrations in ``data/migrations``.

Upload batches keep the original bytes and checksum; each export kind's rows point to their
batch. Only rows of *active* batches count in the figures. Activity status, comments and
control-group figures are append-only histories: the latest entry (dated up to the as-of
quarter) is the current one.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class BatchStatus(StrEnum):
    """A batch's status as stored in ``batch.status``; only active batches count."""

    ACTIVE = "active"
    REPLACED = "replaced"  # a newer file for the same kind and period took its place
    REJECTED = "rejected"  # failed the checks; kept with its error report, never counted
    WITHDRAWN = "withdrawn"  # taken out by hand


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Batch(Base):
    """One uploaded file for one kind and period."""

    __tablename__ = "batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    erhvervshus: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30))
    period: Mapped[str] = mapped_column(String(6))  # "2022Q3"
    filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[str] = mapped_column(String(255))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    encoding: Mapped[str | None] = mapped_column(String(30))
    row_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    report: Mapped[str | None] = mapped_column(Text)  # JSON validation report (rejected files)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"))

    __table_args__ = (
        # At most one active batch per house, kind and period, also under concurrent uploads.
        Index(
            "uq_batch_active_period",
            "erhvervshus",
            "kind",
            "period",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_batch_sha", "erhvervshus", "kind", "period", "sha256"),
    )


class ForloebRow(Base):
    __tablename__ = "forloeb"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    forloeb_id: Mapped[str] = mapped_column(String(80), index=True)  # checked across batches
    cvr: Mapped[str] = mapped_column(String(8))
    virksomhed: Mapped[str | None] = mapped_column(String(255))
    kommunekode: Mapped[int] = mapped_column(SmallInteger)
    kategori: Mapped[str] = mapped_column(String(40))
    fagomraade: Mapped[str] = mapped_column(String(60))
    startdato: Mapped[date] = mapped_column(Date)
    slutdato: Mapped[date | None] = mapped_column(Date)
    henvist_fra: Mapped[str | None] = mapped_column(String(255))
    henvist_til_ekstern: Mapped[bool] = mapped_column(Boolean)


class BrugerevalueringRow(Base):
    __tablename__ = "brugerevaluering"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    svar_id: Mapped[str] = mapped_column(String(80), index=True)  # checked across batches
    cvr: Mapped[str] = mapped_column(String(8))
    kommunekode: Mapped[int] = mapped_column(SmallInteger)
    segment: Mapped[str] = mapped_column(String(10))
    besvarelsesdato: Mapped[date] = mapped_column(Date)
    tilfredshed: Mapped[str | None] = mapped_column(String(30))
    anbefaling: Mapped[int | None] = mapped_column(SmallInteger)
    forventet_effekt: Mapped[str | None] = mapped_column(String(30))
    digitaliseringsvejledning: Mapped[bool] = mapped_column(Boolean)
    modtaget_henvisning: Mapped[bool] = mapped_column(Boolean)
    benyttet_henvisning: Mapped[bool | None] = mapped_column(Boolean)


class KendskabRow(Base):
    __tablename__ = "kendskab"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    respondent_id: Mapped[str] = mapped_column(String(80), index=True)  # checked across batches
    kommunekode: Mapped[int] = mapped_column(SmallInteger)
    maaleaar: Mapped[int] = mapped_column(SmallInteger)
    kender_erhvervshuset: Mapped[bool] = mapped_column(Boolean)
    kender_groenne_ydelser: Mapped[bool | None] = mapped_column(Boolean)
    vaegt: Mapped[float | None] = mapped_column(Float)


class ActivityStatus(Base):
    """Status history of one contract activity (indsats) in one year."""

    __tablename__ = "activity_status"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    erhvervshus: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(SmallInteger)
    goal: Mapped[int] = mapped_column(SmallInteger)
    activity_id: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))  # Ikke startet | I gang | Gennemført
    status_date: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(255))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"))

    __table_args__ = (Index("ix_activity_year", "erhvervshus", "year", "activity_id"),)


class GoalComment(Base):
    """The director's narrative per goal and year (history; latest is shown)."""

    __tablename__ = "goal_comment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    erhvervshus: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(SmallInteger)
    goal: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ControlGroupResult(Base):
    """Mål 6: the Danish Business Authority's control-group results for a cohort year."""

    __tablename__ = "control_group_result"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    erhvervshus: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(SmallInteger)  # the year the companies were guided
    revenue_pp: Mapped[float | None] = mapped_column(Float)  # vækst: extra revenue growth, pp
    employment_pp: Mapped[float | None] = mapped_column(Float)  # vækst: extra employment, pp
    productivity_effect: Mapped[float | None] = mapped_column(Float)  # drift: productivity, pct
    source: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(255))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str | None] = mapped_column(String(255))  # argon2; None for OIDC-only
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserRole(Base):
    __tablename__ = "user_role"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class AppSession(Base):
    """A login session: the cookie carries a random token, this row only its SHA-256 hash.

    The row is made at login with a one-time hand-over token (``handoff_hash``) that the
    browser trades for the cookie; ``roles`` and ``password_stamp`` are what held at login, so
    a removed role or a new password ends the session.
    """

    __tablename__ = "app_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    roles: Mapped[str] = mapped_column(String(255))  # comma-separated, sorted
    password_stamp: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_reason: Mapped[str | None] = mapped_column(String(20))


class AppSecret(Base):
    """Server-side secrets made at first use (the session cookie's signing key)."""

    __tablename__ = "app_secret"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[str | None] = mapped_column(Text)  # JSON


__all__ = [
    "ActivityStatus",
    "AppSecret",
    "AppSession",
    "AuditLog",
    "Base",
    "Batch",
    "BatchStatus",
    "BrugerevalueringRow",
    "ControlGroupResult",
    "ForloebRow",
    "GoalComment",
    "KendskabRow",
    "User",
    "UserRole",
]
