"""AppTest runs of every page with demo data and with an empty database."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.views import format as fmt
from data.db import make_engine
from data.migrate import upgrade
from data.periods import Quarter
from data.reference import erhvervshus
from data.store import latest_comments, load_stored_data
from metrics.contract import contract_for
from metrics.service import kpi_cells, view

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGES = [
    "dashboard/pages/overblik.py",
    "dashboard/pages/maal.py",
    "dashboard/pages/kommuner.py",
    "dashboard/pages/sammenlign.py",
    "dashboard/pages/benchmark.py",
]
ENGLISH = ("Choose an option", "Traceback", "Error", "None", "nan")


@pytest.fixture
def empty_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(make_engine(url))
    return url


def run_app(
    url: str, monkeypatch: pytest.MonkeyPatch, page: str = PAGES[0], **query: str
) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    parts = [
        str(e.value)
        for e in (
            *at.markdown,
            *at.caption,
            *at.title,
            *at.header,
            *at.subheader,
            *at.info,
            *at.warning,
            *at.error,
            *at.text,
        )
    ]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [df.value.to_csv(index=False) for df in at.dataframe]
    return "\n".join(parts)


def engine_cells(url: str, years: list[int], as_of: Quarter | None = None) -> pl.DataFrame:
    stored = load_stored_data(make_engine(url), "nordjylland")
    return kpi_cells(stored, erhvervshus(), years=years, as_of=as_of)


def cell(cells: pl.DataFrame, kpi: str, *, year: int = 2022, **where: object) -> dict[str, object]:
    rows = cells.filter(pl.col("year") == year, pl.col("kpi") == kpi)
    for column in ("kommune", "segment"):
        value = where.get(column)
        rows = rows.filter(pl.col(column).is_null() if value is None else pl.col(column) == value)
    return rows.row(0, named=True)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_demo_data(
    page: str, demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, page, aar="2022", maal="3")
    text = page_text(at)
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a Danish title"
    for word in ENGLISH:
        assert word not in text, f"{word!r} on {page}"
    assert at.sidebar.selectbox[0].label == "År" and at.sidebar.selectbox[0].value == 2022
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        assert spec["layout"]["separators"] == ",."


@pytest.mark.parametrize("page", PAGES)
def test_every_page_asks_for_data_when_the_database_is_empty(
    page: str, empty_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(empty_url, monkeypatch, page)
    assert "Der er endnu ingen data" in page_text(at)
    assert not at.error


def test_overview_lists_every_goal_with_engine_values(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, aar="2022")
    text = page_text(at)
    for goal in contract_for(2022).goals:
        assert goal.title in text
    cells = engine_cells(demo_url, [2020, 2021, 2022])
    nps = cell(cells, "m3_nps")
    assert fmt.kpi_value(nps["value"], "nps") in text  # type: ignore[arg-type]
    unique = cell(cells, "m11_unikke_virksomheder")
    assert fmt.number(unique["value"]) in [m.value for m in at.metric]  # type: ignore[arg-type]
    earlier = cell(cells, "m1_kendskabsgrad", year=2021)
    assert f"2021: {fmt.percent(earlier['value'])} (måling)" in text  # type: ignore[arg-type]
    assert "✔ Opfyldt" in text and "✖ Ikke opfyldt" in text
    assert "Datagrundlag:" in text and "senest indlæst" in text
    assert len(at.get("page_link")) == 11


def test_overview_for_one_kommune_and_quarter(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, aar="2022", pr="2022Q2", kommune="851")
    values = [s.value for s in at.sidebar.selectbox]
    assert values == [2022, 2, 851]
    cells = view(engine_cells(demo_url, [2022], Quarter(2022, 2)), year=2022, kommune=851)
    unique = cell(cells, "m11_unikke_virksomheder", kommune=851)
    assert fmt.number(unique["value"]) in [m.value for m in at.metric]  # type: ignore[arg-type]
    assert "30. juni 2022" in page_text(at) and "Aalborg Kommune" in page_text(at)
    assert at.query_params["pr"] == "2022Q2" and at.query_params["kommune"] == "851"


def test_year_from_query_parameter(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(demo_url, monkeypatch, aar="2021")
    assert at.sidebar.selectbox[0].value == 2021
    assert "Resultatkontrakt 2021" in page_text(at)
    at.sidebar.selectbox[0].set_value(2023).run()
    assert at.query_params["aar"] == "2023"
    assert "Resultatkontrakt 2023" in page_text(at)


def test_goal_page_shows_kpis_method_comment_and_suppression(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, "dashboard/pages/maal.py", aar="2022", maal="3")
    text = page_text(at)
    goal = contract_for(2022).goal(3)
    assert goal.title in text and goal.method in text
    happy = cell(engine_cells(demo_url, [2021, 2022]), "m3_meget_tilfreds")
    results = [m.value for m in at.metric if m.label == "Resultat"]
    assert results[0] == fmt.percent(happy["value"])  # type: ignore[arg-type]
    assert f"{fmt.number(happy['ci_low'], 1)}–{fmt.number(happy['ci_high'], 1)}" in text  # type: ignore[arg-type]
    comment = latest_comments(make_engine(demo_url), "nordjylland", 2022)[3]
    assert comment.text in text
    # Læsø has fewer than 5 answers: the municipal chart says so and never carries the value.
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    kommune_chart = next(s for s in specs if "Pr. kommune" in s["layout"]["title"]["text"])
    assert fmt.SUPPRESSED in json.dumps(kommune_chart, ensure_ascii=False)
    laesoe = cell(engine_cells(demo_url, [2022]), "m3_meget_tilfreds", kommune=825)
    assert laesoe["suppressed"] and laesoe["value"] is None


def test_goal_page_for_volume_and_activities(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(
        demo_url, monkeypatch, "dashboard/pages/maal.py", aar="2022", maal="11", pr="2022Q3"
    )
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any("fremskrevet" in t for t in titles) and any("fagområde" in t for t in titles)
    at = run_app(demo_url, monkeypatch, "dashboard/pages/maal.py", aar="2022", maal="9")
    text = page_text(at)
    assert "Indsatser" in text and "Gennemført" in text
    for activity in contract_for(2022).goal(9).activities:
        assert activity.text in text


def test_kommuner_page_map_fair_share_and_profile(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, "dashboard/pages/kommuner.py", aar="2022", kommune="851")
    text = page_text(at)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    choropleth = [
        t
        for s in specs
        for t in s["data"]
        if t["type"] == "choropleth" and t["name"] != "Valgt kommune"
    ]
    assert sum(len(t["locations"]) for t in choropleth) == 11
    chosen = next(t for s in specs for t in s["data"] if t.get("name") == "Valgt kommune")
    assert chosen["locations"] == [851]  # the chosen municipality is outlined
    names = next(t for s in specs for t in s["data"] if t["type"] == "scattergeo")
    assert "▶ Aalborg" in names["text"] and "Læsø" in names["text"]
    assert "Kommunegrænser: DAGI" in text
    assert "Læsø:" in text and "langt under sin andel" in text  # demo: Læsø far below its key
    nps = cell(engine_cells(demo_url, [2021, 2022]), "m3_nps", kommune=851)
    assert fmt.number(nps["value"], 1) in at.dataframe[1].value["Resultat"].to_list()  # type: ignore[arg-type]


def test_compare_years_is_honest_about_the_2022_checklist(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, "dashboard/pages/sammenlign.py", aar="2022")
    table = at.dataframe[0].value
    assert {"2020", "2021", "2022", "2023"} <= set(table.columns)
    row = table[table["Nøgletal"].str.startswith("Kendskabsgrad")].iloc[0]
    assert "Tjekliste" in row["2022"] and "mål ≥ 45\u00a0%" in row["2021"]
    assert "mål ≥ 50\u00a0%" in row["2023"]


def test_benchmark_names_source_and_year(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_app(demo_url, monkeypatch, "dashboard/pages/benchmark.py", aar="2023")
    specs = json.dumps([json.loads(c.proto.spec) for c in at.get("plotly_chart")])
    assert "Erhvervsstyrelsens kendskabsm" in specs and "Offentliggjort 2020" in specs


def test_an_unexpected_error_is_a_danish_message(
    demo_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import dashboard.ui.cache

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(dashboard.ui.cache, "overview_of", broken)
    at = run_app(demo_url, monkeypatch, aar="2022")
    assert "Beklager – siden kunne ikke vises" in page_text(at)
    assert "boom" not in page_text(at)
    assert any("boom" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_goal_1_in_2022_keeps_the_checklist_out_of_the_survey_trend(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, "dashboard/pages/maal.py", aar="2022", maal="1")
    notes = [c.value for c in at.caption if "anden måde" in c.value]
    assert notes and "2021:" in notes[0] and "(måling)" in notes[0]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    by_year = next(s for s in specs if s["layout"]["title"]["text"].startswith("Pr. år"))
    assert by_year["data"][0]["x"] == [2022]  # a linear axis of whole years
    assert by_year["layout"]["xaxis"]["tickvals"] == [2022]


def test_an_invalid_link_says_what_is_shown_instead(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, aar="1999", pr="2023Q9")
    warnings = [w.value for w in at.warning]
    assert any("år »1999«" in w and "Der vises 2023 i stedet" in w for w in warnings), warnings
    assert any("status pr. »2023Q9«" in w for w in warnings), warnings
    # a quarter of another year, and a quarter that has not ended, are named too
    at = run_app(demo_url, monkeypatch, aar="2023", pr="2022Q2")
    warnings = [w.value for w in at.warning]
    assert any("status pr. »2022Q2«" in w and "Hele året" in w for w in warnings), warnings
    assert "status pr. 31. december 2023" in page_text(at)
    at = run_app(demo_url, monkeypatch, kommune="999")
    warnings = [w.value for w in at.warning]
    assert any("kommune »999«" in w and "Alle kommuner" in w for w in warnings), warnings
    at = run_app(demo_url, monkeypatch, "dashboard/pages/maal.py", aar="2022", maal="99")
    warnings = [w.value for w in at.warning]
    assert any("mål »99«" in w and "Der vises Mål 1" in w for w in warnings), warnings


def test_overview_cards_fold_the_other_kpis_under_their_status_words(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_app(demo_url, monkeypatch, "dashboard/pages/overblik.py", aar="2022")
    labels = [e.label for e in at.expander]
    folded = [label for label in labels if label.startswith("Yderligere")]
    # Mål 11 has two more KPIs; each is named by its status icon and word in the label
    assert any(label.startswith("Yderligere 2 nøgletal (") for label in folded), labels
    words = ("Opfyldt", "Ikke opfyldt", "På vej", "I risiko", "Afventer data")
    assert all(any(w in label for w in words) for label in folded), folded
    assert any(label.endswith("og tidligere år") for label in folded), folded
