"""The demo database shared by the dashboard tests (a copy of the cached template)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from tests.demo_db import copy_sqlite_demo


def build_demo_db(path: Path) -> str:
    """A private, writable demo database at ``path``; returns its URL."""
    return copy_sqlite_demo(path)


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo database, read-only for every test that asks for it (checked at the end):
    a test that writes makes its own copy with :func:`build_demo_db`."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = build_demo_db(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    yield url
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "a test wrote to demo_url"


@pytest.fixture(autouse=True)
def demo_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    """The viewer pages are tested as the anonymous demo viewer (auth has its own tests)."""
    monkeypatch.setenv("ERHVERVSHUS_AUTH", "demo")


# True while Streamlit's caches hold only what read-only tests on ``demo_url`` computed.
_caches_hold_demo_only = [False]


@pytest.fixture(autouse=True)
def fresh_caches(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every AppTest run starts without another database's cached engine or figures.

    Tests that only read the shared ``demo_url`` share the caches (its figures never change);
    any other test — its own database, or one it writes to — starts and ends with them
    cleared."""
    reads_demo = "demo_url" in request.fixturenames
    if not (reads_demo and _caches_hold_demo_only[0]):
        st.cache_data.clear()
        st.cache_resource.clear()
    _caches_hold_demo_only[0] = reads_demo
    yield
    if not reads_demo:
        st.cache_data.clear()
        st.cache_resource.clear()
