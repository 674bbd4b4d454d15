"""Axes, labels and targets of the figures (item 8 of the figure rules), on hand-built rows."""

from __future__ import annotations

import polars as pl

from dashboard import charts
from dashboard.charts.base import label_positions
from data.reference import erhvervshus

SOURCE = "Kilde: test"


def points(years: list[int], values: list[float], target: float = 50.0) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "year": years,
            "label": [str(y) for y in years],
            "value": values,
            "target": [target] * len(years),
            "suppressed": [False] * len(years),
            "status": ["Opfyldt"] * len(years),
            "n": [100] * len(years),
            "ci_low": [None] * len(years),
            "ci_high": [None] * len(years),
            "comparable": [True] * len(years),
            "note": [""] * len(years),
        },
        schema_overrides={"ci_low": pl.Float64, "ci_high": pl.Float64},
    )


def test_years_sit_on_a_linear_axis_with_whole_year_ticks() -> None:
    rows = points([2020, 2021, 2023], [40.0, 45.0, 52.0])
    for fig in (
        charts.trend_chart(rows, title="t", unit="pct", x_title="År", source=SOURCE, by_year=True),
        charts.year_comparison_chart(rows, title="t", unit="pct", source=SOURCE),
    ):
        axis = fig.layout.xaxis
        assert axis.type == "linear"
        assert list(axis.tickvals) == [2020, 2021, 2022, 2023]  # 2022 is a gap, not skipped
        assert list(axis.ticktext) == ["2020", "2021", "2022", "2023"]  # no "2022,5"
        assert list(fig.data[0].x) == [2020, 2021, 2023]


def test_value_labels_keep_to_their_side_of_the_target_line() -> None:
    assert label_positions([40.0, 50.0, 60.0, None], [50.0, 50.0, 50.0, 50.0]) == [
        "bottom center",
        "top center",
        "top center",
        "top center",
    ]
    fig = charts.trend_chart(
        points([2021, 2022], [48.0, 55.0]), title="t", unit="pct", x_title="År", source=SOURCE
    )
    assert list(fig.data[0].textposition) == ["bottom center", "top center"]


def kommune_rows(values: list[float], targets: list[float | None]) -> pl.DataFrame:
    names = ["Aalborg", "Læsø"]
    return pl.DataFrame(
        {
            "label": names,
            "value": values,
            "ci_low": [None, None],
            "ci_high": [None, None],
            "n": [None, None],
            "status": ["Opfyldt", "I risiko"],
            "suppressed": [False, False],
            "target": targets,
        },
        schema_overrides={"ci_low": pl.Float64, "ci_high": pl.Float64, "n": pl.Int64},
    )


def test_municipality_bars_are_all_labelled_and_set_against_their_targets() -> None:
    # Aalborg 337 companies, Læsø 3: Læsø's bar is too short to hold its label inside.
    rows = kommune_rows([337.0, 3.0], [298.0, 3.0])
    fig = charts.breakdown_chart(
        rows, title="k", unit="antal", target=None, source=SOURCE, row_targets=True
    )
    bars, marks = fig.data[0], fig.data[1]
    assert list(bars.text) == ["337", "3"] and bars.textposition == "outside"
    assert list(marks.x) == [298.0, 3.0] and marks.marker.symbol == "line-ns-open"
    assert fig.layout.xaxis.range[1] > 337  # room for the label right of the longest bar
    share = charts.breakdown_chart(
        kommune_rows([82.0, 60.0], [None, None]), title="k", unit="pct", target=80.0, source=SOURCE
    )
    assert [s.x0 for s in share.layout.shapes] == [80.0]  # the share's target as a line


def test_theme_chart_has_the_most_courses_on_top() -> None:
    themes = pl.DataFrame(
        {
            "fagomraade": ["Innovation", "Finansiering", "Digitalisering og automatisering"],
            "forloeb": [10, 40, 25],
            "virksomheder": [9, 30, 20],
            "andel": [13.3, 53.3, 33.3],
        }
    )
    fig = charts.theme_chart(themes, title="Forløb pr. fagområde 2022", source=SOURCE)
    assert list(fig.data[0].y) == ["Finansiering", "Digitalisering og automatisering", "Innovation"]
    assert fig.layout.yaxis.autorange == "reversed"  # first row at the top


