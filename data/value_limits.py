"""Values checked against the schema before anything is written, with a Danish message.

The file's cells are checked by the upload rules; this module covers everything else a person
types or a browser sends: who is acting (``--user``, ``--actor``), file names and free-text
form fields. PostgreSQL refuses NUL characters and values longer than a column, and would
otherwise end such input with a database error instead of a message.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath

from sqlalchemy import String

from data.errors import UserFacingError
from data.schema import Batch

NAME_LENGTH = 255  # users, actors, e-mail addresses, file names (String(255) columns)
FREE_TEXT_LENGTH = 10_000  # comments, documentation, sources (Text columns)


def _length(column: object) -> int:
    kind = getattr(column, "type", None)
    assert isinstance(kind, String) and kind.length is not None
    return kind.length


FILENAME_LENGTH = _length(Batch.__table__.c.filename)


class InvalidValueError(UserFacingError):
    title = "Ugyldig værdi"


def _control(text: str, *, allow_lines: bool) -> str | None:
    allowed = "\n\r\t" if allow_lines else ""
    for ch in text:
        if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            return f"U+{ord(ch):04X}"
    return None


def check_name(label: str, value: str, *, limit: int = NAME_LENGTH) -> str:
    """A one-line name such as a user or actor: printable, at most ``limit`` characters."""
    if not value.strip():
        raise InvalidValueError(f"{label} skal udfyldes.")
    bad = _control(value, allow_lines=False)
    if bad is not None:
        raise InvalidValueError(f"{label} indeholder et kontroltegn ({bad}), som ikke kan gemmes.")
    if len(value) > limit:
        raise InvalidValueError(f"{label} må højst have {limit} tegn (har {len(value)}).")
    return value


def check_free_text(label: str, value: str | None, *, limit: int = FREE_TEXT_LENGTH) -> str | None:
    """Free text from a form: line breaks allowed, no other control characters, bounded."""
    if value is None:
        return None
    bad = _control(value, allow_lines=True)
    if bad is not None:
        raise InvalidValueError(f"{label} indeholder et kontroltegn ({bad}), som ikke kan gemmes.")
    if len(value) > limit:
        raise InvalidValueError(
            f"{label} må højst have {limit:,} tegn (har {len(value):,}).".replace(",", ".")
        )
    return value


def stored_filename(name: str) -> str:
    """The name a file is stored and shown under: as given (it is only ever text, never a
    path on disk), control characters replaced by '_', shortened to the column's 255
    characters keeping the extension."""
    clean = "".join("_" if _control(ch, allow_lines=False) else ch for ch in name).strip() or "fil"
    if len(clean) <= FILENAME_LENGTH:
        return clean
    suffix = PurePosixPath(clean).suffix
    suffix = suffix if len(suffix) <= 10 else ""
    return clean[: FILENAME_LENGTH - len(suffix) - 1] + "…" + suffix
