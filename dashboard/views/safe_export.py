"""What keeps exported files safe: no formula injection in spreadsheets (XLSX and CSV), safe
file names. Used by the annual report and by every page's CSV download (no Streamlit here)."""

from __future__ import annotations

import io
import re
import unicodedata

import polars as pl

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe
    (OWASP CSV injection); every other text is returned unchanged."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """';'-separated, decimal comma, UTF-8 with BOM; every text cell neutralised."""
    out = frame.with_columns(
        [
            pl.col(c).map_elements(neutralise, return_dtype=pl.String)  # nulls stay null
            for c, dtype in frame.schema.items()
            if dtype == pl.String
        ]
    )
    buffer = io.BytesIO()
    out.write_csv(buffer, separator=";", decimal_comma=True)
    return b"\xef\xbb\xbf" + buffer.getvalue()


def slug(text: str, *, max_length: int = 80) -> str:
    """An ASCII file-name stem: letters, digits, '_' and '-' only; never a path."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_text).strip("_-").lower()
    return cleaned[:max_length] or "fil"
