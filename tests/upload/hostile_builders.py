"""Hostile files for the corpus: small files that would cost a parser gigabytes or minutes,
values the storage schema cannot hold, mixed encodings and files with very many problems."""

from __future__ import annotations

import io
import re
import zipfile

from broken_builders import F, rewrite_zip
from upload_files import good_rows, render_csv, render_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def _sheet(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return zf.read(SHEET)


def with_far_cells(cells: list[str], *, dimension: str | None) -> bytes:
    """The good courses workbook plus text cells at ``cells`` (e.g. "XFD1048576").

    ``dimension`` replaces the declared ``<dimension ref>``; ``None`` removes the element.
    The file stays a few kB: only the cells are written, the rectangle is implied.
    """
    good = render_xlsx(F, good_rows(F))
    sheet = _sheet(good).decode()
    rows: dict[int, list[str]] = {}
    for ref in cells:
        number = int(re.sub(r"[A-Z]", "", ref))
        rows.setdefault(number, []).append(f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>')
    extra = "".join(f'<row r="{n}">{"".join(c)}</row>' for n, c in sorted(rows.items()))
    sheet = sheet.replace("</sheetData>", extra + "</sheetData>")
    if dimension is None:
        sheet = re.sub(r"<dimension [^>]*/>", "", sheet)
    else:
        sheet = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', sheet)
    return rewrite_zip(good, SHEET, sheet.encode())


def sparse_xfd(*, lying_dimension: bool) -> bytes:
    """One more cell in XFD1048576: a rectangle of 17 billion cells for calamine."""
    return with_far_cells(["XFD1048576"], dimension="A1:J7" if lying_dimension else None)


def sparse_million_by_hundred() -> bytes:
    """Cells in CV1 and CV1000000 next to the data: 1.000.000 rows × 100 columns."""
    return with_far_cells(["CV1", "CV1000000"], dimension="A1:CV1000000")


def lying_size() -> bytes:
    """``<dimension>`` claims A1:J7, but a cell sits in J300000."""
    return with_far_cells(["J300000"], dimension="A1:J7")


def amplifying_csv_lines() -> bytes:
    """Header and 1.500.000 lines of bare separators (15 MB): millions of empty rows."""
    return render_csv(F, good_rows(F)) + b";;;;;;;;;\n" * 1_500_000


def amplifying_csv_cells() -> bytes:
    """Header and one line of 5.000.000 separators (5 MB): one row of 5 million cells."""
    return render_csv(F, good_rows(F)) + b";" * 5_000_000 + b"\n"


def with_value(name: str, value: str, index: int = 1) -> bytes:
    rows = good_rows(F)
    rows[index] = {**rows[index], name: value}
    return render_csv(F, rows)


def mixed_encodings() -> bytes:
    """UTF-8 throughout (header: "Forløb ID"), but line 4 saved as Windows-1252."""
    name = "Søren Ærø ApS"
    content = with_value("virksomhed", name, index=2)
    return content.replace(name.encode(), name.encode("cp1252"))


def many_problems(rows: int = 1_500) -> bytes:
    """``rows`` courses, each with a CVR failing the modulus 11 check."""
    base = good_rows(F)
    many = [
        {**base[i % len(base)], "forloeb_id": f"F{i:06d}", "cvr": "12345678"} for i in range(rows)
    ]
    return render_csv(F, many)


def shared_string_bomb(megabytes: int = 10, cells: int = 700) -> bytes:
    """A workbook whose ``cells`` cells all point to one shared string of ``megabytes`` MB.

    Within every size, ratio and extent limit (700 cells, ≈ 6 MB compressed), but a reader
    that copies the string into each cell needs ≈ 7 GB: only the worker's memory limit
    stops it.
    """
    import random

    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    text = "".join(rng.choice(letters) for _ in range(megabytes * 2**20))
    width = 50
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{_letters(c)}{r}" t="s"><v>0</v></c>' for c in range(1, width + 1))
        + "</row>"
        for r in range(1, cells // width + 1)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    strings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        f'uniqueCount="1"><si><t>{text}</t></si></sst>'
    )
    good = render_xlsx(F, good_rows(F))
    with_strings = rewrite_zip(good, "xl/sharedStrings.xml", strings.encode())
    return rewrite_zip(with_strings, SHEET, sheet.encode())


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out
