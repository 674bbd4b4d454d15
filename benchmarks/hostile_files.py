"""Peak memory and verdict of checking each hostile file, and the cost of the worker.

    PYTHONPATH=. .venv/bin/python benchmarks/hostile_files.py [--with-bomb]

Each file is checked in a fresh worker (``data.sandbox``) after a small warm-up check; the
worker's resident memory is sampled every 10 ms, so "peak" is the worker's peak RSS and
"base" its RSS after the warm-up (the imported libraries). Target: peak − base ≤ 20× the file
size + 32 MB (a fixed allowance for the check's own work on a tiny file). ``--with-bomb`` adds the shared-string bomb, which fills the worker's whole memory limit
(6 GB) before it is stopped. The second table compares the check in the calling process with
the check in the warm worker, for a small file and the 100k-row CSV (best of 2).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "upload"), str(ROOT / "benchmarks")]

import hostile_builders as h  # noqa: E402
from ingest_validate import END, START, rows, to_csv, to_xlsx  # noqa: E402
from upload_files import KOMMUNER, PERIOD_END, PERIOD_START, good_rows, render_csv  # noqa: E402

from data import sandbox  # noqa: E402
from data.limits import WORKER_ADDRESS_SPACE  # noqa: E402
from data.upload_check import inspect_file, inspect_here, job_header  # noqa: E402
from expectations.report import ValidationReport  # noqa: E402
from expectations.schema import Kind  # noqa: E402

F = Kind.FORLOEB
MB = 2**20


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


FIXED_MB = 32
# The generated 100k-row files cover the whole of 2022; the corpus files 2022Q3.
YEAR_FILES = {"f100k.csv", "f100k.xlsx"}


def header(filename: str) -> dict[str, object]:
    start, end = (START, END) if filename in YEAR_FILES else (PERIOD_START, PERIOD_END)
    return job_header(filename, F, kommuner=KOMMUNER, period_start=start, period_end=end)


def measure(content: bytes, filename: str) -> tuple[str, float, int, int]:
    """Verdict, seconds, base RSS and peak RSS (kB) of one check in a fresh worker."""
    worker = sandbox._Worker(WORKER_ADDRESS_SPACE)
    small = render_csv(F, good_rows(F))
    worker.run(header("warm.csv"), small)
    pid = worker.process.pid
    base = rss_kb(pid)
    peak = base
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_kb(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    t0 = time.perf_counter()
    try:
        reply = worker.run(header(filename), content)
        report = ValidationReport.from_dict(reply.header["report"])
        peak = max(peak, rss_kb(pid, "VmHWM"))
        verdict = (
            "godkendt" if report.ok else "afvist: " + ", ".join(r.rule_id for r in report.rules)
        )
    except sandbox.WorkerLimit as exc:
        verdict = "afvist: " + exc.rule_id + " (grænse i arbejderen)"
    elapsed = time.perf_counter() - t0
    done.set()
    sampler.join()
    worker.close()
    return verdict, elapsed, base, peak


def best_of(n: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--with-bomb", action="store_true")
    args = parser.parse_args()
    big = rows(100_000)
    files: dict[str, tuple[bytes, str]] = {
        "small good CSV (6 rows)": (render_csv(F, good_rows(F)), "f.csv"),
        "100k-row CSV": (to_csv(big), "f100k.csv"),
        "100k-row XLSX": (to_xlsx(big), "f100k.xlsx"),
        "sparse XFD, lying dimension": (h.sparse_xfd(lying_dimension=True), "f.xlsx"),
        "sparse XFD, no dimension": (h.sparse_xfd(lying_dimension=False), "f.xlsx"),
        "sparse 1M x 100": (h.sparse_million_by_hundred(), "f.xlsx"),
        "lying size (J300000)": (h.lying_size(), "f.xlsx"),
        "amplifying CSV, lines": (h.amplifying_csv_lines(), "f.csv"),
        "amplifying CSV, cells": (h.amplifying_csv_cells(), "f.csv"),
        "300-char name": (h.with_value("virksomhed", "Æ" * 300), "f.csv"),
        "100-char ID": (h.with_value("forloeb_id", "F" * 100), "f.csv"),
        "Markdown file name": (
            render_csv(F, good_rows(F)),
            "![p](http://127.0.0.1:9/x.png) [klik](#) **fed**.csv",
        ),
        "mixed encodings": (h.mixed_encodings(), "f.csv"),
        "1.500 problems (> cap)": (h.many_problems(1_500), "f.csv"),
        "50.000 problems": (h.many_problems(50_000), "f.csv"),
    }
    if args.with_bomb:
        files["shared-string bomb"] = (h.shared_string_bomb(), "f.xlsx")
    print(
        f"{'file':<30} {'size MB':>8} {'s':>6} {'base MB':>8} {'peak MB':>8} "
        f"{'extra MB':>9} {'target':>7}  verdict"
    )
    worst = ("", 0.0)
    for label, (content, filename) in files.items():
        verdict, seconds, base, peak = measure(content, filename)
        extra = (peak - base) / 1024
        target = 20 * len(content) / MB + FIXED_MB
        if extra / target > worst[1]:
            worst = (label, extra / target)
        mark = "ok  " if extra <= target else "OVER"
        print(
            f"{label:<30} {len(content) / MB:>8.3f} {seconds:>6.2f} {base / 1024:>8.0f} "
            f"{peak / 1024:>8.0f} {extra:>9.0f} {target:>7.0f}  {mark} {verdict}",
            flush=True,
        )
    print(f"Worst: {worst[0]}, extra = {worst[1]:.2f} × (20 × size + {FIXED_MB} MB)")
    print()
    sandbox.warm_up()
    small, csv = files["small good CSV (6 rows)"][0], files["100k-row CSV"][0]
    for label, content in (("small CSV", small), ("100k-row CSV", csv)):
        kw = {"kommuner": KOMMUNER, "period_start": PERIOD_START, "period_end": PERIOD_END}
        if content is csv:
            kw = {"kommuner": KOMMUNER, "period_start": START, "period_end": END}
        here = best_of(2, lambda c=content, k=kw: inspect_here(c, "f.csv", F, **k))  # type: ignore[misc]
        worker = best_of(2, lambda c=content, k=kw: inspect_file(c, "f.csv", F, **k))  # type: ignore[misc]
        print(f"{label:<14} in-process {here:.2f} s, in the warm worker {worker:.2f} s", flush=True)


if __name__ == "__main__":
    main()
