"""Ingest one uploaded file: validate everything first, then store it in one transaction.

- A rejected file is kept in quarantine (a ``rejected`` batch with its bytes and report);
  nothing is written to the data tables.
- The same bytes again for the same kind and period change nothing and say so.
- A new file for a kind and period replaces the active batch; the old one stays in history.
- Two uploads for the same kind and period at the same time cannot both become active: the
  database's partial unique index refuses the second, which is reported in Danish.
Every load, rejection, replacement and restore is written to the audit log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.audit import audit, now
from data.batches import ROW_MODELS, active_batch, sha256, store_batch
from data.db import session_factory
from data.errors import PeriodError, UserFacingError
from data.periods import Quarter
from data.reference import DEFAULT_ERHVERVSHUS, erhvervshus
from data.schema import BATCH_ACTIVE, BATCH_REJECTED, Batch
from data.upload_check import check_file
from expectations.report import ValidationReport
from expectations.schema import Kind

ID_COLUMNS = {
    Kind.FORLOEB: "forloeb_id",
    Kind.BRUGEREVALUERING: "svar_id",
    Kind.KENDSKAB: "respondent_id",
}
AUTUMN_QUARTERS = (3, 4)


class Outcome(StrEnum):
    LOADED = "loaded"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class IngestResult:
    outcome: Outcome
    batch_id: int | None
    rows: int
    replaced_batch_id: int | None
    report: ValidationReport

    def summary(self, kind: Kind, period: str) -> str:
        """A short Danish summary for the CLI and the upload page."""
        if self.outcome is Outcome.UNCHANGED:
            return (
                f"Filen er identisk med den aktive indlæsning {self.batch_id} for {kind} {period}; "
                "intet er ændret."
            )
        if self.outcome is Outcome.REJECTED:
            return (
                f"Filen blev afvist og er lagt i karantæne (indlæsning {self.batch_id}).\n"
                + self.report.to_text()
            )
        replaced = (
            f" Den erstatter indlæsning {self.replaced_batch_id}." if self.replaced_batch_id else ""
        )
        return f"Indlæst: {self.rows} rækker som indlæsning {self.batch_id} ({kind}, {period}).{replaced}"


class ConcurrentUploadError(UserFacingError):
    title = "Samtidig indlæsning"


def parse_period(period: str, kind: Kind) -> tuple[int, int]:
    text = period.strip().upper()
    if len(text) != 6 or text[4] != "Q" or not text[:4].isdigit() or text[5] not in "1234":
        raise PeriodError(f"Perioden '{period}' kan ikke læses. Skriv år og kvartal som 2022Q3.")
    year, q = int(text[:4]), int(text[5])
    if kind is Kind.KENDSKAB and q not in AUTUMN_QUARTERS:
        raise PeriodError(
            f"Kendskabsmålingen foretages om efteråret: vælg {year}Q3 eller {year}Q4, ikke {text}."
        )
    return year, q


def ingest(
    engine: Engine,
    *,
    kind: Kind,
    content: bytes,
    filename: str,
    period: str,
    user: str,
    house_key: str = DEFAULT_ERHVERVSHUS,
    activity_ids: frozenset[str] | None = None,
) -> IngestResult:
    """Validate ``content`` as ``kind`` for ``period`` and store it, or quarantine it.

    ``activity_ids`` are the contract's activity ids of the period's year (for ``indsatser``).
    """
    year, q = parse_period(period, kind)
    quarter = Quarter(year, q)
    period = str(quarter)
    house = erhvervshus(house_key)
    digest = sha256(content)
    factory = session_factory(engine)
    with factory() as session:
        current = active_batch(session, house.key, kind, period)
        if current is not None and current.sha256 == digest:
            return IngestResult(
                Outcome.UNCHANGED,
                current.id,
                current.row_count,
                None,
                ValidationReport(True, current.row_count),
            )
        rejected = _rejected_before(session, house.key, kind, period, digest)
        if rejected is not None:  # the same bad file again: its report, nothing new stored
            report = ValidationReport.from_dict(json.loads(rejected.report or "{}"))
            return IngestResult(Outcome.REJECTED, rejected.id, 0, None, report)
        existing = _ids_in_other_batches(session, house.key, kind, period)
    frame, report = check_file(
        content,
        filename,
        kind,
        kommuner=house.codes,
        period_start=quarter.start,
        period_end=quarter.end,
        existing_ids=existing,
        maaleaar=year if kind is Kind.KENDSKAB else None,
        activity_ids=activity_ids,
    )
    if frame is None:
        return _quarantine(factory(), house.key, kind, period, filename, content, user, report)
    try:
        with factory.begin() as session:
            stored = store_batch(
                session,
                erhvervshus=house.key,
                kind=kind,
                period=period,
                filename=filename,
                content=content,
                uploaded_by=user,
                frame=frame,
                encoding=None,
            )
    except IntegrityError as exc:
        raise ConcurrentUploadError(
            f"En anden indlæsning af {kind} for {period} blev gemt samtidig. Se historikken og prøv igen."
        ) from exc
    outcome = Outcome.UNCHANGED if stored.unchanged else Outcome.LOADED
    return IngestResult(outcome, stored.batch_id, stored.rows, stored.replaced_batch_id, report)


def _ids_in_other_batches(
    session: Session, house_key: str, kind: Kind, period: str
) -> frozenset[str]:
    """IDs of the kind in the other active batches (the batch being replaced does not count)."""
    if kind not in ID_COLUMNS:
        return frozenset()
    model = ROW_MODELS[kind]
    column = getattr(model, ID_COLUMNS[kind])
    rows = session.scalars(
        select(column)
        .join(Batch, model.batch_id == Batch.id)  # type: ignore[attr-defined]
        .where(
            Batch.erhvervshus == house_key,
            Batch.kind == str(kind),
            Batch.status == BATCH_ACTIVE,
            Batch.period != period,
        )
    )
    return frozenset(rows)


def _rejected_before(
    session: Session, house_key: str, kind: Kind, period: str, digest: str
) -> Batch | None:
    return session.scalars(
        select(Batch)
        .where(
            Batch.erhvervshus == house_key,
            Batch.kind == str(kind),
            Batch.period == period,
            Batch.sha256 == digest,
            Batch.status == BATCH_REJECTED,
        )
        .order_by(Batch.id.desc())
        .limit(1)
    ).one_or_none()


def _quarantine(
    session: Session,
    house_key: str,
    kind: Kind,
    period: str,
    filename: str,
    content: bytes,
    user: str,
    report: ValidationReport,
) -> IngestResult:
    with session.begin():
        batch = Batch(
            erhvervshus=house_key,
            kind=str(kind),
            period=period,
            filename=filename[:255],
            uploaded_by=user,
            uploaded_at=now(),
            sha256=sha256(content),
            content=content,
            encoding=None,
            row_count=report.rows_read,
            status=BATCH_REJECTED,
            report=json.dumps(report.to_dict(), ensure_ascii=False),
        )
        session.add(batch)
        session.flush()
        audit(
            session,
            user,
            "upload_rejected",
            f"batch:{batch.id}",
            kind=str(kind),
            period=period,
            filename=filename,
            problems=report.problem_count,
        )
        batch_id = batch.id
    session.close()
    return IngestResult(Outcome.REJECTED, batch_id, 0, None, report)
