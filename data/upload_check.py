"""The whole upload check of one file: read → type → validate → one Danish report.

This is what the ingest calls before writing anything. It never raises for a bad file:
structural problems (unreadable, too large, no header, missing columns, wrong kind, no data
rows) end the check early with a rejected report; otherwise typing problems and the Great
Expectations rules are reported together, each cell once. :func:`inspect_file` runs the
check in a worker process under limits (:mod:`data.sandbox`); :func:`inspect_here` is the
same check in the calling process, for the worker itself and for tests of the readers.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from data import sandbox
from data.batch_ids import ID_COLUMNS
from data.limits import FileTooLarge, check_file_size
from data.readers import read_export
from data.readers_typing import RULE_SUFFIX, typed_frame
from data.storage_limits import storage_limits
from expectations.report import CellProblem, ValidationReport
from expectations.schema import COLUMNS, Kind
from expectations.validate import validate


@dataclass(frozen=True, slots=True)
class FileCheck:
    """The outcome of checking one file, with what was detected while reading it."""

    frame: pl.DataFrame | None  # typed rows, only when the report is ok
    report: ValidationReport
    encoding: str | None  # "utf-8", "utf-8-sig", "windows-1252", "xlsx"; None if unreadable
    separator: str | None  # ";" or "," for CSV
    header_row: int | None
    #: The quarter most of the file's period dates fall in ("2023Q3"); None without such dates.
    date_period: str | None = None


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
    kommune_names: Mapping[int, str] | None = None,
) -> FileCheck:
    """Check an uploaded file completely, in a worker process under the limits.

    The typed frame (canonical columns + ``row_number``) is returned only when the report is
    ok, so a caller cannot load a rejected file by mistake. For ``kendskab`` the Måleår
    rule defaults to the year of ``period_end`` when ``maaleaar`` is not given. A file that
    hits a limit (size, memory, CPU or wall time) is refused with a Danish problem naming it.
    """
    try:
        check_file_size(len(content))
    except FileTooLarge as exc:
        return _refused("fil.for_stor", exc.message)
    header = job_header(
        filename,
        kind,
        kommuner=kommuner,
        period_start=period_start,
        period_end=period_end,
        existing_ids=existing_ids,
        maaleaar=maaleaar,
        activity_ids=activity_ids,
        kommune_names=kommune_names,
    )
    try:
        reply = sandbox.run_check(header, content)
    except sandbox.WorkerLimit as exc:
        return _refused(exc.rule_id, exc.message)
    found = reply.header
    frame = pl.read_ipc(io.BytesIO(reply.payload)) if reply.payload else None
    return FileCheck(
        frame,
        ValidationReport.from_dict(found["report"]),
        found["encoding"],
        found["separator"],
        found["header_row"],
        found.get("date_period"),
    )


def job_header(
    filename: str,
    kind: Kind,
    *,
    kommuner: frozenset[int],
    period_start: date,
    period_end: date,
    existing_ids: frozenset[str] = frozenset(),
    maaleaar: int | None = None,
    activity_ids: frozenset[str] | None = None,
    kommune_names: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """The check's parameters as the worker receives them (JSON)."""
    return {
        "filename": filename,
        "kind": str(kind),
        "kommuner": sorted(kommuner),
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "existing_ids": sorted(existing_ids),
        "maaleaar": maaleaar,
        "activity_ids": None if activity_ids is None else sorted(activity_ids),
        "kommune_names": {str(k): v for k, v in (kommune_names or {}).items()},
    }


def _refused(rule_id: str, message: str) -> FileCheck:
    report = ValidationReport.from_problems([CellProblem(rule_id, message)], rows_read=0)
    return FileCheck(None, report, None, None, None)


