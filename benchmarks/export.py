"""The annual report export for one year: wall time per step and in total, new path and old.

Builds (or reuses, ``--db``) a demo database, then times ``build_report`` for the year twice
in the same run: the new path (one persistent Chromium with plotly.js loaded once, started
while the data loads) and the old one (the charts by kaleido 1.5, one server with two tabs,
started before the timer). Both print the report's own PDF with Chromium: that step has no
old path any more (it was reportlab, which writes no tagged PDF). Target for the new path:
≤ 20 s on 2 cores.

Usage: ``python benchmarks/export.py [--year 2022] [--db sqlite:///…] [--repeat 1] [--only new]``
"""

from __future__ import annotations

import argparse
import itertools
import os
import tempfile
import threading
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


class CpuMeter:
    """CPU seconds used by this process and every process under it (the browsers), sampled
    from /proc five times a second: less dependent on the machine's other load than wall
    time. (A process's last fraction of a second before it exits may be missed.)"""

    def __init__(self) -> None:
        self._seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> CpuMeter:
        self._base = self._tree()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._record()

    @property
    def seconds(self) -> float:
        return sum(self._seen.values()) - sum(self._base.values())

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self._record()

    def _record(self) -> None:
        for pid, used in self._tree().items():
            self._seen[pid] = max(used, self._seen.get(pid, 0.0))

    @staticmethod
    def _tree() -> dict[int, float]:
        """pid → CPU seconds of this process and its descendants."""
        stats: dict[int, tuple[int, float]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                ticks = int(fields[11]) + int(fields[12])  # utime + stime
                stats[int(entry.name)] = (int(fields[1]), ticks / os.sysconf("SC_CLK_TCK"))
        tree = {os.getpid()}
        grew = True
        while grew:
            grew = False
            for pid, (ppid, _) in stats.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        return {pid: stats[pid][1] for pid in tree if pid in stats}


def _run(label: str, engine_url: str, year: int, out: Path, **kwargs: object) -> float:
    marks: list[tuple[str, float]] = []
    print(f"{label} (load average {os.getloadavg()[0]:.1f}):")
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
    print(f"  = {len(paths)} files, {size:.1f} MB, {total:.1f} s")
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
            with CpuMeter() as cpu:
                new = _run(
                    f"run {run + 1}, new path (one Chromium, target ≤ 20 s)",
                    url,
                    args.year,
                    workdir / f"new{run}",
                )
            new_cpu = cpu.seconds
            print(f"  CPU (with Chromium): {new_cpu:.1f} s")
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

            with CpuMeter() as cpu:
                start_kaleido()  # its browser starts on first use: inside the timed run, as above
                try:
                    old = _run(
                        f"run {run + 1}, old path (kaleido)",
                        url,
                        args.year,
                        workdir / f"old{run}",
                        start_charts=Timed,
                    )
                finally:
                    stop_kaleido()
            old_cpu = cpu.seconds
            print(f"  CPU (with Chromium): {old_cpu:.1f} s")
        if new and old:
            print(
                f"run {run + 1}: new {new:.1f} s, old {old:.1f} s: {old / new:.1f}× faster; "
                f"CPU {new_cpu:.1f} s vs {old_cpu:.1f} s: {old_cpu / new_cpu:.1f}× less"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
