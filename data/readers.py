"""Read an uploaded export (CSV or XLSX) into a text frame of the kind's canonical columns.

This is the first half of the upload check: it finds the header row below a Salesforce
title block, drops the report footer, maps the file's headers onto the canonical columns
(labels and aliases of :mod:`expectations.schema`) and keeps every cell as text together
with the row number the person sees in the file. Typing is :mod:`data.readers_typing`;
the rules are :mod:`expectations.validate`. Problems a person can fix never raise: they are
returned in :attr:`ReadResult.problems` as Danish :class:`CellProblem` entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from data.limits import FileTooLarge, check_extent, check_file_size
from data.readers_csv import SEPARATORS, UnreadableFile, decode, sniff_lines, split_rows
from data.readers_grid import Grid, HeaderMatch, best_header, frame_from_grid
from data.readers_xlsx import read_sheet
from expectations.report import CellProblem
from expectations.schema import COLUMNS, KIND_LABELS, Kind

ROW_NUMBER = "row_number"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other Office 97 files)


@dataclass(frozen=True, slots=True)
class ReadResult:
    """A file read as text.

    ``frame`` has every canonical column of the kind as ``pl.String`` (missing ones all
    null) plus ``row_number`` (Int64): the row as seen in the file, counting the title
    block and the header. ``problems`` are structural: file-level, missing or unknown
    columns, rows with more cells than headers.
    """

    frame: pl.DataFrame
    encoding: str | None  # "utf-8", "utf-8-sig", "windows-1252", "xlsx"; None if unreadable
    separator: str | None  # ";" or "," for CSV, None for XLSX
    header_row: int | None
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        """True when the rows cannot be checked further (no usable header or columns)."""
        return any(p.rule_id in BLOCKING_RULES for p in self.problems)


BLOCKING_RULES = frozenset(
    {
        "fil.ulæselig",
        "fil.tom",
        "fil.ingen_overskrift",
        "kolonne.mangler",
        "fil.forkert_type",
        "fil.ingen_data",
        "kolonne.dublet",
        "fil.for_stor",
    }
)


def empty_frame(kind: Kind) -> pl.DataFrame:
    schema: dict[str, pl.DataType] = {ROW_NUMBER: pl.Int64()}
    schema.update({c.name: pl.String() for c in COLUMNS[kind]})
    return pl.DataFrame(schema=schema)


def _file_problem(rule_id: str, message: str) -> CellProblem:
    return CellProblem(rule_id=rule_id, rule=message)


def _failed(kind: Kind, encoding: str | None, problem: CellProblem) -> ReadResult:
    return ReadResult(empty_frame(kind), encoding, None, None, [problem])


def read_export(content: bytes, filename: str, kind: Kind) -> ReadResult:
    """Read ``content`` (the uploaded bytes) as an export of ``kind``; never raises for bad input.

    The format is chosen from the bytes (a zip is read as XLSX), not trusted from the name;
    a file named ``.xlsx`` that is not a zip is refused.
    """
    if not content.strip():
        return _failed(kind, None, _file_problem("fil.tom", "Filen er tom."))
    is_xlsx_name = filename.lower().endswith((".xlsx", ".xlsm"))
    try:
        check_file_size(len(content))
        if content.startswith(_OLE_MAGIC):
            raise UnreadableFile(
                "Filen er i det gamle Excel-format (.xls). Gem den som .xlsx eller CSV."
            )
        if content.startswith(_ZIP_MAGIC) or is_xlsx_name:
            if not content.startswith(_ZIP_MAGIC):
                raise UnreadableFile(
                    "Filen hedder .xlsx, men er ikke en Excel-projektmappe. Gem den igen som "
                    "'Excel-projektmappe (.xlsx)' eller som CSV."
                )
            sheet = read_sheet(content)
            grid = Grid(sheet.rows, first_row=sheet.first_row)
            return _from_grid(grid, kind, encoding="xlsx", separator=None)
        return _read_csv(content, kind)
    except FileTooLarge as exc:
        return _failed(kind, None, _file_problem("fil.for_stor", exc.message))
    except UnreadableFile as exc:
        encoding = "xlsx" if content.startswith(_ZIP_MAGIC) else None
        return _failed(kind, encoding, _file_problem("fil.ulæselig", exc.message))


def check_csv_extent(content: bytes) -> None:
    """Bound rows and cells from the bytes, before anything is split into cells.

    Every line is at most one row and every separator adds at most one cell, so this is an
    upper bound of what :func:`split_rows` would build (quoted line breaks and separators
    inside quotes only make the real grid smaller).
    """
    lines = content.count(b"\n") + 1
    cells = lines + max(content.count(sep.encode()) for sep in SEPARATORS)
    check_extent(lines, 0, cells, what="filen")


def _read_csv(content: bytes, kind: Kind) -> ReadResult:
    check_csv_extent(content)
    decoded = decode(content)
    head = sniff_lines(decoded.text)
    best: tuple[HeaderMatch | None, str] = (None, SEPARATORS[0])
    for sep in SEPARATORS:
        match = best_header(Grid(split_rows(head, sep)), kind)
        if match is not None and (best[0] is None or match.score > best[0].score):
            best = (match, sep)
    separator = best[1] if best[0] is not None else _most_common_separator(head)
    grid = Grid(split_rows(decoded.text, separator))
    return _from_grid(grid, kind, encoding=decoded.encoding, separator=separator)


def _most_common_separator(head: str) -> str:
    first = next((line for line in head.splitlines() if line.strip()), "")
    return max(SEPARATORS, key=first.count)


def _from_grid(grid: Grid, kind: Kind, *, encoding: str, separator: str | None) -> ReadResult:
    match = best_header(grid, kind)
    if match is None:
        return ReadResult(empty_frame(kind), encoding, separator, None, _no_header(grid, kind))
    frame, problems = frame_from_grid(grid, match, kind)
    if match.other_kind is not None:
        problems.insert(
            0,
            _file_problem(
                "fil.forkert_type",
                f"Filen ligner en fil af typen '{KIND_LABELS[match.other_kind]}', "
                f"ikke '{KIND_LABELS[kind]}'. Vælg den rigtige filtype ved upload.",
            ),
        )
    if frame.height == 0 and not any(p.rule_id == "fil.forkert_type" for p in problems):
        problems.append(_file_problem("fil.ingen_data", "Filen indeholder ingen datarækker."))
    return ReadResult(frame, encoding, separator, match.row_number, problems)


def _no_header(grid: Grid, kind: Kind) -> list[CellProblem]:
    if grid.is_blank():
        return [_file_problem("fil.tom", "Filen er tom.")]
    required = [c.label for c in COLUMNS[kind] if c.required]
    problems = [
        _file_problem(
            "fil.ingen_overskrift",
            f"Overskriftsrækken blev ikke fundet: ingen af filens første rækker indeholder "
            f"kolonnerne for '{KIND_LABELS[kind]}'.",
        )
    ]
    problems += [
        CellProblem(rule_id="kolonne.mangler", rule=f"Kolonnen '{label}' mangler", column=label)
        for label in required
    ]
    return problems
