"""The annual report of the demo database, built once per session."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.report.bundle import build_report
from data.db import make_engine, session_factory
from data.records import record_activity, record_comment
from data.reference import DEFAULT_ERHVERVSHUS
from tests.dashboard.conftest import build_demo_db

YEAR = 2022
MADE = date(2026, 11, 22)
INJECTION = '=HYPERLINK("x")'


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the whole run: under pytest-xdist every worker's session fixtures would
    otherwise build the same database and report again (≈ 20 s each)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.getbasetemp().parent / "export-shared"
        folder.mkdir(exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("export-shared")


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    with open(folder / "build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _add_records(engine: Engine) -> None:
    """Free text that a spreadsheet would run as a formula."""
    with session_factory(engine).begin() as session:
        record_comment(
            session,
            erhvervshus=DEFAULT_ERHVERVSHUS,
            year=YEAR,
            goal=4,
            text=f"{INJECTION} Henvisningerne er fulgt op i alle kommuner.",
            author="direktor@ehnj.dk",
        )
        record_activity(
            session,
            erhvervshus=DEFAULT_ERHVERVSHUS,
            year=YEAR,
            goal=8,
            activity_id="m8_nye_midler",
            status="Gennemført",
            status_date=date(2022, 12, 1),
            changed_by="direktor@ehnj.dk",
            evidence=INJECTION,
            comment="+45 12 34 56 78 ringede",
        )


@pytest.fixture(scope="session")
def shared_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Path]]:
    """The demo data with the records above and the year's report built from it, made once per
    run (by the first worker that asks) and only read afterwards."""
    folder = _shared_folder(tmp_path_factory)
    with _locked(folder):
        done = folder / "paths.json"
        url = f"sqlite:///{folder / 'demo.db'}"
        if not done.exists():
            build_demo_db(folder / "demo.db")
            engine = make_engine(url)
            _add_records(engine)
            paths = build_report(
                engine, YEAR, None, folder / "rapport", actor="eksport@kkr.dk", today=MADE
            )
            engine.dispose()
            done.write_text(json.dumps([str(p) for p in paths]))
        return url, [Path(p) for p in json.loads(done.read_text())]


@pytest.fixture(scope="session")
def demo_engine(shared_export: tuple[str, list[Path]]) -> Iterator[Engine]:
    """The demo data, plus free text that a spreadsheet would run as a formula (read only)."""
    engine = make_engine(shared_export[0])
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def report(shared_export: tuple[str, list[Path]]) -> list[Path]:
    return shared_export[1]


def one(paths: list[Path], suffix: str) -> Path:
    [found] = [
        p for p in paths if p.suffix == suffix and p.parent.name not in ("csv", "diagrammer")
    ]
    return found
