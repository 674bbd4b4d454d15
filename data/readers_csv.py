"""CSV side of the readers: decoding and splitting into rows of text cells.

Encodings are decided for the whole file and tried strictly (UTF-8 with BOM, UTF-8,
Windows-1252), never lossily, so æøå either survive or the file is refused. The separator (';' or ',') is chosen by the caller
from the candidate that makes a header row appear (see :func:`data.readers.read_export`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from data.errors import UserFacingError

SEPARATORS: tuple[str, ...] = (";", ",")
_BOM = b"\xef\xbb\xbf"
# Lines looked at to choose the separator; title blocks are a handful of lines.
SNIFF_LINES = 60


class UnreadableFile(UserFacingError):
    """The file cannot be turned into rows at all (encoding, binary content, CSV syntax)."""

    title = "Filen kan ikke læses"


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8-sig", "utf-8" or "windows-1252"


# A valid multi-byte UTF-8 sequence; a Windows-1252 file practically never contains one.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _line_of(content: bytes, offset: int) -> int:
    return content.count(b"\n", 0, offset) + 1


def decode(content: bytes) -> DecodedText:
    """One encoding for the whole file: strict UTF-8 (with or without BOM), else strict
    Windows-1252, but only when the file holds no valid multi-byte UTF-8 sequence (a file
    mixing the two would otherwise load as "SÃ¸ren"). Never lossy."""
    if b"\x00" in content:
        raise UnreadableFile(
            "Filen ser ud til at være binær (den indeholder NUL-tegn) og er hverken CSV eller "
            "XLSX. Gem den som CSV (UTF-8) eller XLSX fra Excel."
        )
    body = content[len(_BOM) :] if content.startswith(_BOM) else content
    try:
        return DecodedText(body.decode("utf-8"), "utf-8-sig" if body is not content else "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if body is not content or _UTF8_MULTIBYTE.search(body):
        line = _line_of(body, utf8_error.start)
        raise UnreadableFile(
            f"Filen blander tegnsæt: den er gemt som UTF-8, men linje {line} er i et andet "
            "tegnsæt (fx Windows-1252), så æ, ø og å ville blive forkerte. Gem hele filen "
            "som 'CSV UTF-8' fra Excel."
        )
    try:
        return DecodedText(body.decode("windows-1252"), "windows-1252")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"Filens tegn kan hverken læses som UTF-8 eller Windows-1252 (første fejl i linje "
            f"{_line_of(body, exc.start)}). Gem filen som 'CSV UTF-8' fra Excel."
        ) from exc


def sniff_lines(text: str) -> str:
    """The first lines of the text, for trying separators cheaply."""
    lines = text.splitlines(keepends=True)[:SNIFF_LINES]
    return "".join(lines)


def split_rows(text: str, separator: str) -> list[list[str]]:
    """All records of the text; a record is one row as Excel would show it."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"')
    try:
        return list(reader)
    except csv.Error as exc:
        raise UnreadableFile(
            f"Filen kan ikke læses som CSV omkring linje {reader.line_num}. "
            "Kontrollér anførselstegn og at filen er gemt som CSV."
        ) from exc
