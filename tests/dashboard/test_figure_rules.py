"""The figure rules on the pages (AppTest, demo data): the overview's summary line, the
explanations, the hidden cells, the Benchmark page's dating."""

from __future__ import annotations

import json

import polars as pl
import pytest

from dashboard.views.goals import summary_line
from dashboard.views.kpi import house_cells
from metrics.contract import contract_for
from tests.dashboard.test_pages import PAGES, engine_cells, page_text, run_app


def test_overview_opens_with_the_summary_line_and_goal_statuses(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, aar="2022")
    cells = house_cells(engine_cells(demo_url, [2022]), year=2022, kommune=None)
    expected = summary_line(contract_for(2022), cells)
    assert at.subheader[0].value == expected
    assert expected.startswith(f"{expected.split()[0]} af 11 mål opfyldt")
    assert sum("Målet samlet:" in m.value for m in at.markdown) == 11


@pytest.mark.parametrize("page", PAGES[:4])
def test_pages_explain_how_to_read_the_figures(
    demo_url: str, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    at = run_app(demo_url, monkeypatch, page, aar="2022")
    [box] = [e for e in at.expander if e.label == "Sådan læses tallene"]
    text = "\n".join(m.value for m in box.markdown)
    for term in ("**n**", "95\u00a0%-interval", "± usikkert", "NPS", "Fremskrevet", "I risiko"):
        assert term in text, term


def test_benchmark_is_not_dated_by_a_contract_year(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, PAGES[4], aar="2023")
    text = page_text(at)
    assert "status pr." not in text
    assert "september 2020" in text and "senest indlæst" in text


def test_goal_page_hides_small_municipalities_and_their_neighbour(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, PAGES[1], aar="2022", maal="3")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    by_kommune = [s for s in specs if s["layout"]["title"]["text"].startswith("Pr. kommune")]
    texts = json.dumps(by_kommune, ensure_ascii=False)
    cells = engine_cells(demo_url, [2022]).filter(
        pl.col("kpi") == "m3_meget_tilfreds",
        pl.col("kommune").is_not_null(),
        pl.col("segment").is_null(),
    )
    hidden = cells.filter("suppressed")
    assert hidden.height >= 2  # never one hidden municipality beside a shown total
    assert "færre end 5 svar" in texts and "skjult af diskretionshensyn" in texts
    assert all(n is None for n in hidden["n"].to_list())
