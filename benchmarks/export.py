"""The annual report export for one year: wall time per step and in total.

Builds (or reuses, ``--db``) a demo database, then times ``build_report`` for the year:
KPI cells, the charts through kaleido (one Chromium for the whole export: PNG, SVG, PDF),
the PDF and DOCX documents, XLSX, CSV and the ZIP. Target: ≤ 20 s on 2 cores.

Usage: ``python benchmarks/export.py [--year 2022] [--db sqlite:///…] [--repeat 1]``
"""

from __future__ import annotations

import argparse
import itertools
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dashboard.report.bundle import build_report
from dashboard.report.static import start_browser, stop_browser
from data.db import make_engine


def _recorder(marks: list[tuple[str, float]]) -> Callable[[float, str], None]:
    """A progress callback noting when each step (its text) begins."""

    def progress(fraction: float, text: str) -> None:
        if not marks or marks[-1][0] != text:
            marks.append((text, time.perf_counter()))

    return progress


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--db", help="database URL (default: a fresh demo database)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-export-"))
    url = args.db
    if url is None:
        from tests.dashboard.conftest import build_demo_db

        t = time.perf_counter()
        url = build_demo_db(workdir / "demo.db")
        print(f"demo database built in {time.perf_counter() - t:.1f} s")
    engine = make_engine(url)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    t = time.perf_counter()
    start_browser()
    print(f"browser start: {time.perf_counter() - t:.1f} s")
    try:
        for run in range(args.repeat):
            marks: list[tuple[str, float]] = []
            start = time.perf_counter()
            progress = _recorder(marks)

            paths = build_report(
                engine, args.year, None, workdir / f"run{run}", actor="benchmark", progress=progress
            )
            total = time.perf_counter() - start
            for (text, at), (_, until) in itertools.pairwise(marks):
                print(f"  {text:<40} {until - at:6.1f} s")
            size = sum(p.stat().st_size for p in paths[:-1]) / 1e6
            print(
                f"run {run + 1}: {len(paths)} files, {size:.1f} MB, {total:.1f} s (target ≤ 20 s)"
            )
    finally:
        stop_browser()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
