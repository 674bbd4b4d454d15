"""Hostile uploads: refused in Danish naming the limit, the same on SQLite and PostgreSQL,
with the process that checks them protected (worker limits) and bounded reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_builders import (
    many_problems,
    mixed_encodings,
    shared_string_bomb,
    sparse_xfd,
    with_value,
)
from sqlalchemy import Engine, select
from typer.testing import CliRunner
from upload_files import ACTIVITY_IDS, KOMMUNER, PERIOD_END, PERIOD_START, good_rows, render_csv

from dashboard.cli.app import app
from data import sandbox
from data.db import make_engine, session_factory
from data.ingest import IngestResult, Outcome, ingest
from data.limits import MAX_FILE_BYTES
from data.schema import Batch
from data.upload_check import FileCheck, inspect_file
from expectations.report import MAX_LISTED_PROBLEMS, MAX_QUOTED_CHARS
from expectations.schema import Kind

F = Kind.FORLOEB
GOOD = render_csv(F, good_rows(F))
MARKDOWN_NAME = "![p](http://127.0.0.1:9/x.png) [klik](#) **fed**.csv"


def check(content: bytes, filename: str = "upload.csv") -> FileCheck:
    return inspect_file(
        content, filename, F, kommuner=KOMMUNER, period_start=PERIOD_START, period_end=PERIOD_END
    )


def load(engine: Engine, content: bytes, filename: str = "upload.csv") -> IngestResult:
    return ingest(
        engine,
        kind=F,
        content=content,
        filename=filename,
        period="2022Q3",
        user="direktor",
        activity_ids=ACTIVITY_IDS,
    )


def stored(engine: Engine, batch_id: int) -> Batch:
    with session_factory(engine)() as session:
        batch = session.scalars(select(Batch).where(Batch.id == batch_id)).one()
        session.expunge(batch)
        return batch


@pytest.mark.parametrize("lying", [True, False])
def test_sparse_xfd_sheet_is_refused_as_too_large_to_read(lying: bool) -> None:
    report = check(sparse_xfd(lying_dimension=lying), "upload.xlsx").report
    assert [p.rule_id for p in report.cells] == ["fil.for_stor"]
    text = report.cells[0].rule
    assert text.startswith("Filen er for stor til at blive læst")
    assert "1.048.576 rækker" in text and "200.000" in text


def test_mixed_encodings_name_the_first_bad_line() -> None:
    report = check(mixed_encodings()).report
    assert [p.rule_id for p in report.cells] == ["fil.ulæselig"]
    assert "linje 4" in report.cells[0].rule


def test_a_long_value_is_quoted_shortened_with_the_storage_rule(engine: Engine) -> None:
    result = load(engine, with_value("virksomhed", "Æ" * 300))
    assert result.outcome is Outcome.REJECTED
    (problem,) = result.report.cells
    assert (problem.row, problem.column) == (3, "Virksomhed")
    assert problem.rule == "'Virksomhed' må højst være 255 tegn lang"
    assert problem.value == "Æ" * (MAX_QUOTED_CHARS - 1) + "…"


def test_a_value_that_fits_is_stored_on_both_engines(engine: Engine) -> None:
    result = load(engine, with_value("forloeb_id", "F" * 80))
    assert result.outcome is Outcome.LOADED, result.report.to_text()


def test_many_problems_are_listed_up_to_the_cap_with_complete_counts(engine: Engine) -> None:
    result = load(engine, many_problems(1_500))
    report = result.report
    assert [(r.rule_id, r.count) for r in report.rules] == [("cvr.modulus11", 1_500)]
    assert len(report.cells) == MAX_LISTED_PROBLEMS
    assert [p.row for p in report.cells] == list(range(2, 2 + MAX_LISTED_PROBLEMS))
    assert report.problem_count == 1_500
    assert "Filen blev afvist: 1500 problemer" in report.to_text()
    assert "de første 1.000 problemer" in report.to_text()
    assert result.batch_id is not None
    kept = stored(engine, result.batch_id)
    assert kept.report is not None and len(kept.report) < 200_000
    assert json.loads(kept.report)["rules"][0]["count"] == 1_500


def test_markdown_file_name_is_stored_as_it_is(engine: Engine) -> None:
    result = load(engine, GOOD, filename=MARKDOWN_NAME)
    assert result.outcome is Outcome.LOADED and result.batch_id is not None
    assert stored(engine, result.batch_id).filename == MARKDOWN_NAME


def test_cli_refuses_a_file_over_the_cap_and_quarantines_only_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    big = tmp_path / "stor.csv"
    with big.open("wb") as f:
        f.write(GOOD)
        f.truncate(166 * 2**20)  # 166 MB, sparse on disk
    result = CliRunner().invoke(app, ["ingest", "forloeb", str(big), "--period", "2022Q3"])
    assert result.exit_code == 1, result.output
    assert "Filen fylder 166 MB; grænsen er 25 MB" in result.output
    assert "Traceback" not in result.output
    engine = make_engine(f"sqlite:///{db}")
    with session_factory(engine)() as session:
        (batch,) = session.scalars(select(Batch)).all()
        assert batch.status == "rejected"
        assert len(batch.content) == MAX_FILE_BYTES
    engine.dispose()


def test_worker_memory_limit_refuses_the_file_and_the_caller_carries_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A file within every size and extent limit that a reader blows up in memory: the
    # worker (here limited to 2 GB) dies, the caller gets a Danish refusal naming the limit.
    pool = sandbox.Pool(address_space=2 * 1024**3)
    monkeypatch.setattr(sandbox, "POOL", pool)
    try:
        report = check(shared_string_bomb(megabytes=4), "bombe.xlsx").report
        assert [p.rule_id for p in report.cells] == ["fil.for_stor"]
        assert "mere end 2 GB hukommelse" in report.cells[0].rule
        after = check(GOOD)
        assert after.report.ok
    finally:
        pool.close()
