"""What an upload would do, before anything is stored (the upload page's first step).

:func:`preview_upload` runs the whole check of a file and looks up the batch it would replace;
it writes nothing. :func:`data.ingest.ingest` uses the same preview and then stores or
quarantines, so the page's preview and the stored outcome cannot disagree.
:func:`with_candidate` builds the engine's inputs as they would be after the upload, so the page
can show how the year's KPIs would move; :func:`problems_workbook` is the downloadable error list.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl
import xlsxwriter
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.batch_ids import ID_COLUMNS
from data.batches import ROW_MODELS, active_batch, sha256
from data.db import session_factory
from data.errors import PeriodError
from data.periods import Quarter
from data.reference import DEFAULT_ERHVERVSHUS, erhvervshus
from data.schema import Batch, BatchStatus
from data.store import (
    ACTIVITY_SCHEMA,
    EVALUERING_SCHEMA,
    FORLOEB_SCHEMA,
    KENDSKAB_SCHEMA,
    StoredData,
    as_stored,
    load_stored_data,
    with_cvr_numbers,
)
from data.upload_check import inspect_file
from data.value_limits import stored_filename
from expectations.report import ValidationReport
from expectations.schema import Kind

AUTUMN_QUARTERS = (3, 4)
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 med BOM",
    "windows-1252": "Windows-1252 (ANSI)",
    "xlsx": "Excel-projektmappe (XLSX)",
}
STORED_PERIOD = re.compile(r"\d{4}Q[1-4]")
SEPARATOR_LABELS = {";": "semikolon (;)", ",": "komma (,)", "\t": "tabulator"}


def parse_period(period: str, kind: Kind) -> tuple[int, int]:
    text = period.strip().upper()
    if not STORED_PERIOD.fullmatch(text):  # stored as "2022Q3" exactly
        raise PeriodError(f"Perioden '{period}' kan ikke læses. Skriv år og kvartal som 2022Q3.")
    quarter = Quarter.parse(text)
    year, q = quarter.year, quarter.q
    if kind is Kind.KENDSKAB and q not in AUTUMN_QUARTERS:
        raise PeriodError(
            f"Kendskabsmålingen foretages om efteråret: vælg {year}Q3 eller {year}Q4, ikke {text}."
        )
    return year, q


@dataclass(frozen=True, slots=True)
class ReplacedBatch:
    id: int
    filename: str
    uploaded_by: str
    uploaded_at: datetime
    row_count: int


@dataclass(frozen=True, slots=True)
class UploadPreview:
    """A checked file for one kind and period, and what storing it would change."""

    kind: Kind
    period: str
    filename: str
    sha256: str
    report: ValidationReport
    frame: pl.DataFrame | None  # typed rows; None unless the file passed every rule
    encoding: str | None
    separator: str | None
    current: ReplacedBatch | None  # the active batch of the kind and period, if any
    identical: bool  # the very same bytes are the active batch already
    rejected_before: int | None  # the same bytes were quarantined before as this batch
    date_period: str | None = None  # the quarter the file's dates point to ("2023Q3")

    @property
    def storable(self) -> bool:
        return self.frame is not None and not self.identical

    def detected_text(self) -> str:
        """'Windows-1252 (ANSI), semikolon (;)' – how the file was read."""
        if self.encoding is None:
            return "filen kunne ikke læses"
        parts = [ENCODING_LABELS.get(self.encoding, self.encoding)]
        if self.separator is not None:
            parts.append("skilletegn " + SEPARATOR_LABELS.get(self.separator, self.separator))
        return ", ".join(parts)


def preview_upload(
    engine: Engine,
    *,
    kind: Kind,
    content: bytes,
    filename: str,
    period: str,
    house_key: str = DEFAULT_ERHVERVSHUS,
    activity_ids: frozenset[str] | None = None,
) -> UploadPreview:
    """Check ``content`` as ``kind`` for ``period`` and find what it would replace; no writes.

    ``activity_ids`` are the contract's activity ids of the period's year (for ``indsatser``).
    A file identical to the active batch or to a quarantined one is not checked again.
    """
    year, q = parse_period(period, kind)
    filename = stored_filename(filename)  # as it will be stored and shown
    quarter = Quarter(year, q)
    period = str(quarter)
    house = erhvervshus(house_key)
    digest = sha256(content)
    with session_factory(engine)() as session:
        active = active_batch(session, house.key, kind, period)
        current = _replaced(active)
        if active is not None and active.sha256 == digest:
            report = ValidationReport(True, active.row_count)
            return UploadPreview(
                kind, period, filename, digest, report, None, None, None, current, True, None
            )
        rejected = _rejected_before(session, house.key, kind, period, digest)
        if rejected is not None:
            report = ValidationReport.from_dict(_json(rejected.report))
            return UploadPreview(
                kind,
                period,
                filename,
                digest,
                report,
                None,
                None,
                None,
                current,
                False,
                rejected.id,
            )
        existing = _ids_in_other_batches(session, house.key, kind, period)
    checked = inspect_file(
        content,
        filename,
        kind,
        kommuner=house.codes,
        period_start=quarter.start,
        period_end=quarter.end,
        existing_ids=existing,
        maaleaar=year if kind is Kind.KENDSKAB else None,
        activity_ids=activity_ids,
        kommune_names={k.kode: k.navn for k in house.kommuner},
    )
    return UploadPreview(
        kind,
        period,
        filename,
        digest,
        checked.report,
        checked.frame,
        checked.encoding,
        checked.separator,
        current,
        False,
        None,
        checked.date_period,
    )


def _json(text: str | None) -> dict[str, object]:
    raw = json.loads(text or "{}")
    return raw if raw else {"ok": False, "rows_read": 0, "rules": [], "cells": []}


def _replaced(batch: Batch | None) -> ReplacedBatch | None:
    if batch is None:
        return None
    at = batch.uploaded_at if batch.uploaded_at.tzinfo else batch.uploaded_at.replace(tzinfo=UTC)
    return ReplacedBatch(batch.id, batch.filename, batch.uploaded_by, at, batch.row_count)


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
            Batch.status == BatchStatus.ACTIVE,
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
            Batch.status == BatchStatus.REJECTED,
        )
        .order_by(Batch.id.desc())
        .limit(1)
    ).one_or_none()


def with_candidate(
    engine: Engine, preview: UploadPreview, *, house_key: str = DEFAULT_ERHVERVSHUS
) -> StoredData:
    """The engine's inputs as they would be after storing ``preview``: the rows of the batch it
    replaces are left out and the file's rows are added."""
    if preview.frame is None:
        raise ValueError("Only a file that passed the check can be previewed in the figures.")
    exclude = preview.current.id if preview.current is not None else None
    stored = load_stored_data(engine, house_key, exclude_batch=exclude)
    frame = preview.frame
    if preview.kind is Kind.FORLOEB:
        return _replace(stored, forloeb=_append(stored.forloeb, frame, FORLOEB_SCHEMA))
    if preview.kind is Kind.BRUGEREVALUERING:
        added = _append(stored.brugerevaluering, frame, EVALUERING_SCHEMA)
        return _replace(stored, brugerevaluering=added)
    if preview.kind is Kind.KENDSKAB:
        end = Quarter.parse(preview.period).end
        rows = frame.with_columns(pl.lit(end).alias("maaledato"))
        return _replace(stored, kendskab=_append(stored.kendskab, rows, KENDSKAB_SCHEMA))
    year = Quarter.parse(preview.period).year
    rows = frame.select(
        pl.lit(year).alias("year"),
        pl.col("maal").alias("goal"),
        pl.col("indsats_id").alias("activity_id"),
        "status",
        pl.col("dato").alias("status_date"),
        pl.col("dokumentation").alias("evidence"),
        pl.col("kommentar").alias("comment"),
        pl.lit("").alias("changed_by"),
        pl.lit(datetime.now(UTC)).alias("changed_at"),
    )
    return _replace(stored, activities=_append(stored.activities, rows, ACTIVITY_SCHEMA))


