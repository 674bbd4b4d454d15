"""The CLI never prints stored text raw: escape codes and control characters in a file name
or an uploader are removed, and a line break cannot split a table's row (SQLite and
PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import Engine
from typer.testing import CliRunner

from dashboard.cli.app import app
from dashboard.views.format import terminal_text
from data.audit import now
from data.db import session_factory
from data.schema import Batch

HOSTILE = "rap\x1b[2J\x1b[31mport\nNr. 99 falsk række\u202e.csv"


def test_terminal_text_removes_escapes_and_line_breaks() -> None:
    assert terminal_text(HOSTILE) == "rap[2J[31mport Nr. 99 falsk række.csv"
    assert terminal_text("a\nb\x07", keep_newlines=True) == "a\nb"


def test_batches_prints_stored_names_without_escape_codes(engine: Engine) -> None:
    # Stored by an older version that kept names as uploaded.
    with session_factory(engine).begin() as s:
        s.add(
            Batch(
                erhvervshus="nordjylland",
                kind="forloeb",
                period="2022Q3",
                filename=HOSTILE,
                uploaded_by="ond\x1b]0;titel\x07bruger",
                uploaded_at=now(),
                sha256="0" * 64,
                content=b"",
                encoding=None,
                row_count=0,
                status="rejected",
            )
        )
    env = {"DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    result = CliRunner().invoke(app, ["batches"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2  # the header and one row
    assert all(ch.isprintable() for ch in result.output.replace("\n", ""))
    assert lines[1].endswith("rap[2J[31mport Nr. 99 falsk række.csv (ond]0;titelbruger)")
