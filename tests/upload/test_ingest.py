"""Ingest into SQLite and PostgreSQL: rejected files change no data, twice equals once,
replace-then-restore returns the previous figures, a killed ingest leaves no partial batch."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from broken_files import Case, cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text
from typer.testing import CliRunner
from upload_files import ACTIVITY_IDS, DIALECTS, good_rows, render_csv, render_xlsx

from dashboard.cli.app import app
from data import preview as preview_module
from data.db import make_engine
from data.ingest import Outcome, ingest, store_preview
from data.migrate import upgrade
from data.preview import UploadPreview, preview_upload
from data.readers_typing import RULE_SUFFIX
from data.reference import erhvervshus
from data.schema import Base, Batch
from data.store import list_batches, load_stored_data
from data.upload_check import FileCheck, inspect_file
from expectations.schema import Kind
from metrics.service import kpi_cells
from tests.conftest import emptied_postgres, examples

DATA_TABLES = ("forloeb", "brugerevaluering", "kendskab", "activity_status")
GOOD = render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB))
# Cases that need options the database supplies itself (existing IDs, Måleår) are covered
# at check level; here every case goes through the real ingest.
DB_CASES = [c for c in cases() if not c.options]
EARLIER = render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB)[:5])  # not byte-identical to a case
TYPE_RULES = frozenset(RULE_SUFFIX.values())  # "heltal", "tal", "dato", "ja_nej"
LENGTH_WORDS = ("laengde", "længde", "lang", "tegn")


def on_postgresql(case: Case, corpus: list[Case]) -> bool:
    """The PostgreSQL share of the corpus: every case about a value's type or length (where
    the engines differ), and the first case of every other kind of rule (the part after the
    dot: ``udfyldt``, ``unik``, ``tom``, …). SQLite runs the whole corpus."""
    suffix = case.rule_id.rsplit(".", 1)[-1]
    if suffix in TYPE_RULES or any(word in case.rule_id for word in LENGTH_WORDS):
        return True
    return next(c for c in corpus if c.rule_id.rsplit(".", 1)[-1] == suffix) is case


INGEST_CASES = [pytest.param("sqlite", c, id=f"sqlite-{c.id}") for c in DB_CASES] + [
    pytest.param("postgresql", c, id=f"postgresql-{c.id}")
    for c in DB_CASES
    if on_postgresql(c, DB_CASES)
]


def load(
    engine: Engine, kind: Kind, content: bytes, period: str = "2022Q3", filename: str = "f.csv"
) -> Any:
    return ingest(
        engine,
        kind=kind,
        content=content,
        filename=filename,
        period=period,
        user="direktor",
        activity_ids=ACTIVITY_IDS,
    )


def snapshot(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every data table."""
    out = {}
    with engine.connect() as conn:
        for table in DATA_TABLES:
            rows = sorted(repr(tuple(r)) for r in conn.execute(text(f"SELECT * FROM {table}")))
            out[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


def test_corpus_is_large() -> None:
    assert len(DB_CASES) >= 40
    on_both = [c for c in DB_CASES if on_postgresql(c, DB_CASES)]
    assert len({c.rule_id.rsplit(".", 1)[-1] for c in on_both}) == len(
        {c.rule_id.rsplit(".", 1)[-1] for c in DB_CASES}
    )


@pytest.fixture(scope="session")
def earlier_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database holding an earlier good file for 2022Q3, copied by each test."""
    path = tmp_path_factory.mktemp("earlier") / "earlier.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    assert load(engine, Kind.FORLOEB, EARLIER, period="2022Q3").outcome is Outcome.LOADED
    engine.dispose()  # the last connection closed: everything is in the one file
    return path


@pytest.fixture(scope="module")
def earlier_checked(earlier_sqlite: Path) -> UploadPreview:
    """The earlier good file, checked once against an empty database (as every PostgreSQL
    case's database is before it is stored)."""
    engine = make_engine(f"sqlite:///{earlier_sqlite.with_name('empty.db')}")
    upgrade(engine)
    checked = preview_upload(
        engine, kind=Kind.FORLOEB, content=EARLIER, filename="f.csv", period="2022Q3"
    )
    engine.dispose()
    return checked


@pytest.fixture
def engine_with_earlier(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database (``request.param``) whose only batch is the earlier good file."""
    if request.param == "sqlite":
        copy = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("earlier_sqlite"), copy)
        engine = make_engine(f"sqlite:///{copy}")
        yield engine
        engine.dispose()
        return
    engine = emptied_postgres(request.getfixturevalue("postgres_url"))
    earlier = request.getfixturevalue("earlier_checked")
    stored = store_preview(engine, earlier, content=EARLIER, user="test")
    assert stored.outcome is Outcome.LOADED
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def checked_once() -> Iterator[None]:
    """Each broken file is checked once per process: its SQLite and PostgreSQL cases ask the
    same check (the same earlier IDs, period and house) and get the same report; what differs
    between them, the storing, is done every time."""
    memo: dict[tuple[object, ...], FileCheck] = {}

    def check(content: bytes, filename: str, kind: Kind, **limits: Any) -> FileCheck:
        key = (content, filename, kind, repr(sorted(limits.items())))
        if key not in memo:
            memo[key] = inspect_file(content, filename, kind, **limits)
        return memo[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(preview_module, "inspect_file", check)
        yield


@pytest.mark.parametrize(
    ("engine_with_earlier", "case"), INGEST_CASES, indirect=["engine_with_earlier"]
)
@pytest.mark.usefixtures("checked_once")
def test_broken_file_changes_no_data(engine_with_earlier: Engine, case: Case) -> None:
    engine = engine_with_earlier
    before = snapshot(engine)
    assert before["forloeb"][0] == 5  # the earlier good file's rows
    result = load(engine, case.kind, case.content, period="2022Q3", filename=case.filename)
    assert result.outcome is Outcome.REJECTED
    assert any(p.rule_id == case.rule_id for p in result.report.cells), result.report.to_text()
    assert snapshot(engine) == before
    quarantined = [b for b in list_batches(engine, "nordjylland") if b.status == "rejected"]
    assert [b.id for b in quarantined] == [result.batch_id]
    with engine.connect() as conn:
        kept = conn.execute(
            select(Batch.content, Batch.report).where(Batch.id == result.batch_id)
        ).one()
    assert kept.content == case.content and kept.report


def test_good_file_in_every_dialect_gives_the_same_rows(engine: Engine) -> None:
    frames = []
    for i, dialect in enumerate(DIALECTS):
        period = f"{2010 + i}Q3"  # one period per dialect, so nothing replaces anything
        rows = [
            {**r, "startdato": r["startdato"].replace(year=2010 + i)}
            for r in good_rows(Kind.FORLOEB)
        ]
        rows = [
            {
                **r,
                "slutdato": r["slutdato"] and r["slutdato"].replace(year=2010 + i),
                "forloeb_id": f"{r['forloeb_id']}-{i}",
            }
            for r in rows
        ]
        assert (
            load(engine, Kind.FORLOEB, render_csv(Kind.FORLOEB, rows, dialect), period).outcome
            is Outcome.LOADED
        )
    xlsx = render_xlsx(Kind.FORLOEB, good_rows(Kind.FORLOEB))
    assert load(engine, Kind.FORLOEB, xlsx, "2022Q3", filename="f.xlsx").outcome is Outcome.LOADED
    stored = load_stored_data(engine, "nordjylland").forloeb
    for year in range(2010, 2010 + len(DIALECTS)):
        frames.append(
            stored.filter(pl.col("startdato").dt.year() == year)
            .drop("forloeb_id", "startdato", "slutdato")
            .sort("cvr")
        )
    frames.append(
        stored.filter(pl.col("startdato").dt.year() == 2022)
        .drop("forloeb_id", "startdato", "slutdato")
        .sort("cvr")
    )
    for frame in frames[1:]:
        assert frame.equals(frames[0])


def wipe(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.sampled_from(DIALECTS), st.integers(1, 6), st.booleans())
def test_loading_twice_equals_loading_once(
    engine: Engine, dialect: Any, n_rows: int, xlsx: bool
) -> None:
    wipe(engine)  # hypothesis reuses the fixture across examples
    rows = good_rows(Kind.FORLOEB)[:n_rows]
    content = render_xlsx(Kind.FORLOEB, rows) if xlsx else render_csv(Kind.FORLOEB, rows, dialect)
    first = load(engine, Kind.FORLOEB, content, filename="f.xlsx" if xlsx else "f.csv")
    assert first.outcome is Outcome.LOADED, first.report.to_text()
    once = snapshot(engine)
    second = load(engine, Kind.FORLOEB, content, filename="f.xlsx" if xlsx else "f.csv")
    assert second.outcome is Outcome.UNCHANGED and second.batch_id == first.batch_id
    assert snapshot(engine) == once


def test_replace_then_restore_returns_previous_kpis(engine: Engine) -> None:
    house = erhvervshus()

    def figures() -> list[dict[str, Any]]:
        cells = kpi_cells(load_stored_data(engine, house.key), house, years=[2022])
        return (
            cells.select("kpi", "kommune", "segment", "value", "n", "status")
            .sort("kpi", "kommune", "segment")
            .to_dicts()
        )

    first = load(engine, Kind.FORLOEB, GOOD)
    before = figures()
    replacement = render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB)[:2])
    replaced = load(engine, Kind.FORLOEB, replacement)
    assert replaced.replaced_batch_id == first.batch_id
    assert figures() != before
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["restore", str(first.batch_id)],
        env={"DATABASE_URL": engine.url.render_as_string(hide_password=False)},
    )
    assert result.exit_code == 0, result.output
    assert figures() == before


def test_id_already_in_another_active_batch_is_refused(engine: Engine) -> None:
    load(engine, Kind.FORLOEB, GOOD, "2022Q3")
    rows = [
        {**r, "startdato": r["startdato"].replace(month=r["startdato"].month + 3), "slutdato": None}
        for r in good_rows(Kind.FORLOEB)
    ]
    result = load(engine, Kind.FORLOEB, render_csv(Kind.FORLOEB, rows), "2022Q4")
    assert result.outcome is Outcome.REJECTED
    assert {p.column for p in result.report.cells} == {"Forløb ID"}


def test_concurrent_uploads_leave_one_active_batch(engine: Engine) -> None:
    """Three people checked three files for the same period and press "Gem" at the same moment:
    the checks are done one after the other (they are not what races), the saves at once."""
    contents = [render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB)[: 2 + i]) for i in range(3)]
    previews = [
        preview_upload(engine, kind=Kind.FORLOEB, content=c, filename="f.csv", period="2022Q3")
        for c in contents
    ]
    assert all(p.frame is not None and p.current is None for p in previews)
    start = threading.Barrier(len(contents))
    errors: list[BaseException] = []

    def upload(preview: UploadPreview, content: bytes) -> None:
        start.wait()
        try:
            store_preview(engine, preview, content=content, user="test")
        except Exception as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=upload, args=pc) for pc in zip(previews, contents, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(type(e).__name__ == "ConcurrentUploadError" for e in errors)
    active = [b for b in list_batches(engine, "nordjylland") if b.status == "active"]
    assert len(active) == 1
    assert load_stored_data(engine, "nordjylland").forloeb.height == active[0].row_count


CRASH_SCRIPT = """
import os, pickle, signal, sys
import data.batches as batches
from data.db import make_engine
from data.ingest import store_preview

original = batches._insert_rows
def crash_midway(session, kind, batch, frame):
    original(session, kind, batch, frame.head(2))
    session.flush()  # rows are in the database's transaction, not committed
    os.kill(os.getpid(), signal.SIGKILL)
batches._insert_rows = crash_midway
with open(sys.argv[2], "rb") as f:
    preview, content = pickle.load(f)
store_preview(make_engine(sys.argv[1]), preview, content=content, user="crash")
"""


def test_killed_ingest_leaves_no_partial_batch(engine: Engine, tmp_path: Path) -> None:
    """The save of a checked file is killed after half its rows: nothing of it is stored.
    (The check is done here, by this process's warm worker; the process that is killed only
    saves, so it need not start a checking worker of its own.)"""
    preview = preview_upload(
        engine, kind=Kind.FORLOEB, content=GOOD, filename="f.csv", period="2022Q3"
    )
    assert preview.frame is not None and preview.frame.height > 2
    checked = tmp_path / "checked.pickle"
    checked.write_bytes(pickle.dumps((preview, GOOD)))
    url = engine.url.render_as_string(hide_password=False)
    proc = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, url, str(checked)],
        cwd=Path(__file__).parents[2],
        env={**os.environ},
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert list_batches(engine, "nordjylland") == []
    assert all(count == 0 for count, _ in snapshot(engine).values())
    assert load(engine, Kind.FORLOEB, GOOD).outcome is Outcome.LOADED  # and the next try works


def test_cli_ingest_exit_codes(engine: Engine, tmp_path: Path) -> None:
    env = {"DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(GOOD)
    bad.write_bytes(GOOD.replace(b"851", b"101", 1))
    runner = CliRunner()
    ok = runner.invoke(
        app, ["ingest", "forloeb", str(good), "--period", "2022Q3", "--user", "direktor"], env=env
    )
    assert ok.exit_code == 0 and "Indlæst: 6 rækker" in ok.output
    same = runner.invoke(app, ["ingest", "forloeb", str(good), "--period", "2022Q3"], env=env)
    assert same.exit_code == 0 and "intet er ændret" in same.output
    rejected = runner.invoke(app, ["ingest", "forloeb", str(bad), "--period", "2022Q3"], env=env)
    assert (
        rejected.exit_code == 1 and "Række" in rejected.output and "Kommunekode" in rejected.output
    )
    history = runner.invoke(app, ["batches"], env=env)
    assert "aktiv" in history.output and "afvist" in history.output
    wrong = runner.invoke(app, ["ingest", "kendskab", str(good), "--period", "2022Q1"], env=env)
    assert wrong.exit_code == 1 and "efteråret" in wrong.output and "Traceback" not in wrong.output
