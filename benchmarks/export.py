"""The annual report export for one year: wall time per step and in total, new path and old.

Builds (or reuses, ``--db``) a demo database, then times ``build_report`` for the year twice
in the same run: the new path (one persistent Chromium with plotly.js loaded once, started
while the data loads) and the old one (kaleido 1.5, one server with two tabs, started before
the timer). Target for the new path: ≤ 20 s on 2 cores.

Usage: ``python benchmarks/export.py [--year 2022] [--db sqlite:///…] [--repeat 1] [--only new]``
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
from data.db import make_engine


def _recorder(marks: list[tuple[str, float]]) -> Callable[[float, str], None]:
    """A progress callback noting when each step begins (the charts' counts run alongside)."""

    def progress(fraction: float, text: str) -> None:
        step = text.rstrip(" …")
        if "diagrammer tegnet" in step:
            return
        if not marks or marks[-1][0] != step:
            marks.append((step, time.perf_counter()))

    return progress


def _run(label: str, engine_url: str, year: int, out: Path, **kwargs: object) -> float:
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    paths = build_report(
        make_engine(engine_url),
        year,
        None,
        out,
        actor="benchmark",
        progress=_recorder(marks),
        **kwargs,  # type: ignore[arg-type]
    )
    total = time.perf_counter() - start
    for (text, at), (_, until) in itertools.pairwise(marks):
        print(f"  {text:<40} {until - at:6.1f} s")
    size = sum(p.stat().st_size for p in paths[:-1]) / 1e6
    print(f"{label}: {len(paths)} files, {size:.1f} MB, {total:.1f} s")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--db", help="database URL (default: a fresh demo database)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", choices=("new", "old"), help="time one path only")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-export-"))
    url = args.db
    if url is None:
        from tests.dashboard.conftest import build_demo_db

        t = time.perf_counter()
        url = build_demo_db(workdir / "demo.db")
        print(f"demo database built in {time.perf_counter() - t:.1f} s")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for run in range(args.repeat):
        new = old = None
        if args.only != "old":
            new = _run(
                f"run {run + 1}, new (one Chromium, target ≤ 20 s)",
                url,
                args.year,
                workdir / f"new{run}",
            )
        if args.only != "new":
            from tests.export.kaleido_reference import KaleidoCharts, start_kaleido, stop_kaleido

            class Timed(KaleidoCharts):
                def finish(self) -> dict[str, dict[str, Path]]:
                    t = time.perf_counter()
                    files = super().finish()
                    if time.perf_counter() - t > 0.5:
                        print(
                            f"  (kaleido's {len(self.charts) * 3} chart files: {time.perf_counter() - t:.1f} s)"
                        )
                    return files

            t = time.perf_counter()
            start_kaleido()
            print(f"kaleido start (not timed below): {time.perf_counter() - t:.1f} s")
            try:
                old = _run(
                    f"run {run + 1}, old (kaleido)",
                    url,
                    args.year,
                    workdir / f"old{run}",
                    start_charts=Timed,
                )
            finally:
                stop_kaleido()
        if new and old:
            print(f"run {run + 1}: new {new:.1f} s, old {old:.1f} s: {old / new:.1f}× faster")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
