"""CSV for Danish Excel with formula injection neutralised (no Streamlit here)."""

from __future__ import annotations

import io

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str | None) -> str | None:
    """A text cell that Excel would read as a formula is prefixed with an apostrophe."""
    if text is not None and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """';'-separated, decimal comma, UTF-8 with BOM; every text cell neutralised."""
    out = frame.with_columns(
        [
            pl.col(c).map_elements(neutralise, return_dtype=pl.String)
            for c, dtype in frame.schema.items()
            if dtype == pl.String
        ]
    )
    buffer = io.BytesIO()
    out.write_csv(buffer, separator=";", decimal_comma=True)
    return b"\xef\xbb\xbf" + buffer.getvalue()
