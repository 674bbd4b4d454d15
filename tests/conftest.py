"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL; the demo database.

The PostgreSQL URL is ``TEST_POSTGRES_URL`` (default: the local server). When it cannot be
reached the PostgreSQL tests FAIL — CI must never pass by skipping them.

Hypothesis profiles: ``ci`` runs each property test with its full example count (``.ci/run``
sets ``HYPOTHESIS_PROFILE=ci``); ``dev`` (the default) runs a quarter of them. Tests size
their runs with :func:`examples`.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from data.db import make_engine
from data.migrate import upgrade
from data.schema import Base
from tests.demo_db import copy_postgres_demo, copy_sqlite_demo, drop_postgres

# No per-example deadline: the machines are shared, and a loaded one took 260 ms for an example
# that takes 5 ms quiet (speed is measured by benchmarks/, never by a test's clock).
settings.register_profile("ci", max_examples=100, deadline=None)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# "gw0", "gw1", … under pytest-xdist; "main" in a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """argon2 with its lightest parameters in this process: the same algorithm and code paths,
    ≈ 1 ms per hash instead of ≈ 100 ms (a test run hashes hundreds of passwords). Servers
    started by the browser tests, and the demo database's accounts, keep the real parameters."""
    from argon2 import PasswordHasher

    from data import users

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        )
        yield


def examples(ci: int) -> int:
    """``ci`` examples under the ``ci`` profile, proportionally fewer under ``dev``."""
    return max(1, ci * settings.default.max_examples // 100)


def throwaway_name(kind: str) -> str:
    """A database name no other worker or parallel run uses."""
    return f"erhvervshus_{kind}_{WORKER}_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away database on the PostgreSQL server for this test session."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = throwaway_name("test")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:  # a loud failure, never a skip
        pytest.fail(f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {exc}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the newest migration, copied for each test (migrating
    every test's database anew costs a second of disk syncs each)."""
    path = tmp_path_factory.mktemp("migrated") / "empty.db"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    eng.dispose()  # the last connection closed: everything is in the one file
    return path


def emptied_postgres(url: str) -> Engine:
    """An engine on this session's PostgreSQL database, migrated and with every table empty."""
    eng = make_engine(url)
    upgrade(eng)
    with eng.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    return eng


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database: SQLite file or a PostgreSQL database (tables emptied)."""
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), tmp_path / "test.db")
        eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    else:
        eng = emptied_postgres(request.getfixturevalue("postgres_url"))
    yield eng
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A private copy of the demo database (see ``tests/demo_db.py``); yields its URL."""
    if request.param == "sqlite":
        yield copy_sqlite_demo(tmp_path / "demo.db")
        return
    request.getfixturevalue("postgres_url")  # fails loudly when the server is unreachable
    name = throwaway_name("demo")
    try:
        yield copy_postgres_demo(POSTGRES_ADMIN_URL, name)
    finally:
        drop_postgres(POSTGRES_ADMIN_URL, name)
