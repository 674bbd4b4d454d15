"""Broken files built by hand for the corpus in ``broken_files``: crafted XLSX archives
(bad dimension, zip-bomb-like sizes, lying sizes) and CSV files with a structural fault."""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import date

from upload_files import DIALECTS, Dialect, csv_bytes, good_rows, render_csv, render_xlsx, table

from expectations.schema import Kind

F, B = Kind.FORLOEB, Kind.BRUGEREVALUERING


def rewrite_zip(content: bytes, name: str, new: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = new if info.filename == name else src.read(info)
            dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_dimension(ref: str) -> bytes:
    good = render_xlsx(F, good_rows(F))
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    start = sheet.index('<dimension ref="')
    end = sheet.index("/>", start)
    sheet = f'{sheet[:start]}<dimension ref="{ref}"{sheet[end:]}'
    return rewrite_zip(good, "xl/worksheets/sheet1.xml", sheet.encode())


def highly_compressible() -> bytes:
    """A sheet padded with 30 MB of whitespace: ratio far above 100."""
    good = render_xlsx(F, good_rows(F))
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (30 * 2**20), 1)
    return rewrite_zip(good, "xl/worksheets/sheet1.xml", padded)


def declared_huge() -> bytes:
    """The central directory claims sheet1.xml unpacks to 3 GB (a classic bomb header)."""
    data = bytearray(render_xlsx(F, good_rows(F)))
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        name = bytes(data[pos + 46 : pos + 46 + name_len])
        if name == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, pos + 24, 3_000_000_000)
        pos += 4
    return bytes(data)


def lying_sizes() -> bytes:
    """The sheet entry declares a small size but holds more (CRC/size check must catch it)."""
    good = render_xlsx(F, good_rows(F))
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    data = bytearray(rewrite_zip(good, "xl/worksheets/sheet1.xml", sheet))
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, pos + 24, 100)
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def survey_as_courses() -> bytes:
    return render_csv(B, good_rows(B))


def header_only(kind: Kind, dialect: Dialect = DIALECTS[0]) -> bytes:
    return render_csv(kind, [], dialect)


def extra_fields() -> bytes:
    lines = table(F, good_rows(F), DIALECTS[0])
    lines[3] = [*lines[3], "overskydende"]
    return csv_bytes(lines)


def duplicate_column() -> bytes:
    lines = table(F, good_rows(F), DIALECTS[0])
    return csv_bytes([[*line, line[1]] for line in lines])


def whole_file_in(kind: Kind, year: int) -> bytes:
    rows = [{**r, "startdato": date(year, 7, 1)} for r in good_rows(kind)]
    return render_csv(kind, rows)


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "ikke et regneark")
    return out.getvalue()
