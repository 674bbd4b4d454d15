"""The export page refuses a person without the exporter role (AppTest, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGE = Path(__file__).resolve().parents[2] / "dashboard" / "pages" / "eksport.py"


def test_a_viewer_cannot_export(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERHVERVSHUS_AUTH", "demo")  # anonymous visitors are viewers
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Du har ikke adgang til denne funktion. Log ind med en bruger, der har rollen."
    ]
    assert not at.button
