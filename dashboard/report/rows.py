"""The report's tables as typed rows: the KPI table (the cells of ``erhvervshus kpi --json``),
the municipal KPI tables, the activity checklists and the data sources. Numbers stay numbers
here (documents and spreadsheets format them); a suppressed cell has no value, only the note
'færre end 5 svar'."""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboard.report.data import DIRECTOR, UPLOADER, ReportData
from dashboard.views import format as fmt
from dashboard.views.kpi import funding_share
from expectations.schema import KIND_LABELS, Kind
from metrics.contract import KpiKind
from metrics.kinds import Unit
from metrics.service import json_records, view

SEGMENTS = {None: "Alle", "drift": "Drift", "vækst": "Vækst"}
UNITS: dict[str, str] = {
    Unit.PCT: "procent",
    Unit.NPS: "NPS",
    Unit.ANTAL: "antal",
    Unit.KOMMUNER: "kommuner",
    Unit.KRITERIER: "procent af kriterierne",
}
NOT_STARTED = "Ikke startet"


def kpi_rows(data: ReportData, kommune: int | None = None) -> list[dict[str, Any]]:
    """One row per KPI cell of the year: the house view (as ``kpi --json``) or one
    municipality's own cells. Values and bounds rounded to one decimal, as shown."""
    cells = view(data.all_cells, year=data.year, kommune=kommune)
    if kommune is not None:
        cells = cells.filter(pl.col("kommune") == kommune)
    labels = {k.id: k for k in data.contract.kpis}
    extra = cells.select("suppressed", "secondary", "kind", "unit").to_dicts()
    rows = []
    for rec, more in zip(json_records(cells), extra, strict=True):
        kpi = labels[rec["kpi"]]
        note = ""
        if more["suppressed"]:
            note = fmt.hidden_text(more["kind"], secondary=more["secondary"])
        elif rec["value"] is None:
            note = fmt.NO_DATA
        rows.append(
            {
                "goal": rec["goal"],
                "kpi": rec["kpi"],
                "label": kpi.label,
                "segment": SEGMENTS.get(rec["segment"], rec["segment"]),
                "kommune": rec["kommune"],
                "kommune_navn": (
                    data.house.kommune(rec["kommune"]).navn if rec["kommune"] is not None else ""
                ),
                "value": None if more["suppressed"] else rec["value"],
                "unit": more["unit"],
                "n": rec["n"],
                "ci_low": None if more["suppressed"] else rec["ci_low"],
                "ci_high": None if more["suppressed"] else rec["ci_high"],
                "target": rec["target"],
                # No status without a target (a municipality's share of the guided companies).
                "status": rec["status"] if rec["target"] is not None else None,
                "key_share": (
                    round(funding_share(data.house, rec["kommune"]), 1)
                    if kpi.kind is KpiKind.KOMMUNE_SHARE and rec["kommune"] is not None
                    else None
                ),
                "note": note,
            }
        )
    return rows


def activity_rows(data: ReportData, goal_number: int) -> list[dict[str, Any]]:
    """Each activity of a goal with its latest status up to the report's date."""
    goal = data.contract.goal(goal_number)
    by_id = {r["activity_id"]: r for r in data.activities.iter_rows(named=True)}
    rows = []
    for activity in goal.activities:
        entry = by_id.get(activity.id)
        rows.append(
            {
                "goal": goal_number,
                "activity": activity.text,
                "status": entry["status"] if entry else NOT_STARTED,
                "date": entry["status_date"] if entry else None,
                "evidence": (entry["evidence"] or "") if entry else "",
                "comment": (entry["comment"] or "") if entry else "",
            }
        )
    return rows


def comment_rows(data: ReportData) -> list[dict[str, Any]]:
    return [
        {
            "goal": goal,
            "text": c.text,
            "author": data.public_name(c.author, DIRECTOR),
            "created_at": c.created_at,
        }
        for goal, c in sorted(data.comments.items())
    ]


def source_rows(data: ReportData) -> list[dict[str, Any]]:
    """The active batches the year's figures come from (this year and the year before)."""
    rows = []
    for b in sorted(data.batches, key=lambda b: (b.kind, b.period)):
        if b.quarter.year not in (data.year, data.year - 1):
            continue
        rows.append(
            {
                "kind": KIND_LABELS[Kind(b.kind)],
                "period": b.period,
                "filename": b.filename,
                "rows": b.row_count,
                "uploaded_at": b.uploaded_at,
                "uploaded_by": data.public_name(b.uploaded_by, UPLOADER),
            }
        )
    return rows


def row_value_text(row: dict[str, Any]) -> str:
    hidden = row["value"] is None and row["note"] not in ("", fmt.NO_DATA)
    return row["note"] if hidden else fmt.kpi_value(row["value"], row["unit"])


def row_interval_text(row: dict[str, Any]) -> str:
    if row["ci_low"] is None or row["ci_high"] is None:
        return ""
    return f"{fmt.number(row['ci_low'], 1)}–{fmt.number(row['ci_high'], 1)}"
