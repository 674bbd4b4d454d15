"""Open what the export made: PDF text, DOCX tables, XLSX figures, PNG sizes, the ZIP, audit."""

from __future__ import annotations

import json
import struct
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from docx import Document
from sqlalchemy import Engine, select

from dashboard.report.data import load_report_data
from dashboard.report.figures import SCALE, report_charts, size_of
from dashboard.views import format as fmt
from dashboard.views.kpi import status_text
from data.schema import AuditLog
from metrics.contract import contract_for
from metrics.service import json_records, view
from tests.export.conftest import MADE, YEAR, one

SEGMENTS = {None: "Alle", "drift": "Drift", "vækst": "Vækst"}


@pytest.fixture(scope="module")
def reference(demo_engine: Engine) -> list[dict[str, object]]:
    """What `erhvervshus kpi --year 2022 --json` prints."""
    data = load_report_data(demo_engine, YEAR, today=MADE)
    return json_records(view(data.all_cells, year=YEAR, kommune=None))


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_pdf_holds_every_goal_title_status_word_and_the_date(
    report: list[Path], reference: list[dict[str, object]]
) -> None:
    text = pdf_text(one(report, ".pdf"))
    flat = " ".join(text.split())
    for goal in contract_for(YEAR).goals:
        assert " ".join(goal.title.split()) in flat
    for status in {str(r["status"]) for r in reference}:
        assert status_text(status) in flat
    assert "Udarbejdet 22. november 2026" in flat
    assert "Status pr. 31. december 2022 (hele 2022)" in flat  # as the page says it
    assert "for 2022 er endnu ikke indtastet (afventer metode)" in flat  # Mål 6, none entered
    assert "færre end 5 svar" in flat
    assert "Datagrundlag og metode" in flat
    assert "47,0 %" in flat and "47.0 %" not in flat  # decimal comma


def test_docx_summary_table_has_every_house_kpi_row(
    report: list[Path], reference: list[dict[str, object]]
) -> None:
    doc = Document(str(one(report, ".docx")))
    summary = doc.tables[0]
    header = [c.text for c in summary.rows[0].cells]
    assert header[:3] == ["Mål", "Nøgletal", "Opdeling"] and header[-1] == "Status"
    body = [[c.text for c in row.cells] for row in summary.rows[1:]]
    house = [r for r in reference if r["kommune"] is None]
    assert len(body) == len(house)
    contract = contract_for(YEAR)
    for row, ref in zip(body, house, strict=True):
        kpi = contract.kpi(str(ref["kpi"]))
        assert row[0] == f"Mål {ref['goal']}" and row[1] == kpi.label
        assert row[2] == SEGMENTS[ref["segment"]]  # type: ignore[index]
        assert row[3] == fmt.kpi_value(ref["value"], kpi.unit, suppressed=row[3] == fmt.SUPPRESSED)  # type: ignore[arg-type]
        assert row[-1] == status_text(str(ref["status"]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert all(g.title in headings for g in contract.goals)
    assert len(doc.inline_shapes) >= 20  # the charts


def test_xlsx_summary_equals_kpi_json(
    report: list[Path], reference: list[dict[str, object]]
) -> None:
    wb = openpyxl.load_workbook(one(report, ".xlsx"), read_only=True)
    assert wb.sheetnames[0] == "Oversigt" and "Mål 11" in wb.sheetnames
    rows = list(wb["Oversigt"].iter_rows(values_only=True))
    header, body = rows[1], rows[2:]
    got = [dict(zip(header, r, strict=True)) for r in body if r[0] is not None]
    assert len(got) == len(reference)
    for g, ref in zip(got, reference, strict=True):
        assert (g["Mål"], g["Nøgletal-id"], g["Kommunekode"]) == (
            ref["goal"],
            ref["kpi"],
            ref["kommune"],
        )
        assert g["Segment"] == SEGMENTS[ref["segment"]]  # type: ignore[index]
        for col, key in (
            ("Resultat", "value"),
            ("n", "n"),
            ("Nedre 95 %", "ci_low"),
            ("Øvre 95 %", "ci_high"),
            ("Mål for året", "target"),
        ):
            assert g[col] == ref[key], (col, g, ref)
        # No status without a target (a municipality's share of the guided companies).
        assert g["Status"] == (ref["status"] if ref["target"] is not None else None)


def test_xlsx_number_formats_and_frozen_header(report: list[Path]) -> None:
    wb = openpyxl.load_workbook(one(report, ".xlsx"))
    ws = wb["Oversigt"]
    assert ws.freeze_panes == "A3"
    header = [c.value for c in ws[2]]
    value_cell = ws.cell(row=3, column=header.index("Resultat") + 1)
    assert value_cell.number_format == "#,##0.0"


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_every_chart_in_three_formats_at_print_size(
    report: list[Path], demo_engine: Engine
) -> None:
    charts = report_charts(load_report_data(demo_engine, YEAR, today=MADE))
    by_name = {p.name: p for p in report if p.parent.name == "diagrammer"}
    assert len(charts) >= 40
    for chart in charts:
        for ext in ("png", "svg", "pdf"):
            assert f"{chart.name}.{ext}" in by_name
        width, height = size_of(chart)
        assert png_size(by_name[f"{chart.name}.png"]) == (int(width * SCALE), int(height * SCALE))
        assert chart.name.isascii() and "/" not in chart.name
    assert png_size(by_name["maal03_m3_nps_segment.png"]) == (2000, 1120)
    map_svg = by_name["kort_vejledte_virksomheder.svg"].read_text()
    assert map_svg.startswith("<svg") and map_svg.count('class="choroplethlocation"') == 11
    assert by_name["kort_vejledte_virksomheder.pdf"].read_bytes()[:5] == b"%PDF-"
    info = subprocess.run(
        ["pdfinfo", str(by_name["maal03_m3_nps_segment.pdf"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Page size:       600 x 336 pts" in info  # the chart's CSS size, 800 × 448 px
    assert by_name["maal03_m3_nps_segment.png"].read_bytes()[25] == 2  # PNG colour type RGB


def test_zip_holds_every_file_with_safe_names(report: list[Path]) -> None:
    zip_path = report[-1]
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        kinds = {Path(i.filename).suffix: i.compress_type for i in zf.infolist()}
    assert len(names) == len(report) - 1
    for name in names:
        assert name.isascii() and not name.startswith("/") and ".." not in name
    # Already compressed files are stored as they are; text is deflated.
    assert {kinds[s] for s in (".png", ".pdf", ".docx", ".xlsx")} == {zipfile.ZIP_STORED}
    assert {kinds[s] for s in (".svg", ".csv")} == {zipfile.ZIP_DEFLATED}


def test_every_export_is_audited(report: list[Path], demo_engine: Engine) -> None:
    with demo_engine.connect() as conn:
        rows = conn.execute(
            select(AuditLog.actor, AuditLog.details).where(AuditLog.action == "export")
        ).all()
    details = json.loads(rows[-1].details)
    assert rows[-1].actor == "eksport@kkr.dk"
    assert details["year"] == YEAR and details["as_of"] is None
    assert report[-1].name in details["files"]


def test_chart_data_blanks_suppressed_cells(demo_engine: Engine) -> None:
    charts = report_charts(load_report_data(demo_engine, YEAR, today=MADE))
    for chart in charts:
        if "Bemærkning" in chart.data.columns:
            hidden = chart.data.filter(pl.col("Bemærkning") == fmt.SUPPRESSED)
            assert hidden["Resultat"].null_count() == hidden.height