def check_job(header: dict[str, Any], content: bytes) -> tuple[dict[str, Any], bytes]:
    """The worker's side of :func:`inspect_file`: run the check, encode the outcome."""
    checked = inspect_here(
        content,
        header["filename"],
        Kind(header["kind"]),
        kommuner=frozenset(header["kommuner"]),
        period_start=date.fromisoformat(header["period_start"]),
        period_end=date.fromisoformat(header["period_end"]),
        existing_ids=frozenset(header["existing_ids"]),
        maaleaar=header["maaleaar"],
        activity_ids=None if header["activity_ids"] is None else frozenset(header["activity_ids"]),
        kommune_names={int(k): v for k, v in header.get("kommune_names", {}).items()},
    )
    payload = b""
    if checked.frame is not None:
        buffer = io.BytesIO()
        checked.frame.write_ipc(buffer)
        payload = buffer.getvalue()
    reply = {
        "status": "ok",
        "report": checked.report.to_dict(),
        "encoding": checked.encoding,
        "separator": checked.separator,
        "header_row": checked.header_row,
        "date_period": checked.date_period,
    }
    return reply, payload


def inspect_here(
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
    kommune_names: Mapping[int, str] | None = None,
) -> FileCheck:
    """:func:`inspect_file` in the calling process, without the worker's limits."""
    read = read_export(content, filename, kind)
    if read.blocking:
        report = ValidationReport.from_problems(read.problems, rows_read=read.frame.height)
        return FileCheck(None, report, read.encoding, read.separator, read.header_row)
    counts: Counter[str] = Counter(p.rule_id for p in read.problems)
    typed, type_problems = typed_frame(read, kind, counts)
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
        storage=storage_limits(kind),
        kommune_names=kommune_names,
    )
    problems = _merge(read.problems, type_problems, report.cells)
    counts.update(_rule_counts(kind, report, counts))
    final = ValidationReport.from_problems(problems, rows_read=typed.height, counts=counts)
    frame = typed if final.ok else None
    return FileCheck(
        frame, final, read.encoding, read.separator, read.header_row, date_period(typed, kind)
    )


# The date that places a row in its period (the rule "… skal ligge i perioden").
PERIOD_DATE_COLUMNS: dict[Kind, str] = {
    Kind.FORLOEB: "startdato",
    Kind.BRUGEREVALUERING: "besvarelsesdato",
}


def date_period(typed: pl.DataFrame, kind: Kind) -> str | None:
    """The quarter most of the file's period dates fall in, as '2023Q3' (the earliest of
    equally common ones); for the awareness survey Q4 of its most common Måleår. None when
    the kind has no such date or no row has one."""
    if kind is Kind.KENDSKAB and "maaleaar" in typed.columns:  # measured in the autumn
        years = typed.get_column("maaleaar").drop_nulls()
        if years.is_empty():
            return None
        counted = years.value_counts(sort=True)
        return f"{counted.row(0)[0]}Q4"
    column = PERIOD_DATE_COLUMNS.get(kind)
    if column is None or column not in typed.columns:
        return None
    dates = typed.get_column(column).drop_nulls()
    if dates.dtype != pl.Date or dates.is_empty():
        return None
    quarters = (
        pl.DataFrame({"y": dates.dt.year(), "q": dates.dt.quarter()})
        .group_by("y", "q")
        .len()
        .sort(["len", "y", "q"], descending=[True, False, False])
    )
    year, q, _ = quarters.row(0)
    return f"{year}Q{q}"


def _rule_counts(kind: Kind, report: ValidationReport, typing: Counter[str]) -> dict[str, int]:
    """The rules' complete counts, less the "skal udfyldes" failures that are cells already
    counted as unparseable (they are null in the typed frame; see :func:`_merge`)."""
    counts = {r.rule_id: r.count for r in report.rules}
    for c in COLUMNS[kind]:
        required = f"{c.name}.udfyldt"
        if required in counts and c.dtype in RULE_SUFFIX:
            counts[required] -= typing[f"{c.name}.{RULE_SUFFIX[c.dtype]}"]
    return counts


def _merge(
    structural: list[CellProblem], typing: list[CellProblem], rules: list[CellProblem]
) -> list[CellProblem]:
    """All problems, dropping a rule's complaint about a cell already reported as unparseable.

    An unparseable required cell is null in the typed frame, so the "skal udfyldes" rule
    would fire on it too; the person needs only the parse problem.
    """
    unparsed = {(p.row, p.column) for p in typing}
    return [*structural, *typing, *(p for p in rules if (p.row, p.column) not in unparsed)]
