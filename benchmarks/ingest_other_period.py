"""Time a small upload when another period of the same kind already holds many rows.

    python benchmarks/ingest_other_period.py [--rows 100000] [--small 50] [--postgres URL]

The big period (2022Q3) is loaded first and not timed; then a 50-row file for 2022Q4 is timed
(validate + store). Prints one line per database.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import polars as pl
from ingest import courses
from sqlalchemy import Engine, create_engine, text

from data.db import make_engine
from data.export_files import Dialect, export_file
from data.ingest import Outcome, ingest
from data.migrate import upgrade
from expectations.schema import Kind


def _load(engine: Engine, frame: pl.DataFrame, period: str) -> float:
    content, _ = export_file(frame, Kind.FORLOEB, Dialect.EXCEL_DA)
    t0 = time.perf_counter()
    result = ingest(
        engine, kind=Kind.FORLOEB, content=content, filename="f.csv", period=period, user="bench"
    )
    elapsed = time.perf_counter() - t0
    assert result.outcome is Outcome.LOADED, result.report.to_text(5)
    return elapsed


def run(url: str, rows: int, small: int) -> float:
    engine = make_engine(url)
    upgrade(engine)
    _load(engine, courses(rows), "2022Q3")
    q4 = courses(small).with_columns(
        ("C-" + pl.col("forloeb_id")).alias("forloeb_id"),
        pl.lit(date(2022, 10, 3)).alias("startdato"),
        pl.lit(None, dtype=pl.Date).alias("slutdato"),
    )
    elapsed = _load(engine, q4, "2022Q4")
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        secs = run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.rows, args.small)
        print(f"SQLite: {args.small} rows for 2022Q4 beside {args.rows} in 2022Q3: {secs:.1f} s")
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        secs = run(args.postgres.rsplit("/", 1)[0] + f"/{name}", args.rows, args.small)
        print(
            f"PostgreSQL: {args.small} rows for 2022Q4 beside {args.rows} in 2022Q3: {secs:.1f} s"
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
