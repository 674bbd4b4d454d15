"""Load on the dashboard server as a KKR meeting makes it: N viewers open a page at once.

A client that speaks Streamlit's own websocket protocol (the browser's rendering happens on
the users' devices, so N Chromium tabs on two cores would measure this machine, not the
server): each session connects to ``/_stcore/stream`` with the ``streamlit`` subprotocol,
sends a ``BackMsg`` whose ``rerun_script`` carries the page and its query string, and reads
``ForwardMsg``s until ``script_finished``. Per page and N it prints p50, p95 and max of the
time to the finished page, the time to the first content (the first element delta), errors,
the server's CPU seconds per session and its RSS.

Setups, each on its own server started here on the same demo data, measured one after the other
in one run: ``før`` (Streamlit's file watcher on and a full garbage collection after every
run, as first shipped), ``nu`` (``.streamlit/config.toml`` as shipped, one process) and ``nu-2``
(``erhvervshus serve --workers 2``; the viewers are spread over the two processes, as the
sticky reverse proxy spreads browsers). With ``--export`` every size is measured a second time
while the annual report is made (the Eksport page's background job, at nice 10).

    .venv/bin/python benchmarks/load.py                        # all setups, N = 1 10 25 50
    .venv/bin/python benchmarks/load.py --setups nu nu-2 --n 50 --export
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8501 --pid 1234

Bounded: every session has a time-out, and the whole run stops after the listed sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Visit:
    total: float | None  # seconds to script_finished; None on error
    first_content: float | None
    error: str | None


def _page(spec: str) -> tuple[str, str]:
    name, _, query = spec.partition("?")
    return ("" if name == "overblik" else name), query


async def visit(base: str, spec: str, timeout: float) -> Visit:
    """One viewer: connect, ask for the page, wait until its script has finished."""
    page, query = _page(spec)
    ws_url = base.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    start = time.perf_counter()
    first: float | None = None
    try:
        async with asyncio.timeout(timeout):
            async with websockets.connect(
                ws_url, subprotocols=["streamlit"], origin=base, max_size=None
            ) as ws:
                msg = BackMsg()
                msg.rerun_script.query_string = query
                msg.rerun_script.page_name = page
                await ws.send(msg.SerializeToString())
                async for raw in ws:
                    fwd = ForwardMsg()
                    fwd.ParseFromString(raw)
                    kind = fwd.WhichOneof("type")
                    if kind == "delta" and first is None:
                        first = time.perf_counter() - start
                    elif kind == "page_not_found":
                        return Visit(None, None, "page_not_found")
                    elif kind == "script_finished":
                        return Visit(time.perf_counter() - start, first, None)
        return Visit(None, first, "closed")
    except TimeoutError:
        return Visit(None, first, "timeout")
    except (OSError, websockets.WebSocketException) as exc:
        return Visit(None, first, type(exc).__name__)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the server process and its children (workers)."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _rss_mb(pid: int) -> float:
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


SETUPS = {
    # Streamlit's defaults as the product shipped them first: file watcher on, full GC per run.
    "før": (
        {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "auto", "STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"},
        1,
    ),
    "nu": ({}, 1),  # .streamlit/config.toml as shipped, one process
    "nu-2": ({}, 2),  # the same, `erhvervshus serve --workers 2`
}


async def run_load(
    bases: list[str], pid: int | None, spec: str, n: int, timeout: float, label: str
) -> str:
    """N viewers at once, spread over the workers as a sticky proxy spreads browsers."""
    cpu0 = _cpu_seconds(pid) if pid else 0.0
    visits = await asyncio.gather(*(visit(bases[i % len(bases)], spec, timeout) for i in range(n)))
    cpu = (_cpu_seconds(pid) - cpu0) / n if pid else float("nan")
    ok = [v.total for v in visits if v.total is not None]
    firsts = [v.first_content for v in visits if v.first_content is not None]
    errors = sum(v.error is not None for v in visits)
    rss = _rss_mb(pid) if pid else float("nan")
    if not ok:
        return f"| {label} | {spec} | {n} | – | – | – | – | {errors} | {cpu:.2f} | {rss:.0f} |"
    return (
        f"| {label} | {spec} | {n} | {statistics.median(ok):.2f} | {pct(ok, 0.95):.2f} "
        f"| {max(ok):.2f} | {statistics.median(firsts) if firsts else float('nan'):.2f} "
        f"| {errors} | {cpu:.2f} | {rss:.0f} |"
    )


def _start_server(
    port: int, db: str, env_extra: dict[str, str], workers: int
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": db, "ERHVERVSHUS_AUTH": "demo", **env_extra}
    command = [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)]
    return subprocess.Popen(
        [*command, "--demo-if-empty", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _start_export(db: str) -> subprocess.Popen[bytes]:
    """The annual report as the Eksport page makes it (its background job, at nice 10)."""
    out = Path(tempfile.mkdtemp(prefix="load-eksport-"))
    env = {**os.environ, "DATABASE_URL": db}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard.report.job",
            "2022",
            "-",
            str(out / "rapport"),
            "load@bench",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _wait_ready(base: str, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if (await visit(base, "overblik", 120)).error is None:
            return
        await asyncio.sleep(1)
    raise SystemExit("the server did not answer")


HEADER = (
    "| setup | page | N | p50 s | p95 s | max s | first content p50 s | errors "
    "| CPU s/session | RSS MB |\n|---|---|---|---|---|---|---|---|---|---|"
)


async def measure(
    args: argparse.Namespace, bases: list[str], pid: int | None, label: str, db: str | None
) -> None:
    for spec in args.pages:  # warm the caches of each page once, in every worker
        for base in bases:
            await visit(base, spec, args.timeout)
    for spec in args.pages:
        for n in args.n:
            print(await run_load(bases, pid, spec, n, args.timeout, label), flush=True)
            if args.export and db is not None:
                export = _start_export(db)
                await asyncio.sleep(args.export_delay)  # the export is drawing its charts
                row = await run_load(bases, pid, spec, n, args.timeout, label + " + eksport")
                print(
                    row
                    + (" (eksporten var færdig før målingen)" if export.poll() is not None else ""),
                    flush=True,
                )
                export.wait(timeout=600)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", help="a running server (default: start one per setup on demo data)"
    )
    parser.add_argument("--pid", type=int, help="the running server's process id (for CPU/RSS)")
    parser.add_argument("--n", type=int, nargs="+", default=[1, 10, 25, 50])
    parser.add_argument("--pages", nargs="+", default=["overblik?aar=2022", "maal?aar=2022&maal=3"])
    parser.add_argument("--setups", nargs="+", default=list(SETUPS), choices=list(SETUPS))
    parser.add_argument("--export", action="store_true", help="each size again during an export")
    parser.add_argument("--export-delay", type=float, default=4.0)
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    print(HEADER)
    if args.url is not None:
        await _wait_ready(args.url)
        await measure(args, [args.url], args.pid, "given", None)
        return
    db = f"sqlite:///{Path(tempfile.mkdtemp()) / 'load.db'}"
    for i, label in enumerate(args.setups):
        env_extra, workers = SETUPS[label]
        port = 8611 + 10 * i
        proc = _start_server(port, db, env_extra, workers)
        bases = [f"http://127.0.0.1:{port + w}" for w in range(workers)]
        try:
            for base in bases:
                await _wait_ready(base)
            await measure(args, bases, proc.pid, label, db)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    asyncio.run(main())
