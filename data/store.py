"""Reading what the figures are computed from: rows of active batches and the kept records.

Returns Polars DataFrames with explicit schemas (the KPI engine's inputs). One query per table.

CVR numbers are stored as the 8-digit text of the upload (the upload checks the format and the
modulus-11 digit) and handed to the engine as integers (:data:`CVR_DTYPE`): grouping a million
courses by an integer costs half of grouping them by text. The conversion is exact — every value
must come back as the same text (:func:`cvr_text`), else loading fails (:func:`with_cvr_numbers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
from sqlalchemy import Engine, func, select

from data.errors import UserFacingError
from data.periods import Quarter
from data.schema import (
    ActivityStatus,
    Batch,
    BatchStatus,
    BrugerevalueringRow,
    ControlGroupResult,
    ForloebRow,
    GoalComment,
    KendskabRow,
)

CVR_DTYPE = pl.UInt32  # 8 digits: at most 99 999 999
CVR_DIGITS = 8

FORLOEB_SCHEMA: dict[str, Any] = {
    "forloeb_id": pl.String,
    "cvr": CVR_DTYPE,
    "virksomhed": pl.String,
    "kommunekode": pl.Int32,
    "kategori": pl.String,
    "fagomraade": pl.String,
    "startdato": pl.Date,
    "slutdato": pl.Date,
    "henvist_fra": pl.String,
    "henvist_til_ekstern": pl.Boolean,
}
EVALUERING_SCHEMA: dict[str, Any] = {
    "svar_id": pl.String,
    "cvr": CVR_DTYPE,
    "kommunekode": pl.Int32,
    "segment": pl.String,
    "besvarelsesdato": pl.Date,
    "tilfredshed": pl.String,
    "anbefaling": pl.Int32,
    "forventet_effekt": pl.String,
    "digitaliseringsvejledning": pl.Boolean,
    "modtaget_henvisning": pl.Boolean,
    "benyttet_henvisning": pl.Boolean,
}
KENDSKAB_SCHEMA: dict[str, Any] = {
    "respondent_id": pl.String,
    "kommunekode": pl.Int32,
    "maaleaar": pl.Int32,
    "kender_erhvervshuset": pl.Boolean,
    "kender_groenne_ydelser": pl.Boolean,
    "vaegt": pl.Float64,
    "maaledato": pl.Date,  # end of the batch's period: when the measurement was known
}
ACTIVITY_SCHEMA: dict[str, Any] = {
    "year": pl.Int32,
    "goal": pl.Int32,
    "activity_id": pl.String,
    "status": pl.String,
    "status_date": pl.Date,
    "evidence": pl.String,
    "comment": pl.String,
    "changed_by": pl.String,
    "changed_at": pl.Datetime("us", "UTC"),
}
CONTROL_GROUP_SCHEMA: dict[str, Any] = {
    "year": pl.Int32,
    "revenue_pp": pl.Float64,
    "employment_pp": pl.Float64,
    "productivity_effect": pl.Float64,
    "source": pl.String,
    "entered_by": pl.String,
    "entered_date": pl.Date,
}


class StoredCvrError(UserFacingError):
    """A stored CVR that is not 8 digits: the engine's integer would not give it back."""

    title = "Ugyldigt CVR-nummer i de gemte data"


def cvr_text(cvr: pl.Expr) -> pl.Expr:
    """The 8-digit text of an integer CVR (zero-padded), as uploaded and shown."""
    return cvr.cast(pl.String).str.zfill(CVR_DIGITS)