def with_batch_change(
    engine: Engine,
    *,
    activate: int | None = None,
    deactivate: int | None = None,
    house_key: str = DEFAULT_ERHVERVSHUS,
) -> StoredData:
    """The engine's inputs as they would be after a restore (``activate`` a stored batch,
    ``deactivate`` the active one it replaces) or a withdrawal (``deactivate`` only)."""
    return load_stored_data(engine, house_key, exclude_batch=deactivate, include_batch=activate)


def _append(base: pl.DataFrame, rows: pl.DataFrame, schema: dict[str, object]) -> pl.DataFrame:
    added = rows.select([pl.col(name).cast(dtype) for name, dtype in as_stored(schema).items()])
    if "cvr" in schema:  # the file's 8-digit text, as the engine holds stored CVR
        added = with_cvr_numbers(added, source="filen")
    return pl.concat([base, added], how="vertical")


def _replace(stored: StoredData, **changes: pl.DataFrame) -> StoredData:
    values = {
        "forloeb": stored.forloeb,
        "brugerevaluering": stored.brugerevaluering,
        "kendskab": stored.kendskab,
        "activities": stored.activities,
        "control_group": stored.control_group,
    }
    values.update(changes)
    return StoredData(**values)


PROBLEM_HEADERS = ("Række", "Kolonne", "Værdi", "Regel", "Regel-id")


def problems_workbook(report: ValidationReport, filename: str) -> bytes:
    """The full error list as XLSX: a sheet of rules with counts and a sheet of every problem.

    Every value is written as text, so a cell such as ``=HYPERLINK(…)`` from the uploaded file
    is never evaluated as a formula.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    rules = book.add_worksheet("Regler")
    rules.write_string(0, 0, f"Fejlliste for {filename}", bold)
    rules.write_string(
        1, 0, f"{report.rows_read} datarækker læst, {report.problem_count} problemer"
    )
    for col, head in enumerate(("Regel", "Kolonne", "Antal problemer")):
        rules.write_string(3, col, head, bold)
    for i, r in enumerate(report.rules, start=4):
        rules.write_string(i, 0, r.rule)
        rules.write_string(i, 1, r.column or "")
        rules.write_number(i, 2, r.count)
    rules.set_column(0, 0, 70)
    rules.set_column(1, 2, 18)
    sheet = book.add_worksheet("Problemer")
    for col, head in enumerate(PROBLEM_HEADERS):
        sheet.write_string(0, col, head, bold)
    for i, p in enumerate(report.cells, start=1):
        if p.row is not None:
            sheet.write_number(i, 0, p.row)
        sheet.write_string(i, 1, p.column or "")
        sheet.write_string(i, 2, p.value or "")
        sheet.write_string(i, 3, p.rule)
        sheet.write_string(i, 4, p.rule_id)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 2, 22)
    sheet.set_column(3, 3, 70)
    sheet.set_column(4, 4, 24)
    sheet.autofilter(0, 0, max(len(report.cells), 1), len(PROBLEM_HEADERS) - 1)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
