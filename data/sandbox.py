"""Check uploaded files in a separate worker process, under a memory, CPU and time limit.

A crafted file can make a parser allocate without bound (calamine aborts the whole process
when an allocation fails), so the parent never parses an upload itself. The check runs in a
worker (``python -m data.sandbox``) whose address space is capped with ``RLIMIT_AS``; its CPU
time per check is capped with ``RLIMIT_CPU`` (the kernel stops it with SIGXCPU) and the parent
kills it after a wall-time limit. When a limit is hit the parent gets a Danish refusal naming
the limit and carries on; the dead worker is replaced by a new one on the next check.

One worker is kept warm: it imports Polars, fastexcel and Great Expectations once when it
starts, so a check costs only the transfer of the bytes in and of the typed rows back (as
Arrow IPC, never pickle). Checks that arrive while the warm worker is busy get a worker of
their own, which is stopped afterwards. The limits are in :mod:`data.limits`.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from data.limits import WORKER_ADDRESS_SPACE, WORKER_CPU_SECONDS, WORKER_WALL_SECONDS

_LENGTH = struct.Struct(">Q")
_ROOT = Path(__file__).resolve().parent.parent
KEEP_WARM = 1


class WorkerLimit(Exception):
    """The worker hit a limit or died; ``message`` is the Danish refusal."""

    def __init__(self, rule_id: str, message: str) -> None:
        super().__init__(message)
        self.rule_id = rule_id
        self.message = message


def memory_message(address_space: int) -> str:
    gigabytes = f"{address_space / 1024**3:g}".replace(".", ",")
    return (
        f"Filen er for stor til at blive læst: kontrollen skulle bruge mere end {gigabytes} GB "
        "hukommelse (grænsen for én fil). Del filen op, eller gem den som CSV."
    )


CPU_MESSAGE = (
    f"Filen er for stor til at blive læst: kontrollen brugte mere end {WORKER_CPU_SECONDS} "
    "sekunders regnetid (grænsen for én fil) og blev stoppet. Del filen op."
)
WALL_MESSAGE = (
    f"Filen er for stor til at blive læst: kontrollen tog mere end {WORKER_WALL_SECONDS} "
    "sekunder (grænsen for én fil) og blev stoppet. Del filen op, eller prøv igen senere."
)


@dataclass(frozen=True, slots=True)
class Reply:
    header: dict[str, Any]
    payload: bytes


def _write(stream: IO[bytes], header: dict[str, Any], payload: bytes) -> None:
    raw = json.dumps(header, ensure_ascii=False).encode()
    stream.write(_LENGTH.pack(len(raw)) + raw + _LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    parts: list[bytes] = []
    while n > 0:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def _read(fd: int, deadline: float | None) -> Reply:
    size = _LENGTH.unpack(_read_exact(fd, _LENGTH.size, deadline))[0]
    header = json.loads(_read_exact(fd, size, deadline))
    size = _LENGTH.unpack(_read_exact(fd, _LENGTH.size, deadline))[0]
    return Reply(header, _read_exact(fd, size, deadline))


class _Worker:
    def __init__(self, address_space: int) -> None:
        self.address_space = address_space
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
        # Fewer malloc arenas: less reserved (not used) address space under RLIMIT_AS.
        env.setdefault("MALLOC_ARENA_MAX", "2")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "data.sandbox", str(address_space)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=_ROOT,
        )

    def run(self, header: dict[str, Any], payload: bytes) -> Reply:
        assert self.process.stdin is not None and self.process.stdout is not None
        deadline = time.monotonic() + WORKER_WALL_SECONDS
        try:
            _write(self.process.stdin, header, payload)
            reply = _read(self.process.stdout.fileno(), deadline)
        except TimeoutError:
            self.kill()
            raise WorkerLimit("fil.for_stor", WALL_MESSAGE) from None
        except (EOFError, BrokenPipeError):
            raise self._died() from None
        if reply.header.get("status") == "memory":
            self.kill()  # a MemoryError may leave the worker in a poor state
            raise WorkerLimit("fil.for_stor", memory_message(self.address_space))
        if reply.header.get("status") != "ok":
            self.kill()
            raise RuntimeError(f"Upload check failed in the worker: {reply.header.get('error')}")
        return reply

    def _died(self) -> WorkerLimit:
        self.kill()  # reaps it and closes the pipes
        code = self.process.returncode
        if code == -signal.SIGXCPU:
            return WorkerLimit("fil.for_stor", CPU_MESSAGE)
        if code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGBUS):
            return WorkerLimit("fil.for_stor", memory_message(self.address_space))
        return WorkerLimit(
            "fil.ulæselig",
            f"Filen kunne ikke læses: kontrollen stoppede uventet (kode {code}). "
            "Gem filen igen fra Excel som XLSX eller CSV.",
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()

    def close(self) -> None:
        if self.process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()


class Pool:
    """Workers with the given address-space limit; one is kept warm between checks."""

    def __init__(self, address_space: int = WORKER_ADDRESS_SPACE) -> None:
        self.address_space = address_space
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []

    def warm_up(self) -> None:
        with self._lock:
            if not self._idle:
                self._idle.append(_Worker(self.address_space))

    def run(self, header: dict[str, Any], payload: bytes) -> Reply:
        with self._lock:
            worker = None
            while self._idle and worker is None:
                candidate = self._idle.pop()
                worker = candidate if candidate.alive() else None
        worker = worker or _Worker(self.address_space)
        reply = worker.run(header, payload)  # on a limit the worker is dead and dropped
        with self._lock:
            if len(self._idle) < KEEP_WARM:
                self._idle.append(worker)
                worker = None
        if worker is not None:
            worker.close()
        return reply

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()


POOL = Pool()
atexit.register(lambda: POOL.close())


def warm_up() -> None:
    """Start the warm worker now (it takes a few seconds to import its libraries)."""
    POOL.warm_up()


def run_check(header: dict[str, Any], content: bytes) -> Reply:
    """Run one check (see :func:`data.upload_check.inspect_file`) in a worker.

    Raises :class:`WorkerLimit` when the file hit a limit.
    """
    return POOL.run(header, content)


def _limit_cpu() -> None:
    used = resource.getrusage(resource.RUSAGE_SELF)
    seconds = int(used.ru_utime + used.ru_stime) + WORKER_CPU_SECONDS
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, hard))


def _serve() -> None:
    """The worker: read jobs from stdin, answer on the original stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C; EOF on stdin ends us
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, not into the replies
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else WORKER_ADDRESS_SPACE
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from data.upload_check import check_job
    from expectations.validate import preload

    preload()
    fd = sys.stdin.buffer.fileno()
    while True:
        try:
            job = _read(fd, None)
        except EOFError:
            return
        _limit_cpu()
        try:
            header, payload = check_job(job.header, job.payload)
        except MemoryError:
            header, payload = {"status": "memory"}, b""
        except Exception:  # a bug, not a bad file: the parent raises it
            header, payload = {"status": "error", "error": traceback.format_exc()}, b""
        _write(out, header, payload)


__all__ = ["Pool", "WorkerLimit", "run_check", "warm_up"]

if __name__ == "__main__":
    _serve()
