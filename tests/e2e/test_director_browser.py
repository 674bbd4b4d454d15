"""The director's workspace in real Chromium, logged in with a local account: a good file is
previewed, confirmed and changes the overview; a broken file is reported and changes nothing;
restoring the earlier batch brings the figures back; an activity marked done changes its
goal's status; a comment shows on the goal page; every change is in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from data.db import make_engine
from data.demo_loader import DEMO_ACCOUNTS
from data.schema import AuditLog, Batch
from tests.dashboard.conftest import build_demo_db
from tests.e2e.conftest import dashboard_server, screenshot, wait_rendered
from tests.e2e.steps import (
    BROKEN_NAME,
    YEAR,
    choose,
    choose_period,
    go,
    headline_of_goal_11,
    q4_files,
    unique_companies,
    upload,
)
from tests.e2e.test_auth_browser import password_login

pytestmark = pytest.mark.e2e
DIRECTOR, _, PASSWORD, _ = DEMO_ACCOUNTS[0]


@pytest.fixture(scope="module")
def director_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_demo_db(tmp_path_factory.mktemp("direktor") / "demo.db")  # this test changes it


@pytest.fixture(scope="module")
def director_server(director_db: str) -> Iterator[str]:
    with dashboard_server(director_db, auth="local") as base:
        yield base


def test_upload_confirm_reject_restore_activity_comment(
    director_server: str, director_db: str, page: Page, tmp_path: Path
) -> None:
    good, broken = q4_files(director_db, tmp_path)
    before = unique_companies(director_db)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(director_server + "/")
    password_login(page, DIRECTOR, PASSWORD)
    wait_rendered(page, 120_000)
    assert headline_of_goal_11(page) == before
    expect(page.get_by_text(f"Manglende indlæsninger for {date.today().year}")).to_be_visible()

    # A good file: checked, previewed against the batch it replaces, stored on confirmation.
    go(page, "Indlæs data")
    choose_period(page, YEAR, 4)
    upload(page, good)
    expect(page.get_by_text("Filen er godkendt: 100 rækker, ingen problemer.")).to_be_visible()
    expect(page.get_by_text("Erstatter indlæsning nr.", exact=False)).to_be_visible()
    expect(page.get_by_text(f"Sådan ændres nøgletallene for {YEAR}")).to_be_visible()
    screenshot(page, "direktor_upload_preview")
    page.get_by_role("button", name="Gem indlæsningen").click()
    expect(page.get_by_text("Indlæst: 100 rækker som indlæsning nr.", exact=False)).to_be_visible(
        timeout=60_000
    )
    after = unique_companies(director_db)
    assert after != before
    go(page, "Overblik")
    assert headline_of_goal_11(page) == after

    # A broken file: every problem reported, nothing changes.
    go(page, "Indlæs data")
    choose_period(page, YEAR, 4)
    upload(page, broken)
    expect(page.get_by_text("Filen blev afvist", exact=False)).to_be_visible()
    expect(page.get_by_text("Brudte regler")).to_be_visible()
    expect(page.get_by_role("button", name="Hent fejllisten (Excel)")).to_be_visible()
    assert page.get_by_role("button", name="Gem indlæsningen").count() == 0
    expect(page.get_by_text(f"Fil: {BROKEN_NAME}", exact=False)).to_be_visible()
    assert page.locator("img[src='x']").count() == 0
    screenshot(page, "direktor_upload_afvist")
    page.get_by_role("button", name="Gem i karantæne").click()  # kept only when asked
    expect(page.get_by_text("Den afviste fil er gemt i karantæne", exact=False)).to_be_visible(
        timeout=60_000
    )
    assert unique_companies(director_db) == after
    go(page, "Overblik")
    assert headline_of_goal_11(page) == after

    # Restore the demo's own 2023Q4 batch: the figures return.
    engine = make_engine(director_db)
    with engine.connect() as conn:
        replaced = conn.execute(
            select(Batch.id).where(
                Batch.kind == "forloeb", Batch.period == f"{YEAR}Q4", Batch.status == "replaced"
            )
        ).scalar_one()
    go(page, "Indlæsninger")
    choose(page, "Vælg en indlæsning", f"Nr. {replaced} ·", exact=False)
    page.get_by_role("button", name="Gendan indlæsningen").click()
    wait_rendered(page, 60_000)
    expect(page.get_by_text("bliver aktiv igen", exact=False)).to_be_visible()
    page.get_by_role("button", name="Ja, gendan").click()
    expect(page.get_by_text(f"Indlæsning nr. {replaced} er aktiv igen")).to_be_visible(
        timeout=60_000
    )
    screenshot(page, "direktor_gendannet")
    go(page, "Overblik")
    assert headline_of_goal_11(page) == before

    # Mål 8: the last activity in progress is done → the goal is met.
    go(page, "Indsatser")
    goal8 = page.get_by_text("Gennemførte indsatser: 66,7\u00a0%", exact=False).first
    expect(goal8).to_be_visible()
    activity = (
        page.get_by_test_id("stExpander").filter(has_text="I gang").filter(has_text="statslige")
    )
    activity.locator("summary").click()
    choose(page, "Status", "Gennemført", within=activity)
    activity.get_by_role("button", name="Gem indsatsen").click()
    expect(page.get_by_text("Indsatsen er gemt: Gennemført.")).to_be_visible(timeout=60_000)
    expect(
        page.get_by_text("Gennemførte indsatser: 100,0\u00a0% (3 af 3 gennemført)")
    ).to_be_visible()
    screenshot(page, "direktor_indsatser")
    go(page, "Overblik")
    card8 = page.locator(".st-key-card_8")  # the overview's card of Mål 8
    expect(card8.get_by_test_id("stMetricValue")).to_have_text("100,0\u00a0%")
    expect(card8.get_by_text("✔ Opfyldt").first).to_be_visible()  # the KPI and the goal as a whole

    # A comment on Mål 7 shows on its goal page.
    go(page, "Kommentarer")
    choose(page, "Mål", "Mål 7 – Digitalisering og nye teknologier")
    text = "Digitaliseringsvejledningen blev udvidet til alle 11 kommuner i 2. halvår."
    page.get_by_label(f"Kommentar til Mål 7 for {YEAR}").fill(text)
    page.get_by_role("button", name="Gem kommentaren").click()
    expect(page.get_by_text(f"Kommentaren til mål 7 for {YEAR} er gemt.")).to_be_visible(
        timeout=60_000
    )
    go(page, "Mål")
    choose(page, "Mål", "Mål 7 – Digitalisering og nye teknologier")
    expect(page.get_by_text("Direktørens kommentar")).to_be_visible()
    expect(page.get_by_text(text)).to_be_visible()
    screenshot(page, "direktor_kommentar_paa_maal")

    with engine.connect() as conn:
        rejected = conn.execute(select(Batch.id).where(Batch.status == "rejected")).scalar_one()
    go(page, "Indlæsninger")  # the quarantined file's name in the history, as text
    choose(page, "Vælg en indlæsning", f"Nr. {rejected} ·", exact=False)
    expect(page.get_by_text(f"Fil: {BROKEN_NAME}", exact=False)).to_be_visible()
    assert page.locator("img[src='x']").count() == 0 and dialogs == []

    with engine.connect() as conn:
        log = conn.execute(
            select(AuditLog.action, AuditLog.actor, AuditLog.at).where(AuditLog.actor == DIRECTOR)
        ).all()
    actions = {a for a, _, _ in log}
    assert {"login", "upload_replace", "upload_rejected", "restore", "activity", "comment"} <= (
        actions
    )
    assert all(at is not None for _, _, at in log)