def test_map_names_every_municipality_and_marks_the_chosen_one() -> None:
    house = erhvervshus()
    values = pl.DataFrame(
        {
            "kommune": [k.kode for k in house.kommuner],
            "navn": [k.navn for k in house.kommuner],
            "value": [float(i) for i in range(len(house.kommuner))],
            "suppressed": [False] * len(house.kommuner),
            "n": [None] * len(house.kommuner),
        },
        schema_overrides={"kommune": pl.Int32, "n": pl.Int64},
    )
    fig = charts.kommune_map(
        values, title="Kort", measure="Vejledte", unit="antal", source=SOURCE, chosen=825
    )
    names = next(t for t in fig.data if t.type == "scattergeo")
    assert sorted(names.text) == sorted(
        ("▶ " if k.kode == 825 else "") + k.navn for k in house.kommuner
    )
    chosen = next(t for t in fig.data if t.name == "Valgt kommune")
    assert list(chosen.locations) == [825] and chosen.marker.line.width == 2
    # Læsø's label sits on the island, east of the mainland's labels
    lon = dict(zip(names.text, names.lon, strict=True))
    assert lon["▶ Læsø"] > max(v for k, v in lon.items() if k != "▶ Læsø")


def test_nps_legend_promises_no_interval() -> None:
    cells = pl.DataFrame(
        {
            "label": ["Alle", "Drift"],
            "value": [75.6, 79.3],
            "ci_low": [None, None],
            "ci_high": [None, None],
            "n": [422, 200],
            "status": ["Opfyldt", "Opfyldt"],
            "suppressed": [False, False],
        },
        schema_overrides={"ci_low": pl.Float64, "ci_high": pl.Float64},
    )
    fig = charts.interval_chart(cells, title="NPS", unit="nps", target=70.0, source=SOURCE)
    assert fig.data[0].name == "Resultat" and "interval" not in fig.to_json()


def test_points_over_time_carry_their_status_icon() -> None:
    rows = points([2021, 2022], [48.0, 55.0]).with_columns(
        pl.Series("status", ["Ikke opfyldt", "Opfyldt"])
    )
    fig = charts.trend_chart(rows, title="t", unit="pct", x_title="År", source=SOURCE, by_year=True)
    assert list(fig.data[0].text) == ["48,0\u00a0% ✖", "55,0\u00a0% ✔"]


def test_a_checklist_is_drawn_as_one_column_per_period_not_a_line() -> None:
    """0 of 1 activity done until the last quarter: four columns (0, 0, 0, 100 %), each with
    its value, no line that rises between dates where nothing happened."""
    quarters = points([1, 2, 3, 4], [0.0, 0.0, 0.0, 100.0], target=100.0).with_columns(
        label=pl.Series([f"{q}. kvt." for q in (1, 2, 3, 4)])
    )
    fig = charts.trend_chart(
        quarters, title="t", unit="pct", x_title="Kvartal", source=SOURCE, bars=True
    )
    result, target = fig.data[0], fig.data[-1]
    assert result.type == "bar" and list(result.y) == [0.0, 0.0, 0.0, 100.0]
    assert [t.split()[0] for t in result.text] == ["0,0", "0,0", "0,0", "100,0"]
    assert target.type == "scatter" and target.name == "Mål"
    assert not any(t.type == "scatter" and t.name == "Resultat" for t in fig.data)


def test_a_grey_municipality_is_explained_on_the_map() -> None:
    house = erhvervshus()
    hidden = {825: (None, True), 773: (None, False)}  # Læsø too few answers, Morsø no data
    values = pl.DataFrame(
        {
            "kommune": [k.kode for k in house.kommuner],
            "navn": [k.navn for k in house.kommuner],
            "value": [hidden.get(k.kode, (80.0, False))[0] for k in house.kommuner],
            "suppressed": [hidden.get(k.kode, (80.0, False))[1] for k in house.kommuner],
            "n": [None] * len(house.kommuner),
        },
        schema_overrides={"kommune": pl.Int32, "n": pl.Int64, "value": pl.Float64},
    )
    fig = charts.kommune_map(values, title="Kort", measure="Tilfredse", unit="pct", source=SOURCE)
    [note] = [a.text for a in fig.layout.annotations if a.text.startswith("Grå: ")]
    assert "Læsø (færre end 5 svar)" in note and "Morsø (ingen data)" in note
    full = values.with_columns(value=pl.lit(80.0), suppressed=pl.lit(False))
    fig = charts.kommune_map(full, title="Kort", measure="Tilfredse", unit="pct", source=SOURCE)
    assert not [a for a in fig.layout.annotations if a.text.startswith("Grå")]


def test_a_municipality_without_answers_says_ingen_data() -> None:
    rows = kommune_rows([46.5, 50.0], [None, None]).with_columns(
        value=pl.Series([46.5, None], dtype=pl.Float64), status=pl.Series(["Opfyldt", None])
    )
    fig = charts.breakdown_chart(rows, title="k", unit="pct", target=47.0, source=SOURCE)
    notes = [(a.y, a.text) for a in fig.layout.annotations if a.y in ("Aalborg", "Læsø")]
    assert notes == [("Læsø", "ingen data")]
