"""The result contract as data: contract files parsed into frozen, typed objects.

A contract file (``data/contracts/<year>.toml``) lists the goals of one year, their KPIs with
kind, formula parameters, target and comparison, and the activity checklists. Every target and
goal text lives there; code never holds one as a literal. :func:`load_contract` rejects an
invalid file with a Danish message naming the file, the goal/KPI and the problem.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from data.errors import ContractError
from data.reference import CONTRACT_DIR, erhvervshuse
from expectations.schema import BRUGEREVALUERING_COLUMNS, KENDSKAB_COLUMNS


class KpiKind(StrEnum):
    SURVEY_SHARE = "survey_share"  # share of answers in a set, user evaluation
    NPS = "nps"  # Net Promoter Score, user evaluation
    WEIGHTED_SHARE = "weighted_share"  # weighted share, awareness survey
    NEW_SHARE = "new_share"  # share of unique CVR not guided the year before
    COVERAGE = "coverage"  # number of municipalities with guided companies
    KOMMUNE_SHARE = "kommune_share"  # a municipality's share of unique guided companies
    UNIQUE_COUNT = "unique_count"  # distinct CVR guided
    COURSE_COUNT = "course_count"  # number of courses in given categories
    CHECKLIST = "checklist"  # percent of activities done
    CONTROL_GROUP = "control_group"  # Mål 6 control-group figures entered by hand


class Cells(StrEnum):
    ALL = "all"  # one cell for everything in scope
    SEGMENT = "segment"  # drift, vækst and all
    KOMMUNE = "kommune"  # one cell per municipality


SHARE_KINDS = frozenset(
    {KpiKind.SURVEY_SHARE, KpiKind.WEIGHTED_SHARE, KpiKind.NEW_SHARE, KpiKind.KOMMUNE_SHARE}
)
COUNT_KINDS = frozenset({KpiKind.UNIQUE_COUNT, KpiKind.COURSE_COUNT, KpiKind.COVERAGE})
UNITS = frozenset({"pct", "nps", "antal", "kommuner", "kriterier"})  # kriterier: Mål 6
KOMMUNE_TARGETS = frozenset({"none", "funding_share"})

_SURVEY_COLUMNS = frozenset(c.name for c in BRUGEREVALUERING_COLUMNS)
_AWARENESS_COLUMNS = frozenset(c.name for c in KENDSKAB_COLUMNS)


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Kpi:
    id: str
    goal: int
    label: str
    kind: KpiKind
    unit: str
    target: float | None
    target_all_kommuner: bool  # coverage: the target is "every municipality in scope"
    comparison: str
    cells: Cells
    description: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass(frozen=True, slots=True)
class Goal:
    number: int
    title: str
    scope: str  # "national" | "lokal"
    goal_text: str
    method: str
    reporting: str
    kpis: tuple[Kpi, ...]
    activities: tuple[Activity, ...]
    breakdowns: tuple[str, ...] = ()

    @property
    def main_kpi(self) -> Kpi:
        return self.kpis[0]


@dataclass(frozen=True, slots=True)
class Contract:
    year: int
    erhvervshus: str
    title: str
    source: str
    min_n: int
    confidence: float
    goals: tuple[Goal, ...]
    based_on: int | None = None  # set when a year has no file and reuses another year's contract

    @property
    def kpis(self) -> tuple[Kpi, ...]:
        return tuple(k for g in self.goals for k in g.kpis)

    def goal(self, number: int) -> Goal:
        for g in self.goals:
            if g.number == number:
                return g
        raise KeyError(number)

    def kpi(self, kpi_id: str) -> Kpi:
        for k in self.kpis:
            if k.id == kpi_id:
                return k
        raise KeyError(kpi_id)

    def activities(self, kpi: Kpi) -> tuple[Activity, ...]:
        wanted = tuple(kpi.param("activities", ()))
        by_id = {a.id: a for a in self.goal(kpi.goal).activities}
        return tuple(by_id[a] for a in wanted)


# --- validation of the parameters of each kind ------------------------------------------------

_REQUIRED_PARAMS: dict[KpiKind, tuple[str, ...]] = {
    KpiKind.SURVEY_SHARE: ("column", "positive"),
    KpiKind.NPS: ("column", "promoter_min", "detractor_max"),
    KpiKind.WEIGHTED_SHARE: ("column",),
    KpiKind.NEW_SHARE: ("lookback_years",),
    KpiKind.COVERAGE: (),
    KpiKind.KOMMUNE_SHARE: (),
    KpiKind.UNIQUE_COUNT: (),
    KpiKind.COURSE_COUNT: ("categories",),
    KpiKind.CHECKLIST: ("activities",),
    KpiKind.CONTROL_GROUP: ("revenue_pp_min", "employment_pp_min", "productivity_min"),
}


def _fail(where: str, problem: str) -> ContractError:
    return ContractError(f"{where}: {problem}")


def _check_params(
    where: str, kind: KpiKind, params: Mapping[str, Any], goal: Mapping[str, Any]
) -> None:
    for name in _REQUIRED_PARAMS[kind]:
        if name not in params:
            raise _fail(where, f"parameteren '{name}' mangler for typen '{kind}'.")
    if kind is KpiKind.SURVEY_SHARE:
        for col in (params["column"], params.get("filter_column")):
            if col is not None and col not in _SURVEY_COLUMNS:
                raise _fail(where, f"kolonnen '{col}' findes ikke i brugerevalueringen.")
    if kind is KpiKind.WEIGHTED_SHARE:
        for col in (params["column"], params.get("filter_column"), params.get("weight_column")):
            if col is not None and col not in _AWARENESS_COLUMNS:
                raise _fail(where, f"kolonnen '{col}' findes ikke i kendskabsmålingen.")
    if kind is KpiKind.NPS and not (0 <= params["detractor_max"] < params["promoter_min"] <= 10):
        raise _fail(where, "NPS-grænserne skal opfylde 0 ≤ detractor_max < promoter_min ≤ 10.")
    if kind is KpiKind.CHECKLIST:
        known = {a["id"] for a in goal.get("activities", [])}
        unknown = [a for a in params["activities"] if a not in known]
        if unknown or not params["activities"]:
            raise _fail(where, f"ukendte eller ingen indsatser i tjeklisten: {unknown}.")
    kt = params.get("kommune_target", "none")
    if kt not in KOMMUNE_TARGETS:
        raise _fail(
            where, f"kommune_target skal være en af {sorted(KOMMUNE_TARGETS)}, ikke '{kt}'."
        )


def _parse_kpi(where: str, goal_no: int, raw: Mapping[str, Any], goal: Mapping[str, Any]) -> Kpi:
    try:
        kind = KpiKind(raw["kind"])
    except KeyError as exc:
        raise _fail(where, f"feltet {exc} mangler.") from exc
    except ValueError as exc:
        raise _fail(where, f"ukendt KPI-type '{raw['kind']}'.") from exc
    for name in ("id", "label", "unit", "comparison", "cells"):
        if name not in raw:
            raise _fail(where, f"feltet '{name}' mangler.")
    if raw["unit"] not in UNITS:
        raise _fail(where, f"ukendt enhed '{raw['unit']}'.")
    if raw["comparison"] != "ge":
        raise _fail(where, f"sammenligningen '{raw['comparison']}' understøttes ikke (kun 'ge').")
    cells = [Cells(c) for c in raw["cells"]]
    if len(cells) != 1:
        raise _fail(where, "'cells' skal have præcis én værdi.")
    target_raw = raw.get("target")
    all_kommuner = target_raw == "all"
    if all_kommuner and kind is not KpiKind.COVERAGE:
        raise _fail(where, "målet 'all' kan kun bruges for typen 'coverage'.")
    if target_raw is None and kind is not KpiKind.KOMMUNE_SHARE:
        raise _fail(where, "målet ('target') mangler.")
    if target_raw is not None and not all_kommuner and not isinstance(target_raw, int | float):
        raise _fail(where, f"målet skal være et tal, ikke '{target_raw}'.")
    params = dict(raw.get("params", {}))
    _check_params(where, kind, params, goal)
    return Kpi(
        id=str(raw["id"]),
        goal=goal_no,
        label=str(raw["label"]),
        kind=kind,
        unit=str(raw["unit"]),
        target=None if target_raw is None or all_kommuner else float(target_raw),
        target_all_kommuner=all_kommuner,
        comparison=str(raw["comparison"]),
        cells=cells[0],
        description=str(raw.get("description", "")),
        params=params,
    )


def parse_contract(raw: Mapping[str, Any], *, name: str) -> Contract:
    """Turn a parsed contract file into typed objects, or raise :class:`ContractError`."""
    for key in ("year", "erhvervshus", "title", "goals"):
        if key not in raw:
            raise _fail(name, f"feltet '{key}' mangler.")
    if raw["erhvervshus"] not in erhvervshuse():
        raise _fail(name, f"ukendt erhvervshus '{raw['erhvervshus']}'.")
    goals: list[Goal] = []
    seen_ids: set[str] = set()
    for g in raw["goals"]:
        where = f"{name}, mål {g.get('number', '?')}"
        for key in ("number", "title", "scope", "goal_text", "method", "kpis"):
            if key not in g:
                raise _fail(where, f"feltet '{key}' mangler.")
        if g["scope"] not in ("national", "lokal"):
            raise _fail(where, f"'scope' skal være 'national' eller 'lokal', ikke '{g['scope']}'.")
        kpis = []
        for k in g["kpis"]:
            kpi = _parse_kpi(f"{where}, KPI {k.get('id', '?')}", int(g["number"]), k, g)
            if kpi.id in seen_ids:
                raise _fail(where, f"KPI-id '{kpi.id}' findes to gange.")
            seen_ids.add(kpi.id)
            kpis.append(kpi)
        if not kpis:
            raise _fail(where, "målet har ingen KPI'er.")
        goals.append(
            Goal(
                number=int(g["number"]),
                title=str(g["title"]),
                scope=str(g["scope"]),
                goal_text=str(g["goal_text"]),
                method=str(g["method"]),
                reporting=str(g.get("reporting", "")),
                kpis=tuple(kpis),
                activities=tuple(
                    Activity(str(a["id"]), str(a["text"])) for a in g.get("activities", [])
                ),
                breakdowns=tuple(g.get("breakdowns", ())),
            )
        )
    numbers = [g.number for g in goals]
    if numbers != sorted(set(numbers)):
        raise _fail(name, "målene skal stå i rækkefølge og må ikke gentages.")
    defaults = raw.get("defaults", {})
    return Contract(
        year=int(raw["year"]),
        erhvervshus=str(raw["erhvervshus"]),
        title=str(raw["title"]),
        source=str(raw.get("source", "")),
        min_n=int(defaults.get("min_n", 5)),
        confidence=float(defaults.get("confidence", 0.95)),
        goals=tuple(goals),
    )


def load_contract_file(path: Path) -> Contract:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path.name, f"filen kan ikke læses som TOML ({exc}).") from exc
    contract = parse_contract(raw, name=path.name)
    if path.stem.isdigit() and int(path.stem) != contract.year:
        raise _fail(path.name, f"filnavnet siger {path.stem}, men filen siger år {contract.year}.")
    return contract


@cache
def load_contracts(directory: Path = CONTRACT_DIR) -> dict[int, Contract]:
    """Every contract file in the folder, by year."""
    contracts = {}
    for path in sorted(directory.glob("*.toml")):
        c = load_contract_file(path)
        contracts[c.year] = c
    return contracts


def contract_for(year: int, directory: Path = CONTRACT_DIR) -> Contract:
    """The contract of a year; a year without its own file continues the latest earlier one."""
    contracts = load_contracts(directory)
    if year in contracts:
        return contracts[year]
    earlier = [y for y in contracts if y < year]
    if not earlier:
        later = min(contracts)
        return _as_year(contracts[later], year)
    return _as_year(contracts[max(earlier)], year)


def _as_year(contract: Contract, year: int) -> Contract:
    return replace(contract, year=year, based_on=contract.year)
