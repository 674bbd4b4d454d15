"""Every KPI on small hand-built data with hand-computed answers (targets from the 2022 file)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from data.periods import Quarter
from data.reference import erhvervshus
from metrics.contract import contract_for
from metrics.engine import KpiInputs, collect_kpis, compute_kpis
from metrics.service import kommuner_of
from tests.factories import activity, answer, control, course, inputs, respondent
from tests.metrics.test_contract import KPI_IDS

CVR = [f"1000000{i}" for i in range(10)]  # validity is the upload's concern, not the engine's


def run(inp: KpiInputs, year: int = 2022, as_of: Quarter | None = None) -> pl.DataFrame:
    """The cells as the dashboard gets them (collect_kpis), which must be the lazy query's."""
    args = (inp, {year: contract_for(year)})
    kwargs: dict[str, Any] = dict(
        as_of={year: as_of or Quarter(year, 4)},
        kommuner=kommuner_of(erhvervshus()),
        explicit_as_of=as_of is not None,
    )
    cells = collect_kpis(*args, **kwargs)
    assert_frame_equal(cells, compute_kpis(*args, **kwargs).collect())
    return cells


def cell(
    df: pl.DataFrame, kpi: str, kommune: int | None = None, segment: str | None = None
) -> dict[str, Any]:
    rows = df.filter(
        (pl.col("kpi") == kpi)
        & (pl.col("kommune").is_null() if kommune is None else pl.col("kommune") == kommune)
        & (pl.col("segment").is_null() if segment is None else pl.col("segment") == segment)
    )
    assert rows.height == 1, f"{kpi}/{kommune}/{segment}: {rows.height} rows"
    return rows.row(0, named=True)


# --- Mål 3: "Meget tilfreds" per segment, "Ved ikke" and blanks left out -------------------


def satisfaction_answers() -> list[dict[str, Any]]:
    drift = ["Meget tilfreds"] * 4 + ["Tilfreds", "Ved ikke", "Ved ikke", None]
    vaekst = ["Meget tilfreds"] + ["Utilfreds"] * 4
    return [answer(segment="Drift", tilfredshed=t) for t in drift] + [
        answer(segment="Vækst", tilfredshed=t, kommune=825) for t in vaekst
    ]


def test_share_leaves_out_ved_ikke_and_blanks_per_segment() -> None:
    df = run(inputs(answers=satisfaction_answers()))
    drift = cell(df, "m3_meget_tilfreds", segment="drift")
    assert (drift["n"], drift["value"], drift["target"]) == (5, 80.0, 80.0)
    assert drift["ci_low"] == pytest.approx(37.55, abs=0.01)
    assert drift["ci_high"] == pytest.approx(96.38, abs=0.01)
    assert drift["status"] == "Opfyldt"  # 80,0 % meets ≥ 80 %
    vaekst = cell(df, "m3_meget_tilfreds", segment="vækst")
    assert (vaekst["n"], vaekst["value"], vaekst["status"]) == (5, 20.0, "Ikke opfyldt")
    total = cell(df, "m3_meget_tilfreds")
    assert (total["n"], total["value"]) == (10, 50.0)
    assert total["ci_low"] == pytest.approx(23.66, abs=0.01)


def test_fewer_than_five_answers_is_suppressed() -> None:
    df = run(inputs(answers=satisfaction_answers()[:3]))  # 3 drift answers
    drift = cell(df, "m3_meget_tilfreds", segment="drift")
    assert drift["n"] is None  # n is hidden with the value: "n = 3" would tell too much
    assert drift["value"] is None and drift["ci_low"] is None and drift["ci_high"] is None
    assert drift["suppressed"] is True
    assert drift["status"] == "Afventer data"


def test_segment_without_answers_awaits_data() -> None:
    df = run(inputs(answers=satisfaction_answers()[:8]))  # only drift
    vaekst = cell(df, "m3_meget_tilfreds", segment="vækst")
    assert vaekst["value"] is None and vaekst["n"] is None and not vaekst["suppressed"]
    assert vaekst["status"] == "Afventer data"


def test_municipality_cells_use_that_municipality_only() -> None:
    df = run(inputs(answers=satisfaction_answers()))
    laesoe = cell(df, "m3_meget_tilfreds", kommune=825, segment="vækst")
    assert (laesoe["n"], laesoe["value"]) == (5, 20.0)
    assert cell(df, "m3_meget_tilfreds", kommune=851, segment="vækst")["n"] is None


# --- Mål 3: NPS --------------------------------------------------------------------------------


