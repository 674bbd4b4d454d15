"""The annual report as a background job: a process of its own at a lower CPU priority, one at a
time per installation.

The Eksport page runs :func:`run_export`, which starts ``python -m dashboard.report.job`` and
follows its progress. The job lowers its own priority (``nice`` :data:`NICE`), so a running
export leaves the cores to the people viewing the dashboard, and works outside the server
process, so the server's Python threads never wait on it. It holds the installation lock
``eksport`` (:mod:`data.locks`) while it works: a second export waits until the first is
done, and its page says so in Danish.

The job talks to the page in JSON lines on stdout: ``{"progress": f, "text": t}``,
``{"waiting": true}``, and last ``{"done": [paths]}`` or ``{"error": title, "message": m}``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from data.db import make_engine
from data.errors import UserFacingError
from data.locks import installation_lock
from data.periods import Quarter

NICE = 10
LOCK = "eksport"
ROOT = Path(__file__).resolve().parents[2]


def _say(**message: object) -> None:
    print(json.dumps(message, ensure_ascii=False), flush=True)


def _job(year: int, as_of: Quarter | None, out: Path, actor: str) -> int:
    os.nice(NICE)
    from dashboard.report.bundle import build_report  # the heavy imports, at low priority

    engine = make_engine()
    try:
        with installation_lock(engine, LOCK, on_wait=lambda: _say(waiting=True)):
            paths = build_report(
                engine,
                year,
                as_of,
                out,
                actor=actor,
                progress=lambda fraction, text: _say(progress=fraction, text=text),
            )
    except UserFacingError as exc:
        _say(error=exc.title, message=exc.message)
        return 1
    _say(done=[str(p) for p in paths])
    return 0


def run_export(
    database_url: str,
    year: int,
    as_of: Quarter | None,
    out: Path,
    *,
    actor: str,
    progress: Callable[[float, str], None],
    waiting: Callable[[], None],
) -> list[Path]:
    """Run the report job for ``year`` and wait for it; ``progress`` gets its fraction and
    text, ``waiting`` is called when another export holds the lock."""
    env = {**os.environ, "DATABASE_URL": database_url}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    args = [str(year), str(as_of) if as_of else "-", str(out), actor]
    with subprocess.Popen(
        [sys.executable, "-m", "dashboard.report.job", *args],
        stdout=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
    ) as process:
        assert process.stdout is not None
        result: list[Path] | None = None
        error: UserFacingError | None = None
        for line in process.stdout:
            message = json.loads(line)
            if "progress" in message:
                progress(float(message["progress"]), str(message["text"]))
            elif "waiting" in message:
                waiting()
            elif "done" in message:
                result = [Path(p) for p in message["done"]]
            elif "error" in message:
                error = UserFacingError(str(message["message"]), title=str(message["error"]))
        code = process.wait()
    if error is not None:
        raise error
    if result is None or code != 0:
        raise RuntimeError(f"The report job stopped with exit code {code} and no result")
    return result


def main(argv: list[str]) -> int:
    year, as_of, out, actor = argv
    return _job(int(year), None if as_of == "-" else Quarter.parse(as_of), Path(out), actor)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
