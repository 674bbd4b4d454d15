"""The demo database for tests: built once, kept as a template, copied for every user.

Building the demo database runs every demo file through the real upload path (Great
Expectations included), which takes most of a minute. So it is built once through
``erhvervshus demo`` — the command a user runs — and kept:

- SQLite: ``.cache/test-demo/demo-<key>.db``; a test gets a file copy.
- PostgreSQL: the database ``erhvervshus_demo_<key>`` on the test server; a test gets
  ``CREATE DATABASE … TEMPLATE`` of it.

``<key>`` is a hash of everything the database is made from (the data, expectations and
metrics packages, the contract and reference files, the migrations, the CLI, the installed
versions of the libraries on the path, and this file). Change any of them and the next run builds afresh.
Builders hold a lock (a file lock; on PostgreSQL also an advisory lock), so parallel test
workers and parallel test runs build each template once and never see half of one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("ERHVERVSHUS_TEST_CACHE", ROOT / ".cache" / "test-demo"))
# What the demo database is made from: source folders and single files (relative to ROOT).
INPUTS = (
    "data",
    "expectations",
    "metrics",
    "dashboard/cli",
    "tests/demo_db.py",
    "pyproject.toml",
    "alembic.ini",
)
SUFFIXES = {".py", ".toml", ".json", ".geojson", ".mako", ".ini", ".csv"}
LIBRARIES = ("sqlalchemy", "polars", "great_expectations", "pandas", "psycopg", "openpyxl")


@dataclass(frozen=True)
class DemoBuild:
    """What ``erhvervshus demo`` printed when it built the template (kept with the cache)."""

    exit_code: int
    output: str


@cache
def inputs_key() -> str:
    """A hash of every file and library version the demo database is made from."""
    digest = hashlib.sha256()
    files: list[Path] = []
    for name in INPUTS:
        path = ROOT / name
        files.extend(sorted(path.rglob("*")) if path.is_dir() else [path])
    for path in files:
        if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for lib in LIBRARIES:
        digest.update(f"{lib}=={metadata.version(lib)}\0".encode())
    return digest.hexdigest()[:16]


@contextmanager
def _file_lock(name: str) -> Iterator[None]:
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_failed: list[str] = []  # a failed build is not tried again by every test of the session


def _run_demo_command(url: str) -> DemoBuild:
    """``erhvervshus demo`` on ``url``, as a user runs it (in-process)."""
    from dashboard.cli.app import app

    if _failed:
        raise AssertionError(f"erhvervshus demo failed earlier in this session:\n{_failed[0]}")
    result = CliRunner().invoke(app, ["demo"], env={"DATABASE_URL": url})
    build = DemoBuild(result.exit_code, result.output)
    if build.exit_code != 0:
        detail = build.output + (repr(result.exception) if result.exception else "")
        _failed.append(detail)
        raise AssertionError(f"erhvervshus demo failed:\n{detail}")
    return build


def _save_build(path: Path, build: DemoBuild) -> None:
    tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps({"exit_code": build.exit_code, "output": build.output}))
    os.replace(tmp, path)


def _read_build(path: Path) -> DemoBuild:
    raw = json.loads(path.read_text())
    return DemoBuild(int(raw["exit_code"]), str(raw["output"]))


def sqlite_template() -> tuple[Path, DemoBuild]:
    """The cached SQLite demo database (built now if missing) and its build record."""
    key = inputs_key()
    db, record = CACHE / f"demo-{key}.db", CACHE / f"demo-{key}.json"
    with _file_lock(f"demo-{key}"):
        if not (db.exists() and record.exists()):
            partial = CACHE / f"demo-{key}.{uuid.uuid4().hex}.partial"
            finished = partial.with_suffix(".db")
            try:
                build = _run_demo_command(f"sqlite:///{partial}")
                # The command's connections may still hold rows in the write-ahead log; the
                # backup API copies a consistent database into one self-contained file.
                with (
                    closing(sqlite3.connect(partial)) as src,
                    closing(sqlite3.connect(finished)) as dst,
                ):
                    src.backup(dst)
                os.replace(finished, db)
            finally:
                for leftover in CACHE.glob(f"{partial.stem}.*"):
                    leftover.unlink(missing_ok=True)
            _save_build(record, build)
            for old in CACHE.glob("demo-*"):  # builds from earlier inputs of this checkout
                if not old.name.startswith(f"demo-{key}"):
                    old.unlink(missing_ok=True)
    return db, _read_build(record)


def copy_sqlite_demo(path: Path) -> str:
    """A private copy of the demo database at ``path``; returns its URL."""
    template, _ = sqlite_template()
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def _server_url(admin_url: str, database: str) -> str:
    return admin_url.rsplit("/", 1)[0] + f"/{database}"


def postgres_template(admin_url: str) -> tuple[str, DemoBuild]:
    """The name of the PostgreSQL template database (built now if missing) and its record.

    The database is created under a temporary name, filled, and renamed when complete, so
    an interrupted build leaves nothing that looks finished."""
    key = inputs_key()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"erhvervshus_demo_{key}"
    record = CACHE / f"pg-{key}.json"
    try:
        with _file_lock(f"pg-{key}"), admin.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:n))"), {"n": name})
            try:
                exists = conn.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
                ).first()
                if exists is None or not record.exists():
                    if exists is not None:
                        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                    partial = f"erhvervshus_demo_partial_{uuid.uuid4().hex[:10]}"
                    conn.execute(text(f'CREATE DATABASE "{partial}"'))
                    try:
                        build = _run_demo_command(_server_url(admin_url, partial))
                        # The command's pooled connection is still open; a database with
                        # sessions can be neither renamed nor copied.
                        conn.execute(
                            text(
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = :n AND pid <> pg_backend_pid()"
                            ),
                            {"n": partial},
                        )
                        conn.execute(text(f'ALTER DATABASE "{partial}" RENAME TO "{name}"'))
                    except BaseException:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{partial}" WITH (FORCE)'))
                        raise
                    _save_build(record, build)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:n))"), {"n": name})
    finally:
        admin.dispose()
    return name, _read_build(record)


def copy_postgres_demo(admin_url: str, database: str) -> str:
    """A private copy of the demo database named ``database``; returns its URL."""
    template, _ = postgres_template(admin_url)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            # One copy at a time: a template must have no other session while it is copied.
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:n))"), {"n": template})
            try:
                conn.execute(text(f'CREATE DATABASE "{database}" TEMPLATE "{template}"'))
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:n))"), {"n": template})
    finally:
        admin.dispose()
    return _server_url(admin_url, database)


def drop_postgres(admin_url: str, database: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def build_record(url: str, admin_url: str) -> DemoBuild:
    """What ``erhvervshus demo`` printed when it built the template that ``url`` copies."""
    if url.startswith("sqlite"):
        return sqlite_template()[1]
    return postgres_template(admin_url)[1]
