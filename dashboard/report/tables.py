"""The figures as spreadsheets: one XLSX (a summary sheet, one sheet per goal, the
municipalities, activities and sources) and CSV files as Danish Excel reads them
(``;``, decimal comma, UTF-8 with BOM).

No text cell runs as a formula: in the CSV files it passes
:func:`dashboard.views.safe_export.neutralise` (a leading apostrophe); in the XLSX it is written
as text with Excel's ``quote_prefix`` cell format, which keeps it text without showing the
apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from dashboard.report import rows as R
from dashboard.report.data import ReportData
from dashboard.report.figures import ReportChart
from dashboard.views import format as fmt
from dashboard.views.safe_export import neutralise
from metrics.kinds import Unit


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str  # file-name stem (ASCII slug) for the CSV
    title: str
    frame: pl.DataFrame  # Danish column names


def _frame(records: list[dict[str, Any]], columns: dict[str, str]) -> pl.DataFrame:
    """Rows → frame with Danish headers (``columns``: key → header), in that order."""
    return pl.DataFrame(
        [{header: r[key] for key, header in columns.items()} for r in records],
        schema=None if records else {h: pl.String for h in columns.values()},
        infer_schema_length=None,
    )


KPI_HEADERS = {
    "goal": "Mål",
    "kpi": "Nøgletal-id",
    "label": "Nøgletal",
    "segment": "Segment",
    "kommune": "Kommunekode",
    "kommune_navn": "Kommune",
    "value": "Resultat",
    "unit": "Enhed",
    "n": "n",
    "ci_low": "Nedre 95 %",
    "ci_high": "Øvre 95 %",
    "target": "Mål for året",
    "key_share": "Andel af fordelingsnøglen (%)",
    "status": "Status",
    "note": "Bemærkning",
}


def kpi_frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    out = [r | {"unit": R.UNITS.get(r["unit"], r["unit"])} for r in records]
    return _frame(out, KPI_HEADERS)


def report_tables(data: ReportData) -> list[Sheet]:
    """The tables every data file holds (charts' own figures come separately)."""
    y = data.year
    municipal = [r for k in sorted(data.house.codes) for r in R.kpi_rows(data, k)]
    activities = [r for g in data.contract.goals for r in R.activity_rows(data, g.number)]
    return [
        Sheet(f"noegletal_{y}", f"Alle nøgletal {y}", kpi_frame(R.kpi_rows(data))),
        Sheet(f"kommuner_{y}", f"Nøgletal pr. kommune {y}", kpi_frame(municipal)),
        Sheet(
            f"indsatser_{y}",
            f"Indsatser {y}",
            _frame(
                activities,
                {
                    "goal": "Mål",
                    "activity": "Indsats",
                    "status": "Status",
                    "date": "Dato",
                    "evidence": "Dokumentation",
                    "comment": "Kommentar",
                },
            ),
        ),
        Sheet(
            f"kommentarer_{y}",
            f"Direktørens kommentarer {y}",
            _frame(
                R.comment_rows(data),
                {"goal": "Mål", "text": "Kommentar", "author": "Af", "created_at": "Skrevet"},
            ),
        ),
        Sheet(
            f"datagrundlag_{y}",
            "Datagrundlag (aktive indlæsninger)",
            _frame(
                R.source_rows(data),
                {
                    "kind": "Type",
                    "period": "Periode",
                    "filename": "Fil",
                    "rows": "Rækker",
                    "uploaded_at": "Indlæst",
                    "uploaded_by": "Indlæst af",
                },
            ),
        ),
    ]


# --- CSV --------------------------------------------------------------------------------


def csv_text(value: Any) -> str:
    """One CSV field as Danish Excel reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.10g}".replace(".", ",")
    if isinstance(value, datetime):
        return fmt.timestamp(value)
    if isinstance(value, date):
        return fmt.day(value)
    return neutralise(str(value))


def write_csv(frame: pl.DataFrame, path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow([neutralise(c) for c in frame.columns])
        for row in frame.iter_rows():
            writer.writerow([csv_text(v) for v in row])
    return path


# --- XLSX -------------------------------------------------------------------------------

DECIMAL, WHOLE = "#,##0.0", "#,##0"  # Danish Excel shows them as 1.234,5 and 1.234
DECIMAL_COLUMNS = {"Resultat", "Nedre 95 %", "Øvre 95 %", "Mål for året"}
WHOLE_UNITS = {R.UNITS[Unit.ANTAL], R.UNITS[Unit.KOMMUNER]}  # counts: "871", never "871,0"
CODES = {"Mål", "Kommunekode", "År"}  # numbers that are names: no thousands separator
DAY_WIDTH, STAMP_WIDTH = 12, 17  # "31-12-2022" and "31-12-2022 14:05" with a margin
FORBIDDEN_SHEET = str.maketrans({c: "-" for c in "[]:*?/\\"})


def sheet_name(text: str, used: set[str]) -> str:
    name = text.translate(FORBIDDEN_SHEET)[:31]
    base, i = name, 2
    while name.lower() in used:
        name = f"{base[:28]} {i}"
        i += 1
    used.add(name.lower())
    return name


def whole_columns(frame: pl.DataFrame) -> set[str]:
    """Columns of counts: integers, or decimals that are all whole numbers (a chart's
    "Opgjort" or "Fremskrevet" antal); in a table with a unit column ("Enhed") the unit
    decides per row for the KPI columns instead."""
    per_row = DECIMAL_COLUMNS if "Enhed" in frame.columns else set()
    out = set()
    for name, dtype in frame.schema.items():
        if name in per_row or not dtype.is_numeric():
            continue
        values = frame[name].drop_nulls()
        if dtype.is_integer() or bool((values == values.round(0)).all()):
            out.add(name)
    return out


class _Book:
    def __init__(self, path: Path) -> None:
        self.wb = xlsxwriter.Workbook(str(path), {"remove_timezone": True})
        self.bold = self.wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.title = self.wb.add_format({"bold": True, "font_size": 13})
        self.text = self.wb.add_format({"valign": "top"})
        # A text a spreadsheet would read as a formula: kept as it is, marked as text by the
        # cell format (Excel's own apostrophe, which it does not show).
        self.quoted = self.wb.add_format({"valign": "top", "quote_prefix": True})
        self.day = self.wb.add_format({"num_format": "dd-mm-yyyy"})
        self.stamp = self.wb.add_format({"num_format": "dd-mm-yyyy hh:mm"})
        self.decimal = self.wb.add_format({"num_format": DECIMAL})
        self.whole = self.wb.add_format({"num_format": WHOLE})
        self.used: set[str] = set()

    def sheet(self, name: str, blocks: Sequence[tuple[str, pl.DataFrame]]) -> None:
        ws = self.wb.add_worksheet(sheet_name(name, self.used))
        widths: dict[int, int] = {}
        row = 0
        for i, (title, frame) in enumerate(blocks):
            ws.write_string(row, 0, title, self._text_format(title))
            row += 1
            for col, header in enumerate(frame.columns):
                ws.write_string(row, col, header, self.bold)
                widths[col] = max(widths.get(col, 8), min(len(header) + 2, 40))
            if i == 0:
                ws.freeze_panes(row + 1, 0)
            row += 1
            whole = whole_columns(frame)
            units = frame["Enhed"].to_list() if "Enhed" in frame.columns else None
            for r, values in enumerate(frame.iter_rows()):
                counts = units is not None and units[r] in WHOLE_UNITS
                for col, (header, value) in enumerate(zip(frame.columns, values, strict=True)):
                    is_whole = header in whole or (counts and header in DECIMAL_COLUMNS)
                    width = self._cell(ws, row, col, value, whole=is_whole, code=header in CODES)
                    widths[col] = max(widths.get(col, 8), width)
                row += 1
            row += 1
        for col, width in widths.items():
            ws.set_column(col, col, width)

    def _text_format(self, text: str) -> Any:
        return self.quoted if neutralise(text) != text else self.text

    def _cell(
        self, ws: Any, row: int, col: int, value: Any, *, whole: bool, code: bool = False
    ) -> int:
        """Write one value; returns the column width it needs."""
        if value is None:
            ws.write_blank(row, col, None)
        elif isinstance(value, bool):
            ws.write_string(row, col, "ja" if value else "nej")
        elif isinstance(value, int | float) and code:
            ws.write_number(row, col, value)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, self.whole if whole else self.decimal)
            return len(fmt.number(value, 0 if whole else 1)) + 2
        elif isinstance(value, datetime):
            ws.write_datetime(row, col, value.astimezone(fmt.DANISH_TIME), self.stamp)
            return STAMP_WIDTH
        elif isinstance(value, date):
            ws.write_datetime(row, col, value, self.day)
            return DAY_WIDTH
        else:
            text = str(value)
            ws.write_string(row, col, text, self._text_format(text))
            return min(len(text) + 2, 60)
        return 8

    def close(self) -> None:
        self.wb.close()


def write_xlsx(
    data: ReportData, tables: Sequence[Sheet], charts: Sequence[ReportChart], path: Path
) -> Path:
    """Summary sheet first, then one sheet per goal (its KPI rows and each chart's figures),
    the municipalities, activities, comments and data sources."""
    book = _Book(path)
    summary = tables[0]
    book.sheet("Oversigt", [(summary.title, summary.frame)])
    for goal in data.contract.goals:
        rows = summary.frame.filter(pl.col("Mål") == goal.number)
        blocks = [(goal.title, rows)]
        blocks += [(c.title, c.data) for c in charts if c.goal == goal.number]
        book.sheet(f"Mål {goal.number}", blocks)
    municipal = [(c.title, c.data) for c in charts if c.goal is None]
    book.sheet("Kommuner", [(tables[1].title, tables[1].frame), *municipal])
    for t in tables[2:]:
        book.sheet(t.title.split(" (")[0].removesuffix(f" {data.year}"), [(t.title, t.frame)])
    book.close()
    return path


def write_csvs(tables: Sequence[Sheet], charts: Sequence[ReportChart], out_dir: Path) -> list[Path]:
    """One CSV per table, and one per chart under ``data/``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [write_csv(t.frame, out_dir / f"{t.name}.csv") for t in tables]
    chart_dir = out_dir / "diagramdata"
    chart_dir.mkdir(exist_ok=True)
    paths += [write_csv(c.data, chart_dir / f"{c.name}.csv") for c in charts]
    return paths
