"""A demo database shared by the dashboard tests (built once per session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from data.db import make_engine
from data.demo_loader import load_demo
from data.migrate import upgrade
from data.reference import erhvervshus
from metrics.contract import contract_for


def build_demo_db(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    activities = {
        y: [(g.number, a.id) for g in contract_for(y).goals for a in g.activities]
        for y in (2021, 2022, 2023)
    }
    load_demo(engine, erhvervshus(), activities)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield build_demo_db(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture(autouse=True)
def demo_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    """The viewer pages are tested as the anonymous demo viewer (auth has its own tests)."""
    monkeypatch.setenv("ERHVERVSHUS_AUTH", "demo")


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    """Every AppTest run starts without another test's cached engine or figures."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
