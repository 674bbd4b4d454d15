"""XLSX side of the readers: guards against decompression bombs, then calamine (fastexcel).

Calamine has no bound on decompression (a 0.5 MB crafted XLSX used ~530 MiB), so
before it sees the bytes we check, in this order: the file size; that it is a zip holding
``xl/workbook.xml``; the zip's declared uncompressed sizes and compression ratios; the first
sheet's ``<dimension ref="A1:K100001"/>`` read from the first bytes of its entry; and finally
every entry is streamed through ``zipfile`` with a byte budget, which checks the CRC and so
catches entries that lie about their size. Only then is the workbook parsed.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_xml  # type: ignore[import-untyped]
import fastexcel
import polars as pl
from defusedxml import DefusedXmlException

from data.limits import (
    MAX_COLUMNS,
    MAX_ROWS,
    FileTooLarge,
    check_extent,
    check_file_size,
    da_int,
)
from data.readers_csv import UnreadableFile

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024  # tiny entries may compress extremely well; ignore their ratio
MAX_ENTRIES = 2_000
HEAD_BYTES = 64 * 1024
_CHUNK = 1024 * 1024

_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"'
)
# The first cell that carries a value: calamine's range starts at that cell's row.
_FIRST_VALUE_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="[A-Z]{1,3}(\d+)"[^>]*?(?<!/)>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?(?:v|is)\b',
    re.DOTALL,
)
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="\$?([A-Z]{1,3})\$?(\d+)"')
_ISO_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(?:\.0+)?$"

_NOT_XLSX = (
    "Filen er ikke en gyldig XLSX-fil (den er beskadiget, afkortet eller en anden filtype med "
    "endelsen .xlsx). Åbn den i Excel og gem den igen som 'Excel-projektmappe (.xlsx)' eller CSV."
)


class UnsafeWorkbook(UnreadableFile):
    """The workbook is larger than we are willing to unpack."""

    title = "Filen er for stor"


@dataclass(frozen=True, slots=True)
class SheetRows:
    rows: list[list[str]]
    first_row: int  # spreadsheet row number of rows[0]


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - ord("A") + 1)
    return n


def _first_sheet_path(zf: zipfile.ZipFile) -> str:
    """Path of the workbook's first sheet (the one calamine reads as index 0)."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    ns_pkg = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    try:
        workbook = safe_xml.fromstring(zf.read("xl/workbook.xml"))
        rels = safe_xml.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ParseError, DefusedXmlException) as exc:
        raise UnreadableFile(_NOT_XLSX) from exc
    except (LookupError, ValueError) as exc:  # e.g. an XML declaration with an unknown encoding
        raise UnreadableFile(_NOT_XLSX) from exc
    sheet = workbook.find(f"{ns_main}sheets/{ns_main}sheet")
    if sheet is None:
        raise UnreadableFile("Excel-filen indeholder ingen ark.")
    rel_id = sheet.get(f"{ns_rel}id")
    for rel in rels.iter(f"{ns_pkg}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise UnreadableFile(_NOT_XLSX)


def _check_declared_sizes(zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafeWorkbook("Excel-filen indeholder for mange dele til at blive læst sikkert.")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnsafeWorkbook(
            f"Excel-filen fylder {total // 2**20} MB udpakket; grænsen er "
            f"{MAX_UNCOMPRESSED_BYTES // 2**20} MB. Del filen op eller gem den som CSV."
        )
    for i in infos:
        if i.file_size > RATIO_MIN_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise UnsafeWorkbook(
                "Excel-filen er pakket usædvanligt hårdt (mere end 100 gange) og afvises af "
                "sikkerhedshensyn. Gem den igen fra Excel eller som CSV."
            )


def _check_dimension(head: bytes) -> int:
    """Refuse oversized sheets from the declared dimension; return the first used row."""
    dim = _DIMENSION.search(head)
    first_row = 1
    if dim:
        first_row = int(dim.group(2))
        last_row = int(dim.group(4) or dim.group(2))
        first_col = _column_number(dim.group(1))
        last_col = _column_number(dim.group(3) or dim.group(1))
        rows, cols = last_row - first_row + 1, last_col - first_col + 1
        if rows > MAX_ROWS or cols > MAX_COLUMNS:
            raise FileTooLarge(
                f"Filen er for stor til at blive læst: arket er angivet til {da_int(rows)} rækker og {cols} kolonner; grænsen er "
                f"{da_int(MAX_ROWS)} rækker og {MAX_COLUMNS} kolonner."
            )
    cell = _FIRST_VALUE_CELL.search(head)
    return int(cell.group(1)) if cell else first_row


class _Extent:
    """The cells a sheet really holds, found by scanning its XML (``<dimension>`` may lie).

    Calamine allocates the whole rectangle from the first to the last cell, so one cell in
    A1 and one in XFD1048576 would cost 17 billion cells; this bounds the rectangle first.
    """

    def __init__(self) -> None:
        self.cells = 0
        self.rows = (0, 0)
        self.cols = (0, 0)
        self._tail = b""

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        data = self._tail + chunk
        cut = len(data) if final else data.rfind(b"<")
        if cut <= 0 and len(data) < 2 * _CHUNK:
            self._tail = data
            return
        if cut <= 0:
            cut = len(data)
        part, self._tail = data[:cut], data[cut:]
        self.cells += len(_CELL_TAG.findall(part))
        refs = _CELL_REF.findall(part)
        if not refs:
            return
        rows = [int(r) for _, r in refs]
        cols = [_column_number(c) for c in {c for c, _ in refs}]
        self._widen(min(rows), max(rows), min(cols), max(cols))

    def _widen(self, r0: int, r1: int, c0: int, c1: int) -> None:
        if self.rows == (0, 0):
            self.rows, self.cols = (r0, r1), (c0, c1)
            return
        self.rows = (min(self.rows[0], r0), max(self.rows[1], r1))
        self.cols = (min(self.cols[0], c0), max(self.cols[1], c1))

    def check(self) -> None:
        rows = self.rows[1] - self.rows[0] + 1 if self.rows != (0, 0) else 0
        cols = self.cols[1] - self.cols[0] + 1 if self.cols != (0, 0) else 0
        check_extent(rows, cols, self.cells, what="arket")


def _stream_entries(zf: zipfile.ZipFile, sheet_path: str) -> None:
    """Decompress every entry within its declared size (zipfile verifies the CRC) and
    bound the first sheet's real extent."""
    for info in zf.infolist():
        budget = info.file_size
        extent = _Extent() if info.filename == sheet_path else None
        with zf.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                budget -= len(chunk)
                if budget < 0:
                    raise UnsafeWorkbook("En del af Excel-filen er større end angivet.")
                if extent is not None:
                    extent.feed(chunk)
        if extent is not None:
            extent.feed(b"", final=True)
            extent.check()


def check_workbook(content: bytes) -> int:
    """Run every guard; return the spreadsheet row number of the first row calamine reads."""
    check_file_size(len(content))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            if "xl/workbook.xml" not in zf.namelist():
                raise UnreadableFile(_NOT_XLSX)
            _check_declared_sizes(zf)
            sheet_path = _first_sheet_path(zf)
            with zf.open(sheet_path) as stream:
                first_row = _check_dimension(stream.read(HEAD_BYTES))
            _stream_entries(zf, sheet_path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, zlib.error) as exc:
        raise UnreadableFile(_NOT_XLSX) from exc
    except ValueError as exc:  # zipfile on corrupt offsets: "negative seek value"
        raise UnreadableFile(_NOT_XLSX) from exc
    except NotImplementedError as exc:  # unsupported compression method
        raise UnreadableFile(_NOT_XLSX) from exc
    except RuntimeError as exc:  # zipfile: "File is encrypted, password required"
        raise UnreadableFile(
            "Excel-filen er krypteret eller beskyttet med adgangskode. Gem en kopi uden "
            "adgangskode."
        ) from exc
    return first_row


def read_sheet(content: bytes) -> SheetRows:
    """The first sheet as rows of text cells ('' for empty), after :func:`check_workbook`."""
    first_row = check_workbook(content)
    try:
        sheet = fastexcel.read_excel(content).load_sheet(0, header_row=None, dtypes="string")
        frame = sheet.to_polars()
    except fastexcel.FastExcelError as exc:
        raise UnreadableFile(_NOT_XLSX) from exc
    if frame.width == 0:
        return SheetRows([], first_row)
    frame = frame.select(
        pl.col(c).str.replace(_ISO_MIDNIGHT, "$1").fill_null("") for c in frame.columns
    )
    return SheetRows([list(r) for r in frame.iter_rows()], first_row)
