"""Nothing in an exported file runs as a formula, and a cell with fewer than 5 answers never
shows its value – in the documents, the spreadsheets or the CSV files."""

from __future__ import annotations

import csv
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from docx import Document
from sqlalchemy import Engine

from dashboard.report.content import build_document
from dashboard.report.data import load_report_data
from dashboard.report.docx import write_docx
from dashboard.report.figures import report_charts
from dashboard.report.pdf import write_pdf
from dashboard.report.renderer import ChartRenderer
from dashboard.report.tables import report_tables, write_csvs, write_xlsx
from dashboard.views.safe_export import FORMULA_START, neutralise, slug
from data.db import make_engine
from data.export_files import Dialect, export_file
from data.ingest import ingest
from data.migrate import upgrade
from expectations.schema import Kind
from tests.export.conftest import INJECTION, one
from tests.upload.upload_files import valid_cvrs


@pytest.mark.parametrize("text", ["=1+1", "+45 12", "-2", "@SUM(A1)", "\tx", "\rx", INJECTION])
def test_neutralise_prefixes_formula_starts(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Aalborg", "", "'=x", "Mål 3 – tilfredshed", "1.234,5"])
def test_neutralise_leaves_other_text(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mål 3 – Kvalitet", "maal_3_kvalitet"),
        ("../../etc/passwd", "etc_passwd"),
        ("Læsø", "laesoe"),
    ],
)
def test_slug_is_a_safe_ascii_name(text: str, expected: str) -> None:
    assert slug(text) == expected
    assert slug("///") == "fil"


def _safe(text: str) -> bool:
    """A text a spreadsheet would not run: no formula start (a plain negative number is fine)."""
    if not text.startswith(FORMULA_START):
        return True
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def test_every_text_cell_of_the_csv_files_is_neutralised(report: list[Path]) -> None:
    files = [p for p in report if p.suffix == ".csv"]
    assert len(files) > 40
    seen_injection = seen_phone = False
    for path in files:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as Danish Excel expects
        for row in csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"):
            for field in row:
                assert _safe(field), (path.name, field)
                seen_injection |= field == "'" + INJECTION
                seen_phone |= field.startswith("'+45")
    assert seen_injection and seen_phone


def test_every_text_cell_of_the_xlsx_is_neutralised(report: list[Path]) -> None:
    """A text that would run as a formula is kept as it is, marked as text by the cell's
    quote_prefix format (Excel does not show that apostrophe)."""
    wb = openpyxl.load_workbook(one(report, ".xlsx"))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str)]
    unsafe = [c for c in texts if not _safe(c.value) and not c.quotePrefix]
    assert unsafe == [], [c.value for c in unsafe]
    assert any(c.value == INJECTION and c.quotePrefix for c in texts)
    assert any(
        c.value.startswith(INJECTION) and "Henvisningerne" in c.value and c.quotePrefix
        for c in texts
    )
    formulas = [
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []


def test_csv_uses_semicolon_and_decimal_comma(report: list[Path]) -> None:
    [path] = [p for p in report if p.name == "noegletal_2022.csv"]
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Mål;Nøgletal-id;Nøgletal;Segment")
    assert any(";47;procent;" in line or ";47,0" in line or ";43,7;" in line for line in lines)


# --- suppression: a municipality with 3 answers ----------------------------------------------


@pytest.fixture(scope="module")
def small_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """Aalborg with 30 answers (80 % 'Meget tilfreds'), Læsø with 3 (two 'Meget tilfreds':
    66,7 % if it were shown)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('small') / 'small.db'}")
    upgrade(engine)
    cvrs = valid_cvrs(33)
    rows = []
    for i, cvr in enumerate(cvrs):
        laesoe = i >= 30
        rows.append(
            {
                "svar_id": f"S{i}",
                "cvr": cvr,
                "kommunekode": 825 if laesoe else 851,
                "segment": "Drift",
                "besvarelsesdato": date(2022, 5, 2),
                "tilfredshed": ("Meget tilfreds" if (i < 32 if laesoe else i % 5) else "Tilfreds"),
                "anbefaling": 10 if i < 32 else 3,
                "forventet_effekt": "I høj grad",
                "digitaliseringsvejledning": True,
                "modtaget_henvisning": False,
                "benyttet_henvisning": None,
            }
        )
    content, ext = export_file(pl.DataFrame(rows), Kind.BRUGEREVALUERING, Dialect.EXCEL_DA)
    result = ingest(
        engine,
        kind=Kind.BRUGEREVALUERING,
        content=content,
        filename=f"svar.{ext}",
        period="2022Q2",
        user="test@ehnj.dk",
    )
    assert result.outcome.name == "LOADED", result.report.to_text()
    return engine


def test_a_suppressed_municipality_shows_only_faerre_end_5_svar(
    small_engine: Engine, tmp_path: Path
) -> None:
    data = load_report_data(small_engine, 2022, today=date(2026, 11, 22))
    laesoe = data.all_cells.filter(
        pl.col("year") == 2022,
        pl.col("kommune") == 825,
        pl.col("kpi") == "m3_meget_tilfreds",
        pl.col("segment").is_null(),
    ).row(0, named=True)
    assert laesoe["suppressed"] and laesoe["n"] is None and laesoe["value"] is None
    charts = report_charts(data)
    tables = report_tables(data)
    csvs = write_csvs(tables, charts, tmp_path / "csv")
    document = build_document(data, charts, {})
    with ChartRenderer() as renderer:
        pdf = write_pdf(document, tmp_path / "r.pdf", renderer)
    docx = write_docx(document, tmp_path / "r.docx")
    xlsx = write_xlsx(data, tables, charts, tmp_path / "r.xlsx")

    leaked = ("66,7", "66.7", "66,67", "0,667", "80,0", "80.0")
    municipal = (tmp_path / "csv" / "kommuner_2022.csv").read_text(encoding="utf-8-sig")
    laesoe_lines = [line for line in municipal.splitlines() if ";825;" in line]
    assert any("m3_meget_tilfreds" in line and "færre end 5 svar" in line for line in laesoe_lines)
    # The house's 26 of 33 minus Aalborg's 24 of 30 would be Læsø's 2 of 3: Aalborg is hidden
    # too (secondary suppression), and neither shows its n.
    aalborg = [line for line in municipal.splitlines() if ";851;" in line]
    mt = [line for line in aalborg if "m3_meget_tilfreds" in line and ";Alle;" in line]
    assert mt and all("skjult af diskretionshensyn" in line for line in mt), mt
    header = municipal.splitlines()[0].split(";")
    hidden = [
        line.split(";")
        for line in municipal.splitlines()
        if "færre end 5" in line or "skjult af diskretionshensyn" in line
    ]
    assert hidden and all(cells[header.index("n")] == "" for cells in hidden)
    for path in csvs:
        text = path.read_text(encoding="utf-8-sig")
        assert not any(x in text for x in leaked), path.name
    pdf_text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Læsø Kommune (825)" in pdf_text and "færre end 5 svar" in pdf_text
    docx_text = "\n".join(
        c.text for t in Document(str(docx)).tables for row in t.rows for c in row.cells
    )
    wb = openpyxl.load_workbook(xlsx)
    xlsx_values = [
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value
    ]
    for text in (pdf_text, docx_text, "\n".join(xlsx_values)):
        assert not any(x in text for x in leaked)
    for chart in charts:  # hover texts, labels and traces of the figures themselves
        blob = chart.figure.to_json()
        assert not any(x in blob for x in ("66.66", "66,7")), chart.name
