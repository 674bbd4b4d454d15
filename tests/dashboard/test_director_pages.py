"""The director's pages in AppTest: only the uploader role gets them, each runs on demo data and
on an empty database, a saved comment is stored with who and when and written to the log."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dashboard.ui.auth import SESSION_KEY, CurrentUser
from data import sandbox
from data.db import make_engine, session_factory
from data.demo_loader import DEMO_ACCOUNTS
from data.migrate import upgrade
from data.reference import erhvervshus
from data.schema import AuditLog, GoalComment
from data.sessions import start_session
from data.store import load_stored_data
from data.users import add_user
from metrics.service import kpi_cells
from tests.dashboard.test_pages import APP, ENGLISH, page_text

DIRECTOR_PAGES = [
    "dashboard/pages/indlaes.py",
    "dashboard/pages/indlaesninger.py",
    "dashboard/pages/indsatser.py",
    "dashboard/pages/kommentarer.py",
]
DIRECTOR = DEMO_ACCOUNTS[0][0]  # role uploader in the demo database
NO_ACCESS = "Du har ikke adgang til denne funktion. Log ind med en bruger, der har rollen."


def as_director(url: str, monkeypatch: pytest.MonkeyPatch, page: str, **query: str) -> AppTest:
    """The page in AppTest as the director, logged in: a session in the database, whose id the
    tab holds (AppTest has no cookies)."""
    monkeypatch.setenv("DATABASE_URL", url)
    engine = make_engine(url)
    session_id, _ = start_session(engine, DIRECTOR)
    engine.dispose()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state[SESSION_KEY] = CurrentUser(
        DIRECTOR, None, frozenset({"uploader"}), "local", session_id
    )
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", DIRECTOR_PAGES)
def test_director_pages_run_on_demo_data(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.dashboard.conftest import build_demo_db

    url = build_demo_db(tmp_path / "demo.db")  # the login writes its session
    at = as_director(url, monkeypatch, page, aar="2022")
    text = page_text(at)
    assert not at.error, [e.value for e in at.error]
    assert at.title
    for word in ENGLISH:  # as a word: "Finansiering" (a Fagområde) holds "nan"
        assert not re.search(rf"\b{re.escape(word)}\b", text), f"{word!r} on {page}"


@pytest.mark.parametrize("page", DIRECTOR_PAGES)
def test_director_pages_run_on_an_empty_database(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as s:
        add_user(s, DIRECTOR, {"uploader"}, actor="test")
    at = as_director(url, monkeypatch, page)
    assert not at.error, [e.value for e in at.error]
    if page.endswith("indlaes.py"):
        assert at.get("file_uploader") and "Filen kontrolleres helt" in page_text(at)


@pytest.mark.parametrize("page", DIRECTOR_PAGES)
def test_a_viewer_gets_no_director_page(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERHVERVSHUS_AUTH", "demo")  # anonymous visitors are viewers
    path = Path(APP).parent / page
    at = AppTest.from_file(str(path), default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == [NO_ACCESS]
    assert not at.button and not at.get("file_uploader") and not at.text_area


def test_viewer_gets_the_login_for_director_pages(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at = AppTest.from_file(APP, default_timeout=90).run()
    for page in DIRECTOR_PAGES:  # its address gives the login for it, no widget of the page
        at.switch_page(page).run()
        assert not at.exception, at.exception
        assert at.title[0].value.startswith("Log ind for at se ")
        assert not at.get("file_uploader") and not at.text_area
        assert [b.label for b in at.button] == ["Log ind"]


def test_a_saved_comment_is_stored_with_who_and_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.dashboard.conftest import build_demo_db

    url = build_demo_db(tmp_path / "demo.db")
    at = as_director(url, monkeypatch, "dashboard/pages/kommentarer.py", aar="2022", maal="7")
    at.text_area[0].set_value("Digitaliseringsindsatsen er øget i 2. halvår.")
    at.button[0].click().run()  # the form's "Gem kommentaren"
    assert not at.exception, at.exception
    assert "Kommentaren til mål 7 for 2022 er gemt." in [s.value for s in at.success]
    engine = make_engine(url)
    with engine.connect() as conn:
        row = conn.execute(
            select(GoalComment.text, GoalComment.author)
            .where(GoalComment.year == 2022, GoalComment.goal == 7)
            .order_by(GoalComment.id.desc())
        ).first()
        log = conn.execute(
            select(AuditLog.actor, AuditLog.target).order_by(AuditLog.id.desc())
        ).first()
    assert tuple(row) == ("Digitaliseringsindsatsen er øget i 2. halvår.", DIRECTOR)  # type: ignore[arg-type]
    assert tuple(log) == (DIRECTOR, "2022:mål 7")  # type: ignore[arg-type]


def test_control_group_figures_replace_afventer_metode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.dashboard.conftest import build_demo_db

    url = build_demo_db(tmp_path / "demo.db")
    at = as_director(url, monkeypatch, "dashboard/pages/kommentarer.py", aar="2022")
    assert "afventer metode" in page_text(at)
    revenue, employment, productivity, source = at.text_input
    revenue.set_value("2.5")  # ambiguous: refused, nothing shown as to be saved
    at.button[1].click().run()  # the second form's "Kontrollér tallene"
    # the message quotes what was typed, so it reaches Markdown escaped
    assert any("skriv 2,5" in e.value.replace("\\", "") for e in at.error), at.error
    revenue, employment, productivity, source = at.text_input
    revenue.set_value("12,5")  # ≥ 10 pp: met
    employment.set_value("4")  # < 5 pp: not met
    productivity.set_value("\u22120,8")  # not > 0: not met
    source.set_value("Erhvervsstyrelsen, effektmåling 2024")
    at.button[1].click().run()
    shown = page_text(at)
    assert "Vækst: ekstra omsætningsvækst (procentpoint): 12,5" in shown
    assert "Drift: produktivitetseffekt (procentpoint): -0,8" in shown
    at.button[2].click().run()  # "Gem kontrolgruppetallene" under the values shown back
    assert not at.exception, at.exception
    assert "Kontrolgruppetallene for 2022 er gemt." in [s.value for s in at.success]
    assert [t.value for t in at.text_input][:3] == ["12,5", "4,0", "-0,8"]  # Danish again
    house = erhvervshus()
    stored = load_stored_data(make_engine(url), house.key)
    assert stored.control_group.filter(pl.col("year") == 2022).row(-1, named=True)[
        "revenue_pp"
    ] == pytest.approx(12.5)
    cells = kpi_cells(stored, house, years=[2022])
    cell = cells.filter(pl.col("kpi") == "m6_kontrolgruppe", pl.col("kommune").is_null()).row(
        0, named=True
    )
    assert (cell["numerator"], cell["n"]) == (1.0, 3)  # one of the three criteria
    with make_engine(url).connect() as conn:
        log = conn.execute(
            select(AuditLog.action, AuditLog.actor, AuditLog.details).order_by(AuditLog.id.desc())
        ).first()
    assert log is not None and tuple(log[:2]) == ("control_group", DIRECTOR)
    details = json.loads(log[2])
    assert details["new"]["revenue_pp"] == 12.5
    assert details["new"]["productivity_effect"] == -0.8
    assert details["old"] is None  # nothing was entered for 2022 before


def test_the_upload_check_is_warmed_from_the_login_of_who_may_upload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checking worker starts importing its libraries on the first page a director sees,
    not when the first file arrives; a viewer never starts one."""
    from tests.dashboard.conftest import build_demo_db

    warmed: list[bool] = []
    monkeypatch.setattr(sandbox, "warm_up", lambda: warmed.append(True))
    url = build_demo_db(tmp_path / "demo.db")
    monkeypatch.setenv("DATABASE_URL", url)
    AppTest.from_file(APP, default_timeout=90).run()  # the anonymous demo viewer
    assert warmed == []
    as_director(url, monkeypatch, "dashboard/pages/overblik.py")  # right after the login
    assert warmed
