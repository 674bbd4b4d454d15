"""The overview (summary line, goal cards, KPI table) is worked out once per data version and
filters and shared by every session; a withdrawn upload changes the data version and the next
rerun shows the new figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.views import overview
from data.batches import withdraw_batch
from data.db import make_engine, session_factory
from data.store import list_batches
from tests.dashboard.conftest import build_demo_db
from tests.dashboard.test_pages import page_text, run_app


def test_overview_is_shared_between_sessions_until_the_data_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = build_demo_db(tmp_path / "demo.db")
    built: list[int] = []
    real = overview.overview

    def counting(*args: object, **kwargs: object) -> overview.Overview:
        built.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(overview, "overview", counting)
    first = run_app(url, monkeypatch, aar="2022")
    assert built == [1]
    metrics = [m.value for m in first.metric]
    text = page_text(first)

    second = run_app(url, monkeypatch, aar="2022")  # another session, same data and filters
    assert built == [1]
    assert page_text(second) == text

    second.selectbox(key="filter_aar").set_value(2021).run()  # other filters: built anew
    assert len(built) == 2

    # the survey answers of 2022's last quarter taken out of the figures
    engine = make_engine(url)
    batch = next(
        b
        for b in list_batches(engine, "nordjylland", active_only=True)
        if b.kind == "brugerevaluering" and b.period == "2022Q4"
    )
    with session_factory(engine).begin() as session:
        withdraw_batch(session, batch.id, "t")
    first.run()
    assert len(built) == 3
    assert [m.value for m in first.metric] != metrics
    assert page_text(first) != text
