"""Values the schema cannot hold get a Danish message and nothing written, never a database
error (SQLite and PostgreSQL): a long or control-character ``--user``, a long file name with
control characters, over-long or NUL-carrying form fields."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner
from upload_files import good_rows, render_csv

from dashboard.cli.app import app
from data.audit import audit
from data.db import session_factory
from data.ingest import Outcome, ingest
from data.records import record_activity, record_comment, record_control_group
from data.schema import AuditLog, Batch
from data.store import list_batches
from data.value_limits import FREE_TEXT_LENGTH, InvalidValueError
from expectations.schema import Kind

GOOD = render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB))
BAD = GOOD.replace(b"851", b"101", 1)
LONG_NAME = "rapport\x00\x1b[31m " + "kvartalsrapport " * 30 + ".csv"  # NUL, ESC, 500 chars


def _count(engine: Engine, model: type[Batch] | type[AuditLog]) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def _load(engine: Engine, content: bytes, filename: str, user: str = "direktor") -> Outcome:
    return ingest(
        engine, kind=Kind.FORLOEB, content=content, filename=filename, period="2022Q3", user=user
    ).outcome


@pytest.mark.parametrize("user", ["d" * 256, "direk\x00tor"])
def test_cli_user_the_schema_cannot_hold_is_refused_in_danish(
    engine: Engine, tmp_path: pytest.TempPathFactory, user: str
) -> None:
    file = tmp_path / "f.csv"  # type: ignore[operator]
    file.write_bytes(GOOD)
    env = {"DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    result = CliRunner().invoke(
        app, ["ingest", "forloeb", str(file), "--period", "2022Q3", "--user", user], env=env
    )
    assert result.exit_code == 1 and result.exception is not None
    assert "Ugyldig værdi: Brugernavnet" in result.output and "Traceback" not in result.output
    assert _count(engine, Batch) == 0 and _count(engine, AuditLog) == 0


def test_a_long_file_name_is_shortened_keeping_its_extension(engine: Engine) -> None:
    assert _load(engine, GOOD, LONG_NAME) is Outcome.LOADED
    (batch,) = list_batches(engine, "nordjylland")
    assert len(batch.filename) == 255 and batch.filename.endswith("….csv")
    assert batch.filename.startswith("rapport__[31m kvartalsrapport")
    assert batch.filename.isprintable()


def test_a_refused_file_with_a_long_name_is_quarantined_and_audited(engine: Engine) -> None:
    assert _load(engine, BAD, LONG_NAME) is Outcome.REJECTED
    (batch,) = list_batches(engine, "nordjylland")
    assert batch.status == "rejected" and len(batch.filename) == 255
    with session_factory(engine)() as s:
        assert s.scalars(select(AuditLog.action)).all() == ["upload_rejected"]


def test_form_fields_the_schema_cannot_hold_are_refused(engine: Engine) -> None:
    factory = session_factory(engine)
    too_long = "x" * (FREE_TEXT_LENGTH + 1)
    attempts = [
        lambda s: record_comment(
            s, erhvervshus="nordjylland", year=2022, goal=1, text=too_long, author="a@b.dk"
        ),
        lambda s: record_comment(
            s, erhvervshus="nordjylland", year=2022, goal=1, text="a\x00b", author="a@b.dk"
        ),
        lambda s: record_control_group(
            s,
            erhvervshus="nordjylland",
            year=2021,
            revenue_pp=1.0,
            employment_pp=None,
            productivity_effect=None,
            source=too_long,
            entered_by="a@b.dk",
        ),
        lambda s: record_activity(
            s,
            erhvervshus="nordjylland",
            year=2022,
            goal=1,
            activity_id="1.1",
            status="I gang",
            status_date=date(2022, 5, 1),
            changed_by="a@b.dk",
            evidence=too_long,
        ),
        lambda s: record_activity(
            s,
            erhvervshus="nordjylland",
            year=2022,
            goal=1,
            activity_id="1" * 81,
            status="I gang",
            status_date=date(2022, 5, 1),
            changed_by="a@b.dk",
        ),
        lambda s: audit(s, "a" * 256, "comment"),
    ]
    for attempt in attempts:
        with (
            pytest.raises(InvalidValueError, match=r"højst|kontroltegn|Brugernavnet"),
            factory.begin() as session,
        ):
            attempt(session)
    assert _count(engine, AuditLog) == 0
    # Line breaks are welcome in free text; a comment at the limit is stored.
    with factory.begin() as session:
        record_comment(
            session,
            erhvervshus="nordjylland",
            year=2022,
            goal=1,
            text="Linje 1\nLinje 2" + "x" * (FREE_TEXT_LENGTH - 20),
            author="a@b.dk",
        )
    assert _count(engine, AuditLog) == 1
