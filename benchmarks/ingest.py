"""Time validate + load of a 100k-row courses export (CSV and XLSX) into SQLite and PostgreSQL.

    python benchmarks/ingest.py [--rows 100000] [--postgres postgresql+psycopg://postgres@127.0.0.1/test]

Targets: the CSV in ≤ 5 s on 2 cores (one line per file format and database), and a small file
(8 rows) checked in ≤ 1,5 s once the checking worker is warm: the median of five
``preview_upload`` calls, the check the director waits for on the Indlæs page
(``upload_check.py`` also times the cold first check in a fresh process).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import create_engine, text

from data.db import make_engine
from data.demo import valid_cvr
from data.export_files import Dialect, export_file
from data.ingest import Outcome, ingest
from data.migrate import upgrade
from data.preview import preview_upload
from expectations.schema import FAGOMRAADER, KATEGORIER, Kind

KOMMUNER = [773, 787, 810, 813, 820, 825, 840, 846, 849, 851, 860]


def courses(n: int) -> pl.DataFrame:
    rng = random.Random(7)
    cvrs = [valid_cvr(rng) for _ in range(max(1, n * 3 // 4))]
    start = date(2022, 7, 1)
    rows = []
    for i in range(n):
        s = start + timedelta(days=rng.randrange(92))
        rows.append(
            {
                "forloeb_id": f"B-{i:07d}",
                "cvr": rng.choice(cvrs),
                "virksomhed": "Ærø Smørrebrød ApS",
                "kommunekode": rng.choice(KOMMUNER),
                "kategori": rng.choice(KATEGORIER),
                "fagomraade": rng.choice(FAGOMRAADER),
                "startdato": s,
                "slutdato": s + timedelta(days=10) if i % 3 else None,
                "henvist_fra": None,
                "henvist_til_ekstern": i % 2 == 0,
            }
        )
    return pl.DataFrame(rows)


def time_ingest(url: str, content: bytes, filename: str) -> float:
    engine = make_engine(url)
    upgrade(engine)
    t0 = time.perf_counter()
    result = ingest(
        engine, kind=Kind.FORLOEB, content=content, filename=filename, period="2022Q3", user="bench"
    )
    elapsed = time.perf_counter() - t0
    assert result.outcome is Outcome.LOADED, result.report.to_text(5)
    engine.dispose()
    return elapsed


def small_file_check(frame: pl.DataFrame, repeat: int = 5) -> list[float]:
    """Seconds of ``repeat`` checks of an 8-row file (nothing written), the worker warm."""
    content, _ = export_file(frame.head(8), Kind.FORLOEB, Dialect.EXCEL_DA)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'small.db'}")
        upgrade(engine)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            preview_upload(
                engine, kind=Kind.FORLOEB, content=content, filename="lille.csv", period="2022Q3"
            )
            times.append(time.perf_counter() - t0)
        engine.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    frame = courses(args.rows)
    files = {
        fmt: export_file(frame, Kind.FORLOEB, d)
        for fmt, d in (("CSV", Dialect.EXCEL_DA), ("XLSX", Dialect.XLSX))
    }
    # Warm-up: the one-off Great Expectations import (≈3–5 s) is not part of an upload.
    with tempfile.TemporaryDirectory() as tmp:
        time_ingest(
            f"sqlite:///{Path(tmp) / 'warm.db'}",
            export_file(frame.head(10), Kind.FORLOEB, Dialect.EXCEL_DA)[0],
            "w.csv",
        )
    print(f"{'file':<5} {'MB':>6} {'database':<11} {'validate+load s':>16}")
    for fmt, (content, ext) in files.items():
        with tempfile.TemporaryDirectory() as tmp:
            s = time_ingest(f"sqlite:///{Path(tmp) / 'bench.db'}", content, f"f.{ext}")
        print(f"{fmt:<5} {len(content) / 1e6:>6.1f} {'SQLite':<11} {s:>16.2f}")
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            s = time_ingest(args.postgres.rsplit("/", 1)[0] + f"/{name}", content, f"f.{ext}")
            print(f"{fmt:<5} {len(content) / 1e6:>6.1f} {'PostgreSQL':<11} {s:>16.2f}")
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print("Target: CSV ≤ 5 s on 2 cores.")
    small = small_file_check(frame)
    print(
        f"small file (8 rows) checked, worker warm: median {statistics.median(small):.2f} s, "
        f"max {max(small):.2f} s of {len(small)}. Target: ≤ 1,5 s."
    )


if __name__ == "__main__":
    main()
