"""The overview in real Chromium against `erhvervshus serve` with demo data."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from metrics.contract import contract_for
from tests.e2e.conftest import screenshot, wait_rendered

pytestmark = pytest.mark.e2e


def open_overview(page: Page, base: str, query: str = "") -> None:
    page.goto(f"{base}/{query}")
    expect(page.get_by_text("Mål 11 – Specialiseret vejledning", exact=False)).to_be_visible(
        timeout=60_000
    )
    wait_rendered(page)  # the whole script run
    # Streamlit loads an element's code on first use: the cards' figures may be drawn a moment
    # after the run has finished.
    expect(page.get_by_test_id("stMetricValue")).to_have_count(11, timeout=60_000)


def test_overview_shows_all_goals(server: str, page: Page) -> None:
    open_overview(page, server, "?aar=2022")
    body = page.inner_text("body")
    for goal in contract_for(2022).goals:
        assert goal.title in body
    assert "Traceback" not in body and "Error" not in body
    # a decimal comma, and a non-breaking space before "%" (never a line break there)
    assert re.search(r"\d+,\d\u00a0%", body), "percentages use a decimal comma"
    assert not re.search(r"\d+,\d %", body), "a plain space before % may break the line"
    screenshot(page, "overblik_2022")


def test_link_with_year_reproduces_the_view_and_year_change_changes_figures(
    server: str, page: Page
) -> None:
    open_overview(page, server, "?aar=2021")
    assert "Resultatkontrakt 2021" in page.inner_text("body")
    figures_2021 = page.inner_text("body")
    page.get_by_label("År", exact=True).click()
    page.get_by_role("option", name="2023").click()
    expect(page.get_by_text("Resultatkontrakt 2023", exact=False)).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)
    assert page.inner_text("body") != figures_2021
    assert "aar=2023" in page.url
    screenshot(page, "overblik_2023")
