"""The whole upload check of one file: read → type → validate → one Danish report.

This is what the ingest calls before writing anything (SPEC §5). It never raises for a bad
file: structural problems (unreadable, no header, missing columns, wrong kind, no data
rows) end the check early with a rejected report; otherwise typing problems and the
Great Expectations rules are reported together, each cell once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from data.batch_ids import ID_COLUMNS
from data.readers import read_export
from data.readers_typing import typed_frame
from expectations.report import CellProblem, ValidationReport
from expectations.schema import Kind
from expectations.validate import validate


@dataclass(frozen=True, slots=True)
class FileCheck:
    """The outcome of checking one file, with what was detected while reading it."""

    frame: pl.DataFrame | None  # typed rows, only when the report is ok
    report: ValidationReport
    encoding: str | None  # "utf-8", "utf-8-sig", "windows-1252", "xlsx"; None if unreadable
    separator: str | None  # ";" or "," for CSV
    header_row: int | None


def inspect_file(
    content: bytes,
    filename: str,
    kind: Kind,
    *,
    kommuner: frozenset[int],
    period_start: date,
    period_end: date,
    existing_ids: frozenset[str] = frozenset(),
    maaleaar: int | None = None,
    activity_ids: frozenset[str] | None = None,
) -> FileCheck:
    """Check an uploaded file completely.

    The typed frame (canonical columns + ``row_number``) is returned only when the report is
    ok, so a caller cannot load a rejected file by mistake. For ``kendskab`` the Måleår
    rule defaults to the year of ``period_end`` when ``maaleaar`` is not given.
    """
    read = read_export(content, filename, kind)
    if read.blocking:
        report = ValidationReport.from_problems(read.problems, rows_read=read.frame.height)
        return FileCheck(None, report, read.encoding, read.separator, read.header_row)
    typed, type_problems = typed_frame(read, kind)
    if kind is Kind.KENDSKAB and maaleaar is None:
        maaleaar = period_end.year
    id_column = ID_COLUMNS.get(kind)
    if existing_ids and id_column is not None and id_column in typed.columns:
        # Only the IDs this file carries: the rule's value set is copied many times inside
        # Great Expectations, so 100 000 IDs of other batches cost a minute per upload.
        existing_ids = existing_ids & frozenset(typed[id_column].drop_nulls().to_list())
    report = validate(
        typed,
        kind,
        kommuner=kommuner,
        period_start=period_start,
        period_end=period_end,
        existing_ids=existing_ids,
        maaleaar=maaleaar,
        activity_ids=activity_ids,
        source_text=read.frame,
    )
    problems = _merge(read.problems, type_problems, report.cells)
    final = ValidationReport.from_problems(problems, rows_read=typed.height)
    frame = typed if final.ok else None
    return FileCheck(frame, final, read.encoding, read.separator, read.header_row)


def _merge(
    structural: list[CellProblem], typing: list[CellProblem], rules: list[CellProblem]
) -> list[CellProblem]:
    """All problems, dropping a rule's complaint about a cell already reported as unparseable.

    An unparseable required cell is null in the typed frame, so the "skal udfyldes" rule
    would fire on it too; the person needs only the parse problem.
    """
    unparsed = {(p.row, p.column) for p in typing}
    return [*structural, *typing, *(p for p in rules if (p.row, p.column) not in unparsed)]
