"""First setup cannot be left half-done, and two first runs at once both succeed.

A process killed during the first migration leaves either nothing or the whole schema; the
next command then works. Killed at a chosen moment (after the first ``CREATE TABLE``) and at
random moments while ``python -m dashboard.cli migrate`` writes the new database.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from data.db import make_engine
from data.schema import Base
from tests.conftest import examples

ROOT = Path(__file__).parents[2]
TABLES = {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"}

KILL_AFTER_FIRST_TABLE = """
import os, signal, sys
from sqlalchemy import Engine, event
from data.db import make_engine
from data.migrate import upgrade


def kill_after_create(conn, cursor, statement, *args):
    if statement.lstrip().upper().startswith("CREATE TABLE") and "alembic_version" not in statement:
        os.kill(os.getpid(), signal.SIGKILL)

event.listen(Engine, "after_cursor_execute", kill_after_create)
upgrade(make_engine(sys.argv[1]))
"""


def _cli(url: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _complete_or_empty(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        names = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert names in (set(), TABLES), f"half-made schema: {sorted(names)}"
    return names


def _then_a_command_works(url: str) -> None:
    proc = _cli(url, "batches")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert "Der er ingen indlæsninger endnu." in out.decode()
    assert _complete_or_empty(url) == TABLES


def test_kill_right_after_the_first_table_leaves_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    proc = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_FIRST_TABLE, url],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert _complete_or_empty(url) == set()
    _then_a_command_works(url)


def _wait_for_writes(db: Path, proc: subprocess.Popen[bytes]) -> bool:
    """Poll until the migration starts writing (the database's write-ahead log appears); False
    when it has already finished, cleanly, before the poll saw it (a loaded machine)."""
    wal = db.with_name(db.name + "-wal")
    while not wal.exists():
        code = proc.poll()
        if code == 0:
            return False
        assert code is None, proc.stderr.read().decode() if proc.stderr else ""
        time.sleep(0.002)
    return True


def test_cli_killed_at_random_moments_during_the_first_migration(tmp_path: Path) -> None:
    timing = tmp_path / "timing.db"
    started = time.monotonic()
    full = _cli(f"sqlite:///{timing}", "migrate")
    if _wait_for_writes(timing, full):
        started = time.monotonic()
    assert full.wait(timeout=120) == 0
    migration = time.monotonic() - started
    rng = random.Random(17)
    killed = 0
    trials = examples(10)  # 10 moments in CI, fewer in a developer's run
    for trial in range(trials):
        db = tmp_path / f"trial{trial}.db"
        proc = _cli(f"sqlite:///{db}", "migrate")
        if _wait_for_writes(db, proc):
            # one random moment in each n-th of the migration; the first as writing starts,
            # so at least one run is stopped mid-write even when the rest finish first
            time.sleep(0 if trial == 0 else rng.uniform(trial, trial + 1) * migration / trials)
        proc.send_signal(signal.SIGKILL)
        killed += proc.wait(timeout=60) == -signal.SIGKILL
        _complete_or_empty(f"sqlite:///{db}")
        _then_a_command_works(f"sqlite:///{db}")
    assert killed  # at least one run was stopped before its end (the rest finished first)


@pytest.fixture
def empty_postgres(postgres_url: str) -> Iterator[str]:
    admin_url = postgres_url.rsplit("/", 1)[0] + "/postgres"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"erhvervshus_first_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_concurrent_first_runs_on_postgresql_both_succeed(empty_postgres: str) -> None:
    procs = [_cli(empty_postgres, "migrate") for _ in range(3)]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err.decode()
        assert "Databasen er opdateret" in out.decode()
    _then_a_command_works(empty_postgres)


def test_concurrent_first_runs_on_sqlite_both_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    procs = [_cli(url, "migrate") for _ in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err.decode()
    _then_a_command_works(url)