def as_stored(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with ``cvr`` as the text it is stored and uploaded as."""
    return {name: pl.String if name == "cvr" else dtype for name, dtype in schema.items()}


def with_cvr_numbers(frame: pl.DataFrame, *, source: str) -> pl.DataFrame:
    """``frame`` with its text ``cvr`` as :data:`CVR_DTYPE`; raises :class:`StoredCvrError`
    when a value (or a blank) would not come back as the same text, so two different texts can
    never become one company and no value becomes null."""
    text = pl.col("cvr")
    number = text.cast(CVR_DTYPE, strict=False)
    exact = (text.str.len_bytes() == CVR_DIGITS) & (cvr_text(number) == text)
    bad = frame.filter(number.is_null() | ~exact)
    if bad.height:
        first = bad["cvr"][0]
        shown = "tom" if first is None else f"'{first}'"
        raise StoredCvrError(
            f"{bad.height} række(r) i {source} har et CVR-nummer, der ikke er 8 cifre "
            f"(første: {shown}). Tallene kan ikke beregnes, før rækkerne er rettet."
        )
    return frame.with_columns(number.alias("cvr"))


@dataclass(frozen=True, slots=True)
class StoredData:
    """Everything the KPI engine reads, for one Erhvervshus."""

    forloeb: pl.DataFrame
    brugerevaluering: pl.DataFrame
    kendskab: pl.DataFrame
    activities: pl.DataFrame
    control_group: pl.DataFrame


def _frame(rows: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def _period_end(period: str) -> date:
    return Quarter.parse(period).end


def load_stored_data(
    engine: Engine,
    erhvervshus: str,
    *,
    exclude_batch: int | None = None,
    include_batch: int | None = None,
) -> StoredData:
    """Rows of the active batches; ``exclude_batch`` leaves one batch out (upload preview),
    ``include_batch`` counts one that is not active (the preview of a restore)."""
    counted = Batch.status == BatchStatus.ACTIVE
    if include_batch is not None:
        counted = counted | (Batch.id == include_batch)
    active = counted & (Batch.erhvervshus == erhvervshus)
    if exclude_batch is not None:
        active = active & (Batch.id != exclude_batch)
    with engine.connect() as conn:
        f_cols = [getattr(ForloebRow, c) for c in FORLOEB_SCHEMA]
        forloeb = conn.execute(select(*f_cols).join(Batch).where(active)).all()
        e_cols = [getattr(BrugerevalueringRow, c) for c in EVALUERING_SCHEMA]
        evaluering = conn.execute(select(*e_cols).join(Batch).where(active)).all()
        k_cols = [getattr(KendskabRow, c) for c in list(KENDSKAB_SCHEMA)[:-1]]
        kendskab = conn.execute(select(*k_cols, Batch.period).join(Batch).where(active)).all()
        activities = conn.execute(
            select(*[getattr(ActivityStatus, c) for c in ACTIVITY_SCHEMA])
            .outerjoin(Batch, ActivityStatus.batch_id == Batch.id)
            # Entries kept in the app have no batch; imported ones count while their batch is active.
            .where(
                ActivityStatus.erhvervshus == erhvervshus,
                ActivityStatus.batch_id.is_(None) | active,
            )
            .order_by(ActivityStatus.id)
        ).all()
        control = conn.execute(
            select(
                *[getattr(ControlGroupResult, c) for c in list(CONTROL_GROUP_SCHEMA)[:-1]],
                ControlGroupResult.entered_at,
            )
            .where(ControlGroupResult.erhvervshus == erhvervshus)
            .order_by(ControlGroupResult.id)
        ).all()
    kendskab_rows = [(*r[:-1], _period_end(r[-1])) for r in kendskab]
    control_rows = [(*r[:-1], _as_date(r[-1])) for r in control]
    activity_rows = [(*r[:-1], _as_utc(r[-1])) for r in activities]
    return StoredData(
        forloeb=with_cvr_numbers(_frame(forloeb, as_stored(FORLOEB_SCHEMA)), source="forløb"),
        brugerevaluering=with_cvr_numbers(
            _frame(evaluering, as_stored(EVALUERING_SCHEMA)), source="brugerevalueringer"
        ),
        kendskab=_frame(kendskab_rows, KENDSKAB_SCHEMA),
        activities=_frame(activity_rows, ACTIVITY_SCHEMA),
        control_group=_frame(control_rows, CONTROL_GROUP_SCHEMA),
    )


def _as_date(value: datetime) -> date:
    return value.date()


def _as_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class BatchInfo:
    id: int
    kind: str
    period: str
    filename: str
    uploaded_by: str
    uploaded_at: datetime
    row_count: int
    status: str
    sha256: str

    @property
    def quarter(self) -> Quarter:
        """The quarter the batch covers (``period`` is stored as "2022Q3")."""
        return Quarter.parse(self.period)


def list_batches(engine: Engine, erhvervshus: str, *, active_only: bool = False) -> list[BatchInfo]:
    query = select(
        Batch.id,
        Batch.kind,
        Batch.period,
        Batch.filename,
        Batch.uploaded_by,
        Batch.uploaded_at,
        Batch.row_count,
        Batch.status,
        Batch.sha256,
    ).where(Batch.erhvervshus == erhvervshus)
    if active_only:
        query = query.where(Batch.status == BatchStatus.ACTIVE)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(Batch.kind, Batch.period, Batch.id)).all()
    return [BatchInfo(*r[:5], _as_utc(r[5]), *r[6:]) for r in rows]


DataVersion = tuple[int, int, int, int, int, int]


def data_version(engine: Engine) -> DataVersion:
    """Changes whenever anything the figures depend on changes (cache key for the UI): the
    batches (a new upload, a restore, a withdrawal) and the append-only records typed in on the
    pages (activity status, goal comments, control-group results). Logins and other audit
    entries do not change it, so a meeting's worth of logins does not empty the caches."""
    with engine.connect() as conn:
        batches = conn.execute(select(func.count(), func.max(Batch.id)).select_from(Batch)).one()
        active = conn.execute(
            select(func.coalesce(func.sum(Batch.id), 0)).where(Batch.status == BatchStatus.ACTIVE)
        ).scalar_one()
        records = conn.execute(
            select(
                select(func.coalesce(func.max(ActivityStatus.id), 0)).scalar_subquery(),
                select(func.coalesce(func.max(GoalComment.id), 0)).scalar_subquery(),
                select(func.coalesce(func.max(ControlGroupResult.id), 0)).scalar_subquery(),
            )
        ).one()
    return (
        int(batches[0]),
        int(batches[1] or 0),
        int(active),
        int(records[0]),
        int(records[1]),
        int(records[2]),
    )


def latest_comments(engine: Engine, erhvervshus: str, year: int) -> dict[int, GoalCommentView]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(GoalComment.goal, GoalComment.text, GoalComment.author, GoalComment.created_at)
            .where(GoalComment.erhvervshus == erhvervshus, GoalComment.year == year)
            .order_by(GoalComment.id)
        ).all()
    return {r[0]: GoalCommentView(r[1], r[2], _as_utc(r[3])) for r in rows}


@dataclass(frozen=True, slots=True)
class GoalCommentView:
    text: str
    author: str
    created_at: datetime


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Batch)).scalar_one() == 0


@dataclass(frozen=True, slots=True)
class StoredFile:
    """The original bytes of a batch as uploaded, and the report it was rejected with."""

    filename: str
    content: bytes
    report_json: str | None


def batch_file(engine: Engine, batch_id: int) -> StoredFile | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(Batch.filename, Batch.content, Batch.report).where(Batch.id == batch_id)
        ).one_or_none()
    return None if row is None else StoredFile(row[0], bytes(row[1]), row[2])


def active_batches_of(batches: Sequence[BatchInfo], kind: str, period: str) -> BatchInfo | None:
    """The active batch of a kind and period in a listing, if any."""
    return next(
        (
            b
            for b in batches
            if b.kind == kind and b.period == period and b.status == BatchStatus.ACTIVE
        ),
        None,
    )
