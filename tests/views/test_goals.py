"""A goal's status as a whole and the overview's summary line, on hand-built cells."""

from __future__ import annotations

import polars as pl

from dashboard.views.goals import goal_status, summary_line
from metrics.contract import contract_for
from metrics.status import KpiStatus

CONTRACT = contract_for(2022)


def cells(statuses: dict[str, str | None]) -> pl.DataFrame:
    """One headline cell per KPI id with the given status (None: no target)."""
    return pl.DataFrame(
        {
            "kpi": list(statuses),
            "segment": [None] * len(statuses),
            "target": [None if s is None else 1.0 for s in statuses.values()],
            "status": [s or "Opfyldt" for s in statuses.values()],
        },
        schema_overrides={"segment": pl.String},
    )


def test_a_goal_is_as_serious_as_its_most_serious_kpi() -> None:
    goal = CONTRACT.goal(1)
    main, other = (k.id for k in goal.kpis[:2])
    assert goal_status(goal, cells({main: "Opfyldt", other: "Ikke opfyldt"})) == "Ikke opfyldt"
    assert goal_status(goal, cells({main: "Opfyldt", other: "På vej"})) == KpiStatus.PAA_VEJ
    assert goal_status(goal, cells({main: "På vej", other: "Afventer data"})) == "Afventer data"
    assert goal_status(goal, cells({main: "Opfyldt", other: "Opfyldt"})) == "Opfyldt"


def test_a_kpi_without_target_does_not_count_and_no_kpi_means_no_status() -> None:
    goal = CONTRACT.goal(2)
    ids = [k.id for k in goal.kpis]
    assert goal_status(goal, cells({ids[0]: "Opfyldt", ids[1]: None})) == "Opfyldt"
    assert goal_status(goal, cells({})) is None


def test_summary_line_counts_goals() -> None:
    statuses: dict[str, str | None] = {}
    wanted = ["Opfyldt"] * 8 + ["På vej"] * 2 + ["I risiko"]
    for goal, status in zip(CONTRACT.goals, wanted, strict=True):
        for kpi in goal.kpis:
            statuses[kpi.id] = status
    assert summary_line(CONTRACT, cells(statuses)) == "8 af 11 mål opfyldt · 2 på vej · 1 i risiko"


def test_summary_line_names_missed_and_waiting_goals() -> None:
    statuses: dict[str, str | None] = {}
    wanted = ["Opfyldt"] * 3 + ["Ikke opfyldt"] * 6 + ["Afventer data"] * 2
    for goal, status in zip(CONTRACT.goals, wanted, strict=True):
        for kpi in goal.kpis:
            statuses[kpi.id] = status
    line = summary_line(CONTRACT, cells(statuses))
    assert line == "3 af 11 mål opfyldt · 6 ikke opfyldt · 2 afventer data"
