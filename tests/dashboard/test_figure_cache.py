"""A goal page's figures are built once per data version and filters and shared by every
session; a new record (here a comment) changes the data version and the figures are built
afresh at the next rerun."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.views import figures
from data.db import make_engine, session_factory
from data.records import record_comment
from tests.dashboard.conftest import build_demo_db
from tests.dashboard.test_pages import run_app

GOAL_PAGE = "dashboard/pages/maal.py"


def test_goal_figures_are_shared_between_sessions_until_the_data_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = build_demo_db(tmp_path / "demo.db")
    built: list[str] = []
    real = figures.kpi_figures

    def counting(kpi: figures.Kpi, data: figures.KpiViewData) -> list[figures.KpiFigure]:
        built.append(kpi.id)
        return real(kpi, data)

    monkeypatch.setattr(figures, "kpi_figures", counting)
    first = run_app(url, monkeypatch, GOAL_PAGE)
    once = list(built)
    assert once, "the goal page drew no KPI figures"
    charts = [c.proto.spec for c in first.get("plotly_chart")]

    second = run_app(url, monkeypatch, GOAL_PAGE)  # another session, same data and filters
    assert built == once
    assert [c.proto.spec for c in second.get("plotly_chart")] == charts

    second.selectbox(key="filter_aar").set_value(2022).run()  # other filters: other figures
    assert len(built) > len(once)
    built.clear()

    with session_factory(make_engine(url)).begin() as session:
        record_comment(
            session, erhvervshus="nordjylland", year=2023, goal=1, text="Ny note.", author="t"
        )
    first.run()
    assert built == once  # the new data version: built afresh