def test_nps_is_promoters_minus_detractors() -> None:
    scores = [10, 9, 9, 8, 7, 6, 0, None]
    df = run(inputs(answers=[answer(anbefaling=s) for s in scores]))
    nps = cell(df, "m3_nps")
    assert nps["n"] == 7  # the blank is left out
    assert nps["value"] == pytest.approx(100 * (3 - 2) / 7)
    assert nps["ci_low"] is None and nps["target"] == 70.0
    assert nps["status"] == "Ikke opfyldt"
    assert cell(df, "m3_nps", segment="drift")["n"] == 7


# --- Mål 4, 6, 7 ------------------------------------------------------------------------------


def test_referral_use_among_those_referred() -> None:
    rows = [answer(modtaget=True, benyttet=b) for b in (True, True, True, False, False, None)]
    rows += [answer(modtaget=False) for _ in range(4)]
    c = cell(run(inputs(answers=rows)), "m4_henvisning_benyttet")
    assert (c["n"], c["value"], c["target"], c["status"]) == (5, 60.0, 47.0, "Opfyldt")


def test_expected_effect_high() -> None:
    effects = ["I høj grad"] * 7 + ["I nogen grad"] * 2 + ["Ved ikke"] * 3 + [None]
    c = cell(run(inputs(answers=[answer(effekt=e) for e in effects])), "m6_forventet_effekt")
    assert c["n"] == 9 and c["value"] == pytest.approx(700 / 9)
    assert c["ci_low"] == pytest.approx(45.3, abs=0.05) and c["ci_high"] == pytest.approx(
        93.7, abs=0.05
    )
    assert c["status"] == "Opfyldt"


def test_digital_effect_counts_only_digitalisation_answers() -> None:
    rows = [answer(effekt="I høj grad", digital=True) for _ in range(3)]
    rows += [answer(effekt="I lav grad", digital=True) for _ in range(2)]
    rows += [answer(effekt="I høj grad", digital=False) for _ in range(10)]
    c = cell(run(inputs(answers=rows)), "m7_digital_effekt")
    assert (c["n"], c["value"], c["target"], c["status"]) == (5, 60.0, 70.0, "Ikke opfyldt")


# --- Mål 1 and 5: weighted shares from the awareness survey ------------------------------------


def test_weighted_awareness_uses_weights_and_one_when_blank() -> None:
    rows = [
        respondent(2021, True, True, weight=2.0),
        respondent(2021, True, False, weight=1.0),
        respondent(2021, False, weight=1.0),
        respondent(2021, False, weight=1.0),
        respondent(2021, False),  # no weight: weighs 1
        respondent(2021, True, True),
    ]
    df = run(inputs(respondents=rows), year=2021)
    c = cell(df, "m1_kendskabsgrad")
    assert c["n"] == 6 and c["value"] == pytest.approx(100 * 4 / 7)
    assert c["target"] == 45.0 and c["status"] == "Opfyldt"
    # Kish: (Σw)²/Σw² = 49/9 ≈ 5,44 → a wider interval than n = 6 would give.
    assert c["ci_high"] - c["ci_low"] > 0
    green = cell(df, "m5_groen_kendskab")
    assert green["n"] is None and green["suppressed"] and green["value"] is None


def test_green_awareness_only_among_those_who_know_the_house() -> None:
    rows = [respondent(2023, True, g) for g in (True, True, True, False, False)]
    rows += [respondent(2023, False) for _ in range(20)]
    c = cell(run(inputs(respondents=rows), year=2023), "m5_groen_kendskab")
    assert (c["n"], c["value"], c["target"], c["status"]) == (5, 60.0, 74.0, "Ikke opfyldt")


def test_awareness_measured_after_as_of_is_not_known_yet() -> None:
    rows = [respondent(2021, True, measured=date(2021, 12, 31)) for _ in range(6)]
    assert (
        cell(run(inputs(respondents=rows), 2021, Quarter(2021, 3)), "m1_kendskabsgrad")["value"]
        is None
    )
    assert (
        cell(run(inputs(respondents=rows), 2021, Quarter(2021, 4)), "m1_kendskabsgrad")["value"]
        == 100.0
    )


# --- Mål 1: new companies ------------------------------------------------------------------------


def test_new_companies_compared_with_previous_year() -> None:
    y2021 = [course(c, date(2021, 3, 1)) for c in CVR[:5]]
    y2022 = [course(c, date(2022, 4, 1)) for c in (CVR[1], CVR[2], CVR[5], CVR[6], CVR[7], CVR[7])]
    c = cell(run(inputs(courses=y2021 + y2022)), "m1_nye_virksomheder")
    assert (c["n"], c["value"], c["target"], c["status"]) == (5, 60.0, 50.0, "Opfyldt")


