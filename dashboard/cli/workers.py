"""``erhvervshus serve --workers N``: N Streamlit processes on N consecutive ports.

One Streamlit process runs its sessions on one core. With ``--workers N`` the command starts
N of them (ports ``port`` … ``port + N - 1``) and supervises them: a worker that stops on its
own is started again (at most :data:`MAX_RESTARTS` times a minute, then the whole server stops
so the service manager sees it), and SIGTERM or Ctrl-C stops them all. A reverse proxy in front
keeps each browser on one worker (docs/nginx-erhvervshus.conf: a sticky cookie and
``hash … consistent``), because a Streamlit session, its uploads and its media live in the
process that serves its WebSocket.

The workers share nothing but the database. Every page reads the data version from the
database on each rerun and keys its caches on it, so an upload through one worker shows in
every other worker at its next rerun.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType

MAX_WORKERS = 32
MAX_RESTARTS = 5  # per worker within RESTART_WINDOW seconds
RESTART_WINDOW = 60.0
STOP_TIMEOUT = 15.0


class WorkersFailed(RuntimeError):
    """A worker kept stopping on its own; the message names it in Danish."""


@dataclass
class Worker:
    port: int
    command: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: deque[float] = field(default_factory=deque)

    def start(self) -> None:
        self.process = subprocess.Popen(self.command)

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()


def worker_ports(port: int, workers: int) -> list[int]:
    return list(range(port, port + workers))


def supervise(
    commands: Sequence[tuple[int, list[str]]],
    *,
    echo: Callable[[str], None],
    poll: float = 0.5,
) -> int:
    """Run one process per ``(port, command)`` until a stop signal; returns the exit code."""
    workers = [Worker(port, command) for port, command in commands]
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for worker in workers:
            worker.start()
        while not stopping:
            time.sleep(poll)
            for worker in workers:
                code = worker.exited()
                if code is None or stopping:
                    continue
                _restart(worker, code, echo)
        return 0
    finally:
        _stop_all(workers)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _restart(worker: Worker, code: int, echo: Callable[[str], None]) -> None:
    now = time.monotonic()
    while worker.restarts and now - worker.restarts[0] > RESTART_WINDOW:
        worker.restarts.popleft()
    if len(worker.restarts) >= MAX_RESTARTS:
        raise WorkersFailed(
            f"Arbejdsprocessen på port {worker.port} stoppede {MAX_RESTARTS + 1} gange inden for "
            f"{RESTART_WINDOW:.0f} sekunder (senest med kode {code}); serveren stopper."
        )
    worker.restarts.append(now)
    echo(f"Arbejdsprocessen på port {worker.port} stoppede (kode {code}) og startes igen.")
    worker.start()


def _stop_all(workers: list[Worker]) -> None:
    running = [w.process for w in workers if w.process is not None and w.process.poll() is None]
    for process in running:
        process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def exit_code(commands: Sequence[tuple[int, list[str]]], echo: Callable[[str], None]) -> int:
    """:func:`supervise`, with a worker that keeps failing reported in Danish (exit code 1)."""
    try:
        return supervise(commands, echo=echo)
    except WorkersFailed as exc:
        print(exc, file=sys.stderr)
        return 1
