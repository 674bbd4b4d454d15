"""'± usikkert', the explanations and the words of a hidden cell."""

from __future__ import annotations

from typing import Any

from dashboard.views import format as fmt
from dashboard.views.explain import (
    HOW_TO_READ_TITLE,
    discretion_text,
    how_to_read,
    status_with_uncertainty,
    uncertain,
)
from dashboard.views.kpi import status_cell_text
from metrics.status import STATUS_ICONS, KpiStatus


def share(value: float, low: float | None, status: str = "Opfyldt", **more: Any) -> dict[str, Any]:
    return {
        "value": value,
        "ci_low": low,
        "target": 80.0,
        "status": status,
        "suppressed": False,
    } | more


def test_a_share_meeting_its_target_with_an_interval_below_it_is_uncertain() -> None:
    # 81,8 % of 110 answers: the Wilson interval 73,5–88,0 reaches below 80 %.
    assert uncertain(share(81.8, 73.5))
    assert status_with_uncertainty(share(81.8, 73.5)) == "✔ Opfyldt (± usikkert)"
    assert status_cell_text(share(81.8, 73.5)) == "✔ Opfyldt (± usikkert)"


def test_a_clear_result_a_missed_target_and_a_census_are_not_marked() -> None:
    assert not uncertain(share(90.0, 84.0))  # the whole interval meets 80 %
    assert not uncertain(share(70.0, 61.0, "Ikke opfyldt"))  # missed: no claim to doubt
    assert not uncertain(share(81.8, None))  # a census (CRM, checklist): no interval
    assert not uncertain(share(81.8, 73.5, suppressed=True))
    assert uncertain(share(81.8, 73.5, "På vej"))
    assert status_with_uncertainty(share(90.0, 84.0)) == "✔ Opfyldt"


def test_every_status_has_its_own_icon_and_an_explanation() -> None:
    icons = [STATUS_ICONS[s] for s in KpiStatus]
    assert len(set(icons)) == len(icons)
    terms = [term for term, _ in how_to_read()]
    for status in KpiStatus:
        assert f"{STATUS_ICONS[status]} {status}" in terms
    assert {"n", fmt.INTERVAL, "± usikkert", "NPS (Net Promoter Score)", "Fremskrevet"} <= set(
        terms
    )
    assert HOW_TO_READ_TITLE == "Sådan læses tallene"


def test_hidden_cells_name_what_they_had_too_few_of() -> None:
    assert fmt.hidden_text("survey_share") == "færre end 5 svar"
    assert fmt.hidden_text("nps") == "færre end 5 svar"
    assert fmt.hidden_text("weighted_share") == "færre end 5 respondenter"
    assert fmt.hidden_text("new_share") == "færre end 5 vejledte virksomheder"
    assert fmt.hidden_text("survey_share", secondary=True) == "skjult af diskretionshensyn"
    cell = {"value": None, "suppressed": True, "secondary": True, "kind": "survey_share"}
    assert fmt.cell_value(cell, "pct") == "skjult af diskretionshensyn"
    assert "skjult af diskretionshensyn" in discretion_text(5) and "færre end 5" in discretion_text(
        5
    )


def test_a_percent_never_breaks_before_its_sign() -> None:
    assert fmt.percent(42.1) == "42,1\u00a0%"
    assert fmt.kpi_value(42.1, "pct") == "42,1\u00a0%"
    assert fmt.target_text(80.0, "pct") == "≥ 80\u00a0%"
    assert fmt.INTERVAL == "95\u00a0%-interval"
    assert " %" not in fmt.percent(1234.5)
