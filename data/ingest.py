"""Ingest one uploaded file: validate everything first, then store it in one transaction.

- A rejected file is kept in quarantine (a ``rejected`` batch with its bytes and report);
  nothing is written to the data tables.
- The same bytes again for the same kind and period change nothing and say so.
- A new file for a kind and period replaces the active batch; the old one stays in history.
- Two uploads for the same kind and period at the same time cannot both become active: the
  database's partial unique index refuses the second, which is reported in Danish.
- A file over the size cap (:data:`data.limits.MAX_FILE_BYTES`, the browser's cap too) is
  refused; the quarantine keeps at most that many of its bytes.
Every load, rejection, replacement and restore is written to the audit log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

import polars as pl
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.audit import AuditAction, audit, now
from data.batch_ids import ID_COLUMNS, DuplicateIdError
from data.batches import sha256, store_batch
from data.db import session_factory
from data.errors import UserFacingError
from data.limits import MAX_FILE_BYTES, FileTooLarge, check_file_size
from data.preview import UploadPreview, parse_period, preview_upload
from data.reference import DEFAULT_ERHVERVSHUS, erhvervshus
from data.schema import Batch, BatchStatus
from data.value_limits import check_name, stored_filename
from expectations.report import CellProblem, ValidationReport
from expectations.schema import Kind

__all__ = ["ConcurrentUploadError", "IngestResult", "Outcome", "ingest", "parse_period"]


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
    check_name("Brugernavnet", user)
    preview = preview_upload(
        engine,
        kind=kind,
        content=content,
        filename=filename,
        period=period,
        house_key=house_key,
        activity_ids=activity_ids,
    )
    return store_preview(engine, preview, content=content, user=user, house_key=house_key)


def quarantine_oversized(
    engine: Engine,
    *,
    kind: Kind,
    head: bytes,
    size: int,
    filename: str,
    period: str,
    user: str,
    house_key: str = DEFAULT_ERHVERVSHUS,
) -> IngestResult:
    """Refuse a file of ``size`` bytes over the cap without reading it all: ``head`` (its
    first :data:`MAX_FILE_BYTES` bytes) is what the quarantine keeps."""
    try:
        check_file_size(size)
    except FileTooLarge as exc:
        problem = CellProblem("fil.for_stor", exc.message)
    else:
        raise ValueError("The file is within the size cap; ingest it instead.")
    report = ValidationReport.from_problems([problem], rows_read=0)
    house = erhvervshus(house_key)
    year, quarter = parse_period(period, kind)
    period = f"{year}Q{quarter}"
    return _quarantine(
        session_factory(engine)(), house.key, kind, period, filename, head, user, report
    )


def store_preview(
    engine: Engine,
    preview: UploadPreview,
    *,
    content: bytes,
    user: str,
    house_key: str = DEFAULT_ERHVERVSHUS,
) -> IngestResult:
    """Store a previewed file (or quarantine it when it failed the check)."""
    if sha256(content) != preview.sha256:
        raise ValueError("The content is not the previewed file.")
    check_name("Brugernavnet", user)
    kind, period, report, frame = preview.kind, preview.period, preview.report, preview.frame
    if preview.identical:
        assert preview.current is not None
        rows = preview.current.row_count
        return IngestResult(Outcome.UNCHANGED, preview.current.id, rows, None, report)
    if preview.rejected_before is not None:  # the same bad file again: nothing new stored
        return IngestResult(Outcome.REJECTED, preview.rejected_before, 0, None, report)
    house = erhvervshus(house_key)
    factory = session_factory(engine)
    if frame is None:
        return _quarantine(
            factory(), house.key, kind, period, preview.filename, content, user, report
        )
    try:
        with factory.begin() as session:
            stored = store_batch(
                session,
                erhvervshus=house.key,
                kind=kind,
                period=period,
                filename=preview.filename,
                content=content,
                uploaded_by=user,
                frame=frame,
                encoding=preview.encoding,
            )
    except DuplicateIdError as exc:
        # Another batch holding these IDs was saved after this file's preview: refused now.
        report = _duplicate_report(exc, frame)
        return _quarantine(
            factory(), house.key, kind, period, preview.filename, content, user, report
        )
    except IntegrityError as exc:
        raise ConcurrentUploadError(
            f"En anden indlæsning af {kind} for {period} blev gemt samtidig. Se historikken og prøv igen."
        ) from exc
    outcome = Outcome.UNCHANGED if stored.unchanged else Outcome.LOADED
    return IngestResult(outcome, stored.batch_id, stored.rows, stored.replaced_batch_id, report)


def _duplicate_report(exc: DuplicateIdError, frame: pl.DataFrame) -> ValidationReport:
    """The save-time refusal as a file report: one problem per shared ID (the first
    MAX_LISTED_IDS), the rule naming the batches that hold them."""
    column = ID_COLUMNS[exc.kind]
    numbers = (
        frame["row_number"].to_list()
        if "row_number" in frame.columns
        else list(range(2, frame.height + 2))
    )
    rows = dict(zip(frame[column].to_list(), numbers, strict=True))
    holders = "; ".join(h.describe() for h in exc.holders)
    rule = f"'{exc.label}' findes allerede i den aktive {holders}"
    problems = [
        CellProblem(f"{column}.findes_allerede", rule, rows.get(i), exc.label, i) for i in exc.ids
    ]
    return ValidationReport.from_problems(problems, rows_read=frame.height)


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
            filename=stored_filename(filename),
            uploaded_by=user,
            uploaded_at=now(),
            sha256=sha256(content),
            content=content[:MAX_FILE_BYTES],
            encoding=None,
            row_count=report.rows_read,
            status=BatchStatus.REJECTED,
            report=json.dumps(report.to_dict(), ensure_ascii=False),
        )
        session.add(batch)
        session.flush()
        audit(
            session,
            user,
            AuditAction.UPLOAD_REJECTED,
            f"batch:{batch.id}",
            kind=str(kind),
            period=period,
            filename=filename,
            problems=report.problem_count,
        )
        batch_id = batch.id
    session.close()
    return IngestResult(Outcome.REJECTED, batch_id, 0, None, report)
