"""The quarterly upload in Chromium: the period is chosen before the file, changing it with a
file attached re-checks the file and stores no rejected batch, the period of the file's dates
is offered and, chosen, the file replaces a 2023 quarter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from data.db import make_engine
from data.demo_loader import DEMO_ACCOUNTS
from data.schema import Batch
from tests.dashboard.conftest import build_demo_db
from tests.e2e.conftest import dashboard_server, screenshot, wait_rendered
from tests.e2e.steps import YEAR, choose_period, download, go, q4_files, upload
from tests.e2e.test_auth_browser import password_login

pytestmark = pytest.mark.e2e
DIRECTOR, _, PASSWORD, _ = DEMO_ACCOUNTS[0]


@pytest.fixture(scope="module")
def period_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_demo_db(tmp_path_factory.mktemp("periode") / "demo.db")  # this test changes it


@pytest.fixture(scope="module")
def period_server(period_db: str) -> Iterator[str]:
    with dashboard_server(period_db, auth="local") as base:
        yield base


def rejected(url: str) -> int:
    with make_engine(url).connect() as conn:
        query = select(func.count()).select_from(Batch).where(Batch.status == "rejected")
        return int(conn.execute(query).scalar_one())


def test_changing_the_period_with_a_file_attached_quarantines_nothing(
    period_server: str, period_db: str, page: Page, tmp_path: Path
) -> None:
    good, _ = q4_files(period_db, tmp_path)
    before = rejected(period_db)
    page.goto(period_server + "/")
    password_login(page, DIRECTOR, PASSWORD)
    wait_rendered(page, 120_000)
    go(page, "Indlæs data")
    page.get_by_text("Forventede kolonner og skabeloner", exact=False).click()
    expect(page.get_by_text("forløbs id, forloeb id", exact=False)).to_be_visible()
    wait_rendered(page, 120_000)
    template = Path(download(page, "Hent skabelon (CSV)", timeout=45_000).path()).read_bytes()
    assert template.startswith("\ufeffForløb ID;CVR;".encode())
    screenshot(page, "indlaes_kolonner_og_skabeloner")
    choose_period(page, YEAR, 1)  # a mis-click: the wrong quarter
    upload(page, good)
    expect(page.get_by_text("Filen blev afvist", exact=False)).to_be_visible()
    expect(
        page.get_by_text(f"Filens datoer ligger i 4. kvartal {YEAR} – vælg den periode?")
    ).to_be_visible()
    assert rejected(period_db) == before

    choose_period(page, YEAR, 2)  # another period, the file still attached: checked again
    expect(page.get_by_text("Filen blev afvist", exact=False)).to_be_visible()
    assert rejected(period_db) == before
    screenshot(page, "indlaes_forkert_periode")

    page.get_by_role("button", name=f"Vælg 4. kvartal {YEAR}").click()
    wait_rendered(page, 120_000)
    expect(page.get_by_text("Filen er godkendt: 100 rækker, ingen problemer.")).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_text("Erstatter indlæsning nr.", exact=False)).to_be_visible()
    assert rejected(period_db) == before
    page.get_by_role("button", name="Gem indlæsningen").click()
    expect(page.get_by_text("Indlæst: 100 rækker som indlæsning nr.", exact=False)).to_be_visible(
        timeout=60_000
    )
    assert rejected(period_db) == before
    with make_engine(period_db).connect() as conn:
        active = conn.execute(
            select(Batch.filename).where(
                Batch.kind == "forloeb", Batch.period == f"{YEAR}Q4", Batch.status == "active"
            )
        ).scalar_one()
    assert active == "forloeb_q4.csv"
