"""A municipality's view and Mål 6 as people see them (hand-built data, no database)."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboard.views import format as fmt
from dashboard.views.control_group import control_group_lines, latest_figures
from dashboard.views.kpi import funding_share, house_cells, kpi_table, n_label, n_text
from data.periods import Quarter
from data.reference import erhvervshus
from data.store import CONTROL_GROUP_SCHEMA
from metrics.contract import contract_for
from metrics.engine import compute_kpis
from metrics.service import kommuner_of, view
from tests.factories import activity, control, course, inputs

AALBORG = 851


def cells_2022() -> pl.DataFrame:
    rows = [course(f"1000000{i}", date(2022, 2, 1), kommune=AALBORG) for i in range(3)]
    rows.append(course("20000001", date(2022, 3, 1), kommune=825))
    acts = [activity(2022, "m8_nye_midler", "Gennemført", date(2022, 6, 1))]
    return compute_kpis(
        inputs(courses=rows, activities=acts),
        {2022: contract_for(2022)},
        as_of={2022: Quarter(2022, 4)},
        kommuner=kommuner_of(erhvervshus()),
    ).collect()


def test_coverage_is_not_shown_for_one_municipality() -> None:
    cells = cells_2022()
    for shown in (
        house_cells(cells, year=2022, kommune=AALBORG),
        view(cells, year=2022, kommune=AALBORG),
    ):
        assert "m2_kommuner_daekket" not in shown["kpi"].to_list()
        own = shown.filter(pl.col("kommune").is_not_null())
        assert set(own["kommune"].to_list()) == {AALBORG}
        house = shown.filter(pl.col("kommune").is_null())
        assert set(house["kind"].to_list()) == {"checklist", "control_group"}
    assert "m2_kommuner_daekket" in house_cells(cells, year=2022, kommune=None)["kpi"].to_list()


def test_municipality_table_labels_house_figures_and_gives_no_status_without_target() -> None:
    house = erhvervshus()
    cells = view(cells_2022(), year=2022, kommune=AALBORG)
    table = kpi_table(cells, contract_for(2022), house, AALBORG)
    by_kpi = {r["Nøgletal"]: r for r in table.iter_rows(named=True)}
    contract = contract_for(2022)
    share = by_kpi[contract.kpi("m2_andel_vejledte").label]
    assert share["Resultat"] == "75,0\u00a0%"  # 3 of the 4 guided companies
    key = fmt.percent(funding_share(house, AALBORG))
    assert share["Mål for året"] == f"nøglens andel {key}"
    assert share["Status"] == "– (intet mål)"
    checklist = by_kpi[contract.kpi("m8_indsatser").label]
    assert checklist["Opdeling"] == "Alle (hele huset)"
    unique = by_kpi[contract.kpi("m11_unikke_virksomheder").label]
    assert unique["Mål for året"] == "≥ 298"  # 800 × 6.428 / 17.291 = 297,4, rounded up
    assert "✔" not in share["Status"] and "Opfyldt" not in share["Status"]


def test_control_group_with_and_without_figures() -> None:
    kpi = contract_for(2022).kpi("m6_kontrolgruppe")
    empty = pl.DataFrame(schema=CONTROL_GROUP_SCHEMA)
    assert control_group_lines(kpi, latest_figures(empty, 2022), 2022) == [
        "Kontrolgruppetallene fra Erhvervsstyrelsen for 2022 er endnu ikke indtastet "
        "(afventer metode)."
    ]
    entered = pl.DataFrame(
        [control(2022, 12.5, 4.0, -0.8, entered=date(2024, 10, 1)) | {"source": "ES *notat*"}],
        schema=CONTROL_GROUP_SCHEMA,
    )
    lines = control_group_lines(kpi, latest_figures(entered, 2022), 2022)
    text = "\n".join(lines)
    assert "afventer" not in text
    assert (
        "Vækst: ekstra omsætningsvækst (procentpoint): 12,5 (kriterium ≥ 10,0) ✔ opfyldt" in lines
    )
    assert (
        "Drift: produktivitetseffekt (procentpoint): -0,8 (kriterium > 0,0) ✖ ikke opfyldt" in lines
    )
    assert lines[-1] == "Kilde: ES *notat* (indtastet 01-10-2024 af test)"  # as typed
    assert latest_figures(entered, 2022, known_by=date(2024, 9, 30)) is None  # seen as of before
    assert fmt.kpi_value(100 / 3, "kriterier") == "1 af 3 kriterier opfyldt"
    assert fmt.target_text(100.0, "kriterier") == "alle 3 kriterier"


def test_criteria_count_is_short_enough_for_a_headline() -> None:
    assert fmt.criteria_count(200 / 3) == "2 af 3"
    assert fmt.criteria_count(100.0) == "3 af 3"


def test_n_names_what_it_counts_and_is_left_out_where_it_means_nothing() -> None:
    assert n_text("survey_share", 420) == "420 svar"
    assert n_text("weighted_share", 1) == "1 respondent"
    assert n_text("kommune_share", 1290) == "1.290 vejledte virksomheder"
    assert n_text("coverage", 1290) == "" and n_label("coverage") is None
    assert n_text("course_count", 62) == "" and n_text("control_group", 3) == ""
    assert n_label("nps") == "Antal svar (n)"
    house = erhvervshus()
    cells = view(cells_2022(), year=2022, kommune=AALBORG)
    table = kpi_table(cells, contract_for(2022), house, AALBORG)
    share = table.filter(pl.col("Nøgletal") == contract_for(2022).kpi("m2_andel_vejledte").label)
    assert share["n"].to_list() == ["3 vejledte virksomheder"]
