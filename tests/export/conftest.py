"""The annual report of the demo database, built once per session."""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The demo data, plus free text that a spreadsheet would run as a formula."""
    engine = make_engine(build_demo_db(tmp_path_factory.mktemp("export") / "demo.db"))
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
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def report(demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Path]]:
    out = tmp_path_factory.mktemp("rapport")
    yield build_report(demo_engine, YEAR, None, out, actor="eksport@kkr.dk", today=MADE)


def one(paths: list[Path], suffix: str) -> Path:
    [found] = [
        p for p in paths if p.suffix == suffix and p.parent.name not in ("csv", "diagrammer")
    ]
    return found
