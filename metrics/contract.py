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
from functools import cache
from pathlib import Path
from typing import Any

from data.errors import ContractError
from data.reference import CONTRACT_DIR, erhvervshuse
from expectations.schema import BRUGEREVALUERING_COLUMNS, KENDSKAB_COLUMNS
from metrics.kinds import Cells as Cells
from metrics.kinds import KpiKind as KpiKind
from metrics.kinds import Source, Unit
from metrics.params import (
    ChecklistParams,
    NoParams,
    ParamProblem,
    Params,
    activity_fields,
    parse_params,
)
from metrics.registry import KINDS, KindSpec

SOURCE_COLUMNS: Mapping[Source, frozenset[str]] = {
    Source.BRUGEREVALUERING: frozenset(c.name for c in BRUGEREVALUERING_COLUMNS),
    Source.KENDSKAB: frozenset(c.name for c in KENDSKAB_COLUMNS),
}
SOURCE_NAMES = {Source.BRUGEREVALUERING: "brugerevalueringen", Source.KENDSKAB: "kendskabsmålingen"}
KPI_KEYS = frozenset(
    {"id", "label", "kind", "unit", "target", "comparison", "cells", "description", "params"}
)


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
    unit: Unit
    target: float | None
    target_all_kommuner: bool  # coverage: the target is "every municipality in scope"
    comparison: str
    cells: Cells
    description: str
    params: Params = field(default_factory=NoParams)  # of the class its kind's entry names

    @property
    def spec(self) -> KindSpec[Any]:
        """The registry entry of the KPI's kind."""
        return KINDS[self.kind]


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
        wanted = kpi.params.activities if isinstance(kpi.params, ChecklistParams) else ()
        by_id = {a.id: a for a in self.goal(kpi.goal).activities}
        return tuple(by_id[a] for a in wanted)


# --- parsing -----------------------------------------------------------------------------------


def _fail(where: str, problem: str) -> ContractError:
    return ContractError(f"{where}: {problem}")


def _kpi_params(where: str, kind: KpiKind, raw: Any, goal: Mapping[str, Any]) -> Params:
    """The KPI's parameters as its kind's typed class; activity ids must be the goal's."""
    spec: KindSpec[Params] = KINDS[kind]
    if not isinstance(raw, Mapping):
        raise _fail(where, "'params' skal være en tabel ([goals.kpis.params]).")
    try:
        params = parse_params(
            spec.params,
            raw,
            kind=str(kind),
            columns=SOURCE_COLUMNS.get(spec.source),
            source_name=SOURCE_NAMES.get(spec.source, str(spec.source)),
        )
    except ParamProblem as exc:
        raise _fail(f"{where}, parameter '{exc.key}'", exc.problem) from None
    known = {str(a.get("id")) for a in goal.get("activities", [])}
    for key, ids in activity_fields(params).items():
        unknown = [a for a in ids if a not in known]
        if unknown:
            raise _fail(
                f"{where}, parameter '{key}'",
                f"ukendte eller ingen indsatser i tjeklisten: {unknown}. "
                f"Målets indsatser er: {', '.join(sorted(known)) or 'ingen'}.",
            )
    return params


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
    for name in raw:
        if name not in KPI_KEYS:
            raise _fail(
                where, f"ukendt felt '{name}' (kendte felter: {', '.join(sorted(KPI_KEYS))})."
            )
    if raw["unit"] not in set(Unit):
        raise _fail(where, f"ukendt enhed '{raw['unit']}'.")
    if raw["unit"] != KINDS[kind].unit:
        raise _fail(
            where,
            f"enheden '{raw['unit']}' passer ikke til typen '{kind}', der måles i '{KINDS[kind].unit}'.",
        )
    if raw["comparison"] != "ge":
        raise _fail(where, f"sammenligningen '{raw['comparison']}' understøttes ikke (kun 'ge').")
    cells = raw["cells"]
    if not isinstance(cells, list) or len(cells) != 1 or cells[0] not in set(Cells):
        raise _fail(
            where,
            f"'cells' skal være en liste med præcis én af {', '.join(Cells)}, ikke {cells!r}.",
        )
    spec = KINDS[kind]
    target_raw = raw.get("target")
    all_kommuner = target_raw == "all"
    if all_kommuner and not spec.target_all:
        allowed = ", ".join(f"'{k}'" for k in KINDS if KINDS[k].target_all)
        raise _fail(where, f"målet 'all' kan kun bruges for typen {allowed}.")
    if target_raw is None and not spec.presence_status:
        raise _fail(where, "målet ('target') mangler.")
    number = isinstance(target_raw, int | float) and not isinstance(target_raw, bool)
    if target_raw is not None and not all_kommuner and not number:
        raise _fail(where, f"målet skal være et tal, ikke '{target_raw}'.")
    params = _kpi_params(where, kind, raw.get("params", {}), goal)
    return Kpi(
        id=str(raw["id"]),
        goal=goal_no,
        label=str(raw["label"]),
        kind=kind,
        unit=Unit(raw["unit"]),
        target=None if target_raw is None or all_kommuner else float(target_raw),
        target_all_kommuner=all_kommuner,
        comparison=str(raw["comparison"]),
        cells=Cells(cells[0]),
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
