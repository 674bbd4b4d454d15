"""A goal's status as a whole, and the overview's summary line. No Streamlit here.

A goal is met only when every KPI of it that has a target is met: its status is the most
serious status among them, in the order Ikke opfyldt, I risiko, Afventer data, På vej,
Opfyldt. So a goal whose main KPI says ✔ while another says ✖ is ✖ as a whole, and a goal
that still waits for a figure (Mål 6's control group) is not called met.
"""

from __future__ import annotations

from collections import Counter

import polars as pl

from metrics.contract import Contract, Goal
from metrics.status import STATUS_ICONS, KpiStatus

SEVERITY = (
    KpiStatus.IKKE_OPFYLDT,
    KpiStatus.I_RISIKO,
    KpiStatus.AFVENTER,
    KpiStatus.PAA_VEJ,
    KpiStatus.OPFYLDT,
)
# how each status is counted in the summary line, e.g. "2 på vej"
SUMMARY_WORDS = {
    KpiStatus.PAA_VEJ: "på vej",
    KpiStatus.I_RISIKO: "i risiko",
    KpiStatus.IKKE_OPFYLDT: "ikke opfyldt",
    KpiStatus.AFVENTER: "afventer data",
}


def goal_status(goal: Goal, cells: pl.DataFrame) -> KpiStatus | None:
    """The goal's status from its KPIs' headline cells (all segments) that have a target in
    this view; None when none has (nothing to judge)."""
    ids = [k.id for k in goal.kpis]
    rows = cells.filter(
        pl.col("kpi").is_in(ids), pl.col("segment").is_null(), pl.col("target").is_not_null()
    )
    statuses = {KpiStatus(s) for s in rows["status"].to_list()}
    return next((s for s in SEVERITY if s in statuses), None)


def goal_status_text(status: KpiStatus | None) -> str:
    return "–" if status is None else f"{STATUS_ICONS[status]} {status}"


def summary_line(contract: Contract, cells: pl.DataFrame) -> str:
    """'8 af 11 mål opfyldt · 2 på vej · 1 i risiko' (the other statuses only when present)."""
    statuses = [goal_status(g, cells) for g in contract.goals]
    judged = [s for s in statuses if s is not None]
    count = Counter(judged)
    parts = [f"{count[KpiStatus.OPFYLDT]} af {len(judged)} mål opfyldt"]
    for status in (KpiStatus.PAA_VEJ, KpiStatus.I_RISIKO, KpiStatus.IKKE_OPFYLDT):
        if count[status]:
            parts.append(f"{count[status]} {SUMMARY_WORDS[status]}")
    if count[KpiStatus.AFVENTER]:
        parts.append(f"{count[KpiStatus.AFVENTER]} {SUMMARY_WORDS[KpiStatus.AFVENTER]}")
    return " · ".join(parts)
