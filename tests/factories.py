"""Small hand-built input frames for KPI tests (schemas as stored).

The row helpers give CVR as the 8-digit text of an upload (and of the database); :func:`inputs`
turns it into the engine's integer exactly as ``data.store`` does when it loads stored rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import polars as pl

from data import store
from metrics.engine import KpiInputs


def course(
    cvr: str,
    start: date,
    *,
    kommune: int = 851,
    kategori: str = "Kort forløb",
    fag: str = "Innovation",
    fid: str | None = None,
) -> dict[str, Any]:
    return {
        "forloeb_id": fid or f"F-{cvr}-{start.isoformat()}-{kategori}",
        "cvr": cvr,
        "virksomhed": None,
        "kommunekode": kommune,
        "kategori": kategori,
        "fagomraade": fag,
        "startdato": start,
        "slutdato": None,
        "henvist_fra": None,
        "henvist_til_ekstern": False,
    }


def answer(
    *,
    on: date = date(2022, 5, 1),
    segment: str = "Drift",
    kommune: int = 851,
    tilfredshed: str | None = None,
    anbefaling: int | None = None,
    effekt: str | None = None,
    digital: bool = False,
    modtaget: bool = False,
    benyttet: bool | None = None,
) -> dict[str, Any]:
    return {
        "svar_id": "S",
        "cvr": "12345674",
        "kommunekode": kommune,
        "segment": segment,
        "besvarelsesdato": on,
        "tilfredshed": tilfredshed,
        "anbefaling": anbefaling,
        "forventet_effekt": effekt,
        "digitaliseringsvejledning": digital,
        "modtaget_henvisning": modtaget,
        "benyttet_henvisning": benyttet,
    }


def respondent(
    year: int,
    knows: bool,
    green: bool | None = None,
    *,
    weight: float | None = None,
    kommune: int = 851,
    measured: date | None = None,
) -> dict[str, Any]:
    return {
        "respondent_id": "R",
        "kommunekode": kommune,
        "maaleaar": year,
        "kender_erhvervshuset": knows,
        "kender_groenne_ydelser": green,
        "vaegt": weight,
        "maaledato": measured or date(year, 12, 31),
    }


def activity(year: int, activity_id: str, status: str, on: date, goal: int = 8) -> dict[str, Any]:
    return {
        "year": year,
        "goal": goal,
        "activity_id": activity_id,
        "status": status,
        "status_date": on,
        "evidence": None,
        "comment": None,
        "changed_by": "test",
        "changed_at": datetime(2030, 1, 1, tzinfo=UTC),
    }


def control(
    year: int,
    revenue: float | None,
    employment: float | None,
    productivity: float | None,
    entered: date = date(2024, 10, 1),
) -> dict[str, Any]:
    return {
        "year": year,
        "revenue_pp": revenue,
        "employment_pp": employment,
        "productivity_effect": productivity,
        "source": "test",
        "entered_by": "test",
        "entered_date": entered,
    }


def _frame(rows: Iterable[dict[str, Any]], schema: dict[str, Any]) -> pl.LazyFrame:
    frame = pl.DataFrame(list(rows), schema=store.as_stored(schema))
    if "cvr" in schema:
        frame = store.with_cvr_numbers(frame, source="testen")
    return frame.lazy()


def cvr_numbers(texts: Iterable[str]) -> pl.Series:
    """8-digit CVR texts as the engine holds them (for frames built column by column)."""
    return store.with_cvr_numbers(pl.DataFrame({"cvr": list(texts)}), source="testen")["cvr"]


def inputs(
    courses: Iterable[dict[str, Any]] = (),
    answers: Iterable[dict[str, Any]] = (),
    respondents: Iterable[dict[str, Any]] = (),
    activities: Iterable[dict[str, Any]] = (),
    controls: Iterable[dict[str, Any]] = (),
) -> KpiInputs:
    return KpiInputs(
        _frame(courses, store.FORLOEB_SCHEMA),
        _frame(answers, store.EVALUERING_SCHEMA),
        _frame(respondents, store.KENDSKAB_SCHEMA),
        _frame(activities, store.ACTIVITY_SCHEMA),
        _frame(controls, store.CONTROL_GROUP_SCHEMA),
    )
