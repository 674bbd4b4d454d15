"""Good files in every dialect read to the same typed frame and pass validation."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from upload_files import (
    ACTIVITY_IDS,
    DIALECTS,
    KOMMUNER,
    PERIOD_END,
    PERIOD_START,
    SALESFORCE_TITLE,
    Dialect,
    first_data_row,
    good_rows,
    render_csv,
    render_xlsx,
)

from data.readers import read_export
from data.readers_typing import typed_frame
from data.upload_check import inspect_file
from expectations.schema import COLUMNS, Dtype, Kind

DTYPES = {
    Dtype.TEXT: pl.String,
    Dtype.INT: pl.Int64,
    Dtype.FLOAT: pl.Float64,
    Dtype.DATE: pl.Date,
    Dtype.BOOL: pl.Boolean,
}


def expected_frame(kind: Kind) -> pl.DataFrame:
    rows = good_rows(kind)
    schema = {c.name: DTYPES[c.dtype] for c in COLUMNS[kind]}
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema, orient="row")


def variants(kind: Kind) -> list[tuple[str, bytes, str]]:
    rows = good_rows(kind)
    found = [(d.name, render_csv(kind, rows, d), f"{kind}.csv") for d in DIALECTS]
    found.append(("xlsx", render_xlsx(kind, rows), f"{kind}.xlsx"))
    found.append(("xlsx-salesforce", render_xlsx(kind, rows, salesforce=True), f"{kind}.xlsx"))
    return found


@pytest.mark.parametrize("kind", list(Kind))
def test_all_dialects_give_the_same_typed_frame(kind: Kind) -> None:
    expected = expected_frame(kind)
    for name, content, filename in variants(kind):
        read = read_export(content, filename, kind)
        assert read.problems == [], (name, read.problems)
        typed, problems = typed_frame(read, kind)
        assert problems == [], (name, problems)
        assert_frame_equal(typed.drop("row_number"), expected, check_dtypes=True), name


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_detected_encoding_separator_and_row_numbers(dialect: Dialect) -> None:
    content = render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB), dialect)
    read = read_export(content, "forloeb.csv", Kind.FORLOEB)
    assert read.encoding == dialect.encoding
    assert read.separator == dialect.separator
    first = first_data_row(dialect)
    assert read.header_row == first - 1
    assert read.frame["row_number"].to_list() == list(range(first, first + 6))


def test_xlsx_row_numbers_and_text_forms() -> None:
    content = render_xlsx(Kind.FORLOEB, good_rows(Kind.FORLOEB), salesforce=True)
    read = read_export(content, "forloeb.xlsx", Kind.FORLOEB)
    assert (read.encoding, read.separator) == ("xlsx", None)
    assert read.header_row == len(SALESFORCE_TITLE) + 1
    assert read.frame["row_number"][0] == len(SALESFORCE_TITLE) + 2
    # Excel number cells become plain text without ".0"; date cells become ISO dates.
    assert read.frame["cvr"][0] == good_rows(Kind.FORLOEB)[0]["cvr"]
    assert read.frame["kommunekode"][0] == "851"
    assert read.frame["startdato"][0] == "2022-07-01"


@pytest.mark.parametrize("kind", list(Kind))
def test_good_files_pass_the_whole_check(kind: Kind) -> None:
    for name, content, filename in variants(kind)[:3] + variants(kind)[-1:]:
        checked = inspect_file(
            content,
            filename,
            kind,
            kommuner=KOMMUNER,
            period_start=PERIOD_START,
            period_end=PERIOD_END,
            activity_ids=ACTIVITY_IDS,
        )
        frame, report = checked.frame, checked.report
        assert report.ok, (name, report.to_text())
        assert frame is not None and frame.height == len(good_rows(kind))
        assert report.to_text().startswith("Filen er godkendt")


def test_headers_match_case_whitespace_colon_and_aliases() -> None:
    rows = good_rows(Kind.FORLOEB)
    content = render_csv(Kind.FORLOEB, rows).decode()
    header, rest = content.split("\n", 1)
    messy = header.replace("Forløb ID", "  forløbs   ID: ").replace("CVR", "CVR-nummer")
    messy = messy.replace("Kommunekode", "KOMMUNEKODE").replace("Fagområde", "fagomraade")
    read = read_export(f"{messy}\n{rest}".encode(), "f.csv", Kind.FORLOEB)
    assert read.problems == []
    assert read.frame["forloeb_id"].to_list()[:2] == ["F001", "F002"]


def test_category_values_are_matched_case_insensitively() -> None:
    rows = good_rows(Kind.FORLOEB)
    rows[0] = {**rows[0], "kategori": "  vækstFORLØB ", "fagomraade": "innovation"}
    typed, problems = typed_frame(
        read_export(render_csv(Kind.FORLOEB, rows), "f.csv", Kind.FORLOEB), Kind.FORLOEB
    )
    assert problems == []
    assert typed["kategori"][0] == "Vækstforløb"
    assert typed["fagomraade"][0] == "Innovation"


def test_xlsx_row_numbers_count_leading_empty_and_styled_rows() -> None:
    """Calamine starts at the first cell with a value; the reader must still count from A1."""
    import io

    import openpyxl
    from openpyxl.styles import Font
    from upload_files import table

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"].font = Font(bold=True)  # styled but empty
    ws["A3"] = "Forløbsrapport"
    lines = table(Kind.FORLOEB, good_rows(Kind.FORLOEB), DIALECTS[0])
    for i, line in enumerate(lines, start=5):
        for j, value in enumerate(line, start=2):
            ws.cell(i, j, value)
    buf = io.BytesIO()
    wb.save(buf)
    read = read_export(buf.getvalue(), "forloeb.xlsx", Kind.FORLOEB)
    assert read.problems == []
    assert read.header_row == 5
    assert read.frame["row_number"].to_list() == list(range(6, 12))
