"""Create or upgrade the schema to the newest Alembic revision (used by the CLI and ``make run``).

A setup cannot be left half-done, and two first runs at once cannot collide:

- all pending migrations run in one transaction (``transaction_per_migration=False``), and the
  DDL is transactional on both engines. On SQLite the Python driver (3.11) would run
  ``CREATE TABLE`` outside any transaction, so migrations use their own connection with the
  driver's own transaction handling switched off and an explicit ``BEGIN IMMEDIATE``;
- concurrent runs are serialised: ``pg_advisory_xact_lock`` inside the transaction on
  PostgreSQL, an exclusive ``fcntl`` lock on ``<database file>.migrate.lock`` on SQLite. The
  second run then finds the schema at the newest revision and changes nothing.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

from data.db import sqlite_pragmas

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any fixed 64-bit number; every run of this application takes the same advisory lock.
ADVISORY_LOCK_KEY = 0x45_48_4E_4A_4D_49_47  # "EHNJMIG"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision; a no-op when it is already there."""
    if engine.dialect.name == "sqlite":
        with (
            _file_lock(engine.url.database),
            _transactional_sqlite(engine) as migrating,
            migrating.begin() as connection,
        ):
            _run(connection)
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
            )
        _run(connection)


def _run(connection: Connection) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


@contextmanager
def _file_lock(database: str | None) -> Iterator[None]:
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    with open(f"{database}.migrate.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _transactional_sqlite(engine: Engine) -> Iterator[Engine]:
    """A throw-away engine on the same SQLite file whose transactions include DDL."""
    migrating = create_engine(engine.url, connect_args={"timeout": 30}, poolclass=NullPool)

    @event.listens_for(migrating, "connect")
    def _connect(dbapi_connection: object, record: object) -> None:
        sqlite_pragmas(dbapi_connection, record)
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]  # no implicit BEGIN/COMMIT

    @event.listens_for(migrating, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        yield migrating
    finally:
        migrating.dispose()