def test_year_without_previous_year_has_no_new_share() -> None:
    y2021 = [course(c, date(2021, 3, 1)) for c in CVR[:6]]
    c = cell(run(inputs(courses=y2021), year=2021), "m1_nye_virksomheder")
    assert c["n"] == 6 and c["value"] is None and c["status"] == "Afventer data"
    assert c["ci_low"] is None and c["ci_high"] is None  # not NaN: the JSON must stay valid


# --- Mål 2: coverage and each municipality's share ------------------------------------------------


def test_coverage_and_municipal_share() -> None:
    rows = [course(c, date(2022, 2, 1), kommune=851) for c in CVR[:3]]
    rows += [
        course(CVR[3], date(2022, 2, 1), kommune=825),
        course(CVR[0], date(2022, 9, 1), kommune=851),
    ]
    df = run(inputs(courses=rows))
    cov = cell(df, "m2_kommuner_daekket")
    assert (cov["value"], cov["target"], cov["status"]) == (2.0, 11.0, "Ikke opfyldt")
    assert cell(df, "m2_kommuner_daekket", kommune=851)["target"] == 1.0
    assert cell(df, "m2_kommuner_daekket", kommune=851)["status"] == "Opfyldt"
    assert cell(df, "m2_kommuner_daekket", kommune=773)["value"] == 0.0
    aalborg = cell(df, "m2_andel_vejledte", kommune=851)
    assert (aalborg["value"], aalborg["n"], aalborg["target"], aalborg["status"]) == (
        75.0,
        3,
        None,
        "Opfyldt",
    )
    assert cell(df, "m2_andel_vejledte", kommune=825)["value"] == 25.0
    morsoe = cell(df, "m2_andel_vejledte", kommune=773)
    assert (morsoe["value"], morsoe["status"]) == (0.0, "Ikke opfyldt")


# --- Mål 11: counts and projection ------------------------------------------------------------------


def test_counts_of_companies_and_courses() -> None:
    rows = [
        course(CVR[0], date(2022, 1, 5), kategori="Vækstforløb"),
        course(CVR[0], date(2022, 6, 5), kategori="Kort forløb"),
        course(CVR[1], date(2022, 7, 5), kategori="Vækstforløb"),
        course(CVR[2], date(2022, 11, 5), kategori="Driftsforløb"),
        course(CVR[2], date(2022, 12, 5), kategori="Early Warning"),
    ]
    df = run(inputs(courses=rows))
    unique = cell(df, "m11_unikke_virksomheder")
    assert (unique["value"], unique["n"], unique["target"], unique["status"]) == (
        3.0,
        5,
        800.0,
        "Ikke opfyldt",
    )
    assert cell(df, "m11_vaekst_drift_forloeb")["value"] == 3.0
    assert cell(df, "m11_korte_ew_forloeb")["value"] == 2.0
    # A municipality's count target is its share of the funding key, 800 × 6.428 / 17.291 =
    # 297,4, in whole companies rounded up: 298.
    assert cell(df, "m11_unikke_virksomheder", kommune=851)["target"] == 298.0


def test_linear_projection_without_earlier_years() -> None:
    rows = [course(f"2{i:07d}", date(2022, 2 + (i % 4), 1)) for i in range(200)]  # Q1 and Q2
    c = cell(run(inputs(courses=rows), as_of=Quarter(2022, 2)), "m11_korte_ew_forloeb")
    assert c["value"] == 200.0 and c["projected"] == 400.0
    assert c["status"] == "I risiko"  # 400 < 600
    v = cell(run(inputs(courses=rows), as_of=Quarter(2022, 2)), "m11_unikke_virksomheder")
    assert (v["projected"], v["status"]) == (400.0, "I risiko")


def test_projection_uses_profile_of_earlier_years() -> None:
    # 2021 (complete): Q1 1, Q2 0, Q3 1, Q4 2 → by end of Q2 a quarter of the year was reached.
    y2021 = [
        course(CVR[i], d)
        for i, d in enumerate(
            [date(2021, 2, 1), date(2021, 8, 1), date(2021, 11, 1), date(2021, 12, 1)]
        )
    ]
    y2022 = [course(f"3{i:07d}", date(2022, 5, 1)) for i in range(160)]
    c = cell(run(inputs(courses=y2021 + y2022), as_of=Quarter(2022, 2)), "m11_korte_ew_forloeb")
    assert c["value"] == 160.0 and c["projected"] == 640.0  # 160 / 0,25
    assert c["status"] == "På vej"


def test_count_met_early_is_met() -> None:
    rows = [course(f"4{i:07d}", date(2022, 1, 10), kategori="Kort forløb") for i in range(600)]
    c = cell(run(inputs(courses=rows), as_of=Quarter(2022, 1)), "m11_korte_ew_forloeb")
    assert (c["value"], c["status"]) == (600.0, "Opfyldt")


