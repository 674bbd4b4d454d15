"""The worker supervisor of `erhvervshus serve --workers N`: a worker that stops is started
again, one that keeps stopping stops the server with a Danish message, and a stop signal ends
every worker (no process left behind)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.cli import workers

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def _supervisor(tmp_path: Path, commands: list[tuple[int, list[str]]]) -> subprocess.Popen[str]:
    """A process that supervises ``commands`` and writes its workers' pids to ``pids``."""
    script = tmp_path / "run.py"
    script.write_text(
        "import sys\n"
        "from dashboard.cli import workers\n"
        "real = workers.Worker.start\n"
        "def start(self):\n"
        "    real(self)\n"
        f"    open({str(tmp_path / 'pids')!r}, 'a').write(f'{{self.process.pid}}\\n')\n"
        "workers.Worker.start = start\n"
        f"sys.exit(workers.exit_code({commands!r}, print))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.Popen(
        [sys.executable, str(script)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _pids(tmp_path: Path, count: int, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        path = tmp_path / "pids"
        pids = [int(x) for x in path.read_text().split()] if path.exists() else []
        if len(pids) >= count:
            return pids
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} workers started")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended; /proc shows its state as Z.
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_a_stopped_worker_is_restarted_and_sigterm_stops_all(tmp_path: Path) -> None:
    proc = _supervisor(tmp_path, [(9001, SLEEPER), (9002, SLEEPER)])
    first, second = _pids(tmp_path, 2)
    os.kill(second, signal.SIGKILL)
    third = _pids(tmp_path, 3)[2]  # the supervisor started the killed worker again
    assert _alive(first) and _alive(third)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert "Arbejdsprocessen på port 9002 stoppede (kode -9) og startes igen." in out
    assert not _alive(first) and not _alive(third)


def test_a_worker_that_keeps_stopping_stops_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = [sys.executable, "-c", "raise SystemExit(3)"]
    proc = _supervisor(tmp_path, [(9001, SLEEPER), (9002, failing)])
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert f"Arbejdsprocessen på port 9002 stoppede {workers.MAX_RESTARTS + 1} gange" in err
    assert "senest med kode 3" in err
    first = int((tmp_path / "pids").read_text().split()[0])
    assert not _alive(first)  # the healthy worker was stopped with the server
