"""The report job (dashboard.report.job): a process of its own at a lower CPU priority, one at a
time — a second export is told it waits and starts when the first is done; the job's Danish
refusals reach the page as such."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.report.job import LOCK, NICE, run_export
from data.db import make_engine
from data.errors import UserFacingError
from data.locks import installation_lock
from tests.demo_db import copy_sqlite_demo


def _job_pid() -> int | None:
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"dashboard.report.job" in cmdline:
                return int(proc.name)
    return None


def _nice(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[16])  # field 19: nice


def test_a_second_export_waits_at_low_priority_then_reports_in_danish(tmp_path: Path) -> None:
    url = copy_sqlite_demo(tmp_path / "demo.db")
    engine: Engine = make_engine(url)
    events: list[str] = []
    outcome: list[BaseException] = []

    def export() -> None:
        try:
            run_export(
                url,
                2030,  # a contract year without data: the job refuses it
                None,
                tmp_path / "ud",
                actor="eksport@kkr.dk",
                progress=lambda fraction, text: events.append(text),
                waiting=lambda: events.append("venter"),
            )
        except UserFacingError as exc:
            outcome.append(exc)

    with installation_lock(engine, LOCK):  # another export is running
        thread = threading.Thread(target=export)
        thread.start()
        deadline = time.monotonic() + 120
        while "venter" not in events and time.monotonic() < deadline:
            time.sleep(0.2)
        assert events == ["venter"]
        pid = _job_pid()
        assert pid is not None and _nice(pid) >= NICE
    thread.join(120)
    assert not thread.is_alive()
    (error,) = outcome
    assert error.message == "Der er ingen indlæste data for 2030 at eksportere."
    assert events[:2] == ["venter", "Beregner nøgletal …"]


def test_a_crashed_job_is_an_error_not_an_empty_result(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="Eksporten fejlede"):
        run_export(
            "sqlite:///" + str(tmp_path / "mangler" / "x.db"),  # no such folder: the job fails
            2022,
            None,
            tmp_path / "ud",
            actor="eksport@kkr.dk",
            progress=lambda fraction, text: None,
            waiting=lambda: None,
        )