def test_share_mid_year_is_on_track_not_met() -> None:
    rows = [answer(on=date(2022, 2, 1), tilfredshed="Meget tilfreds") for _ in range(5)]
    c = cell(
        run(inputs(answers=rows), as_of=Quarter(2022, 1)), "m3_meget_tilfreds", segment="drift"
    )
    assert (c["value"], c["status"]) == (100.0, "På vej")
    c = cell(
        run(
            inputs(answers=rows[:4] + [answer(on=date(2022, 2, 1), tilfredshed="Tilfreds")] * 2),
            as_of=Quarter(2022, 1),
        ),
        "m3_meget_tilfreds",
        segment="drift",
    )
    assert (round(c["value"], 1), c["status"]) == (66.7, "I risiko")


def test_as_of_excludes_later_rows() -> None:
    rows = [answer(on=date(2022, 2, 1), anbefaling=10) for _ in range(5)]
    rows += [answer(on=date(2022, 8, 1), anbefaling=0) for _ in range(5)]
    assert cell(run(inputs(answers=rows), as_of=Quarter(2022, 1)), "m3_nps")["value"] == 100.0
    assert cell(run(inputs(answers=rows)), "m3_nps")["value"] == 0.0


# --- Checklists (Mål 1 2022, 5, 8, 9, 10) -----------------------------------------------------------


M8 = ("m8_nye_midler", "m8_statslige_prioriteringer", "m8_videngrundlag")


def m8_history() -> list[dict[str, Any]]:
    return [
        activity(2022, M8[0], "Gennemført", date(2022, 6, 1)),
        activity(2022, M8[1], "I gang", date(2022, 3, 1)),
        activity(2022, M8[1], "Gennemført", date(2023, 1, 15)),  # after the year: does not count
        activity(2022, M8[2], "I gang", date(2022, 2, 1)),
    ]


def test_checklist_percent_done_at_year_end() -> None:
    c = cell(run(inputs(activities=m8_history())), "m8_indsatser")
    assert (c["n"], round(c["value"], 1), c["target"], c["status"]) == (
        3,
        33.3,
        100.0,
        "Ikke opfyldt",
    )


def test_checklist_mid_year() -> None:
    q2 = cell(run(inputs(activities=m8_history()), as_of=Quarter(2022, 2)), "m8_indsatser")
    assert (round(q2["value"], 1), q2["status"]) == (33.3, "På vej")  # the rest is under way
    q1 = cell(run(inputs(activities=m8_history()), as_of=Quarter(2022, 1)), "m8_indsatser")
    assert (q1["value"], q1["status"]) == (0.0, "I risiko")  # one activity not started


def test_checklist_all_done_is_met_at_once_and_none_reported_awaits() -> None:
    done = [activity(2022, a, "Gennemført", date(2022, 3, 1)) for a in M8]
    assert (
        cell(run(inputs(activities=done), as_of=Quarter(2022, 1)), "m8_indsatser")["status"]
        == "Opfyldt"
    )
    assert cell(run(inputs()), "m8_indsatser")["status"] == "Afventer data"
    campaign = [activity(2022, "m1_kampagne", "Gennemført", date(2022, 10, 1), goal=1)]
    assert cell(run(inputs(activities=campaign)), "m1_kendskabsgrad")["value"] == 100.0


# --- Mål 6: control group ------------------------------------------------------------------------------


def test_control_group_share_of_criteria_met() -> None:
    df = run(inputs(controls=[control(2021, 11.0, 4.0, 2.0)]), year=2021)
    c = cell(df, "m6_kontrolgruppe")
    assert (round(c["value"], 1), c["n"], c["status"]) == (66.7, 3, "Ikke opfyldt")
    # At the end of 2021 the figures (entered in 2024) were not known yet.
    early = cell(
        run(inputs(controls=[control(2021, 11.0, 6.0, 2.0)]), 2021, Quarter(2021, 4)),
        "m6_kontrolgruppe",
    )
    assert early["value"] is None and early["status"] == "Afventer data"
    assert (
        cell(run(inputs(controls=[control(2021, 11.0, 6.0, 2.0)]), 2021), "m6_kontrolgruppe")[
            "status"
        ]
        == "Opfyldt"
    )


# --- No data at all ---------------------------------------------------------------------------------------


def test_no_data_everything_awaits_data() -> None:
    df = run(inputs())
    assert set(df["status"].to_list()) == {"Afventer data"}
    assert df["value"].null_count() == df.height
    assert set(df["kpi"].unique().to_list()) == set(KPI_IDS)
