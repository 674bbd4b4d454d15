"""What keeps exported files safe: no formula injection in spreadsheets, safe file names."""

from __future__ import annotations

import re
import unicodedata

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe
    (OWASP CSV injection); every other text is returned unchanged."""
    return "'" + text if text.startswith(FORMULA_START) else text


def slug(text: str, *, max_length: int = 80) -> str:
    """An ASCII file-name stem: letters, digits, '_' and '-' only; never a path."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_text).strip("_-").lower()
    return cleaned[:max_length] or "fil"
