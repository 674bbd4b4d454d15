"""The installation lock: a second holder is told it waits and gets the lock when the first
lets go (SQLite: a file lock; PostgreSQL: an advisory lock)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine

from data.locks import installation_lock


def test_a_second_holder_waits_until_the_first_lets_go(engine: Engine) -> None:
    events: list[str] = []
    first_holds = threading.Event()
    release = threading.Event()

    def first() -> None:
        with installation_lock(engine, "proeve"):
            events.append("first in")
            first_holds.set()
            release.wait(30)
            events.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    assert first_holds.wait(30)

    def later() -> None:
        with installation_lock(engine, "proeve", on_wait=lambda: events.append("waiting")):
            events.append("second in")

    second = threading.Thread(target=later)
    second.start()
    time.sleep(1.5)
    assert events == ["first in", "waiting"]  # told once, and not let in
    release.set()
    thread.join(30)
    second.join(30)
    assert events == ["first in", "waiting", "first out", "second in"]


def test_other_names_do_not_wait(engine: Engine) -> None:
    waited: list[str] = []
    with (
        installation_lock(engine, "a"),
        installation_lock(engine, "b", on_wait=lambda: waited.append("b")),
    ):
        pass
    assert waited == []
