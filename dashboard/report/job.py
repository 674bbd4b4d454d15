"""The annual report as a background job: a process of its own at a lower CPU priority, one at a
time per installation, whose progress and result outlive the browser tab that started it.

The Eksport page starts ``python -m dashboard.report.job`` (:func:`start_export`) in a session
of its own and follows the job's status file (:func:`read_status`), so a reload, a second tab
or a closed laptop lid neither stops the export nor loses its files: each person has a folder
of their own (:func:`user_folder`) holding their latest report until their next export.

The job lowers its own priority (``nice`` :data:`NICE`), so a running export leaves the cores to
the people viewing the dashboard, and works outside the server process, so the server's Python
threads never wait on it. It holds the installation lock ``eksport`` (:mod:`data.locks`) while
it works: a second export waits until the first is done, and its page says so in Danish.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from data.db import make_engine
from data.errors import UserFacingError
from data.locks import installation_lock
from data.periods import Quarter

NICE = 10
LOCK = "eksport"
ROOT = Path(__file__).resolve().parents[2]
STATUS = "status.json"
POLL_SECONDS = 0.2


@dataclass(frozen=True, slots=True)
class ExportStatus:
    """What a job is doing: ``waiting`` for another export, ``running``, ``done`` or ``error``."""

    state: str
    year: int
    as_of: str | None
    fraction: float = 0.0
    text: str = ""
    paths: list[str] = field(default_factory=list)
    title: str = ""
    message: str = ""
    pid: int = 0

    @property
    def active(self) -> bool:
        return self.state in ("waiting", "running")


def export_root() -> Path:
    """Where every person's latest report is kept: ``ERHVERVSHUS_EXPORT_DIR``, or a folder in the
    system's temporary directory shared by every server process of this machine."""
    configured = os.environ.get("ERHVERVSHUS_EXPORT_DIR")
    root = Path(configured) if configured else Path(tempfile.gettempdir()) / "erhvervshus-eksport"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def user_folder(actor: str, root: Path | None = None) -> Path:
    """One person's folder (named by a hash: no e-mail address in a path)."""
    name = hashlib.sha256(actor.strip().lower().encode()).hexdigest()[:20]
    folder = (root or export_root()) / name
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _write_status(folder: Path, status: ExportStatus) -> None:
    """Replace the status file atomically: a reader never sees half of it."""
    tmp = folder / f".{STATUS}.{os.getpid()}"
    tmp.write_text(json.dumps(asdict(status), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / STATUS)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def read_status(folder: Path) -> ExportStatus | None:
    """The person's latest job, or None; a job that died without a word is reported as such."""
    try:
        status = ExportStatus(**json.loads((folder / STATUS).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    if status.active and not _alive(status.pid):
        return ExportStatus(
            "error",
            status.year,
            status.as_of,
            title="Eksporten stoppede",
            message="Eksporten stoppede uventet (serveren blev måske genstartet). Prøv igen.",
        )
    return status


def start_export(
    database_url: str, year: int, as_of: Quarter | None, folder: Path, *, actor: str
) -> ExportStatus:
    """Start the job for ``year`` in ``folder`` (the person's earlier report is removed) and
    return its first status; the job runs on when the page that started it is gone."""
    current = read_status(folder)
    if current is not None and current.active:
        return current
    out = folder / "rapport"
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "DATABASE_URL": database_url}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    args = [str(year), str(as_of) if as_of else "-", str(out), actor, str(folder)]
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard.report.job", *args],
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # not stopped with the server's script run or its signals
    )
    status = ExportStatus("running", year, str(as_of) if as_of else None, 0.0, "Starter …")
    status = ExportStatus(**{**asdict(status), "pid": process.pid})
    _write_status(folder, status)
    return status


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
    """Start the job in ``out`` and wait for it (the command line and the tests): ``progress``
    gets its fraction and text, ``waiting`` is called when another export holds the lock."""
    out.mkdir(parents=True, exist_ok=True)
    status = start_export(database_url, year, as_of, out, actor=actor)
    told_waiting, last = False, (status.fraction, status.text)
    while status.active:
        time.sleep(POLL_SECONDS)
        status = read_status(out) or status
        if status.state == "waiting" and not told_waiting:
            told_waiting = True
            waiting()
        elif status.state == "running" and (status.fraction, status.text) != last:
            last = (status.fraction, status.text)
            progress(status.fraction, status.text)
    if status.state == "error":
        raise UserFacingError(status.message, title=status.title)
    return [Path(p) for p in status.paths]


def _job(year: int, as_of: Quarter | None, out: Path, actor: str, folder: Path) -> int:
    os.nice(NICE)
    base = ExportStatus("running", year, str(as_of) if as_of else None, pid=os.getpid())

    def say(**changes: object) -> None:
        _write_status(folder, ExportStatus(**{**asdict(base), **changes}))

    from dashboard.report.bundle import build_report  # the heavy imports, at low priority

    try:
        engine = make_engine()
        with installation_lock(engine, LOCK, on_wait=lambda: say(state="waiting")):
            say(text="Starter …")
            paths = build_report(
                engine,
                year,
                as_of,
                out,
                actor=actor,
                progress=lambda fraction, text: say(fraction=fraction, text=text),
            )
    except UserFacingError as exc:
        say(state="error", title=exc.title, message=exc.message)
        return 1
    except Exception:
        say(
            state="error", title="Eksporten fejlede", message="Eksporten fejlede; se serverens log."
        )
        raise
    say(state="done", fraction=1.0, text="Færdig", paths=[str(p) for p in paths])
    return 0


def main(argv: list[str]) -> int:
    year, as_of, out, actor, folder = argv
    quarter = None if as_of == "-" else Quarter.parse(as_of)
    return _job(int(year), quarter, Path(out), actor, Path(folder))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
