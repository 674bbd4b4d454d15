"""Installation-wide locks: one holder at a time across every server process sharing the
database (``erhvervshus serve --workers N``, the CLI).

On PostgreSQL a session-level advisory lock held by a connection of its own; on SQLite an
exclusive ``fcntl`` lock on ``<database file>.<name>.lock`` (the processes share the file
system, as they share the database file). A lock ends with its holder: a process that dies
releases it.
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

POLL_SECONDS = 0.5


def _key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for ``name``."""
    return int.from_bytes(
        hashlib.sha256(f"erhvervshus:{name}".encode()).digest()[:8], "big", signed=True
    )


@contextmanager
def installation_lock(
    engine: Engine, name: str, *, on_wait: Callable[[], None] = lambda: None
) -> Iterator[None]:
    """Hold the lock ``name``; when another process holds it, call ``on_wait`` once and wait."""
    if engine.dialect.name == "postgresql":
        with _advisory(engine, name, on_wait):
            yield
        return
    with _file(engine.url.database, name, on_wait):
        yield


@contextmanager
def _advisory(engine: Engine, name: str, on_wait: Callable[[], None]) -> Iterator[None]:
    own = create_engine(engine.url, poolclass=NullPool)  # a session that only holds the lock
    try:
        with own.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            key = {"key": _key(name)}
            if not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar_one():
                on_wait()
                conn.execute(text("SELECT pg_advisory_lock(:key)"), key)
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)
    finally:
        own.dispose()


@contextmanager
def _file(database: str | None, name: str, on_wait: Callable[[], None]) -> Iterator[None]:
    if not database or database == ":memory:" or database.startswith("file:"):
        yield  # a private in-memory database has no other process to share it
        return
    with open(f"{database}.{name}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            while True:  # polled, so a signal (a stopped export) is handled promptly
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
