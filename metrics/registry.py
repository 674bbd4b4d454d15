"""The KPI kinds as data: one entry per kind says everything the code decides by kind.

An entry names the kind's parameter class (:mod:`metrics.params`, parsed when the contract is
loaded), its job (the Polars function that computes its cells, called through a small adapter
that hands it the right source and typed parameters), the source it reads, its unit, and its
rules: suppressed below the contract's ``min_n`` answers, house-level (no municipal cells),
a count (projected to year end, fair-share municipal targets), monotonic (cannot fall within a
year, so met as soon as reached), zero when a CRM year has no rows for it, and a status by
presence (no target: the status says whether there is anything at all).

Adding a kind: a member in :class:`metrics.kinds.KpiKind`, its parameter class, its job and
one entry in :data:`KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import polars as pl

from metrics import crm, jobs
from metrics.inputs import JobInput
from metrics.kept_records import checklist_cells, control_group_cells
from metrics.kinds import KpiKind, Source, Unit
from metrics.params import (
    ChecklistParams,
    ControlGroupParams,
    CountParams,
    CourseCountParams,
    KommuneShareParams,
    NewShareParams,
    NoParams,
    NpsParams,
    Params,
    SurveyShareParams,
    WeightedShareParams,
)
from metrics.projection import volume_cells

P = TypeVar("P", bound=Params)


@dataclass(frozen=True, slots=True)
class KindSpec(Generic[P]):
    params: type[P]
    job: Callable[[JobInput, P], pl.LazyFrame]
    source: Source
    unit: Unit
    suppressible: bool = False
    house_level: bool = False
    count: bool = False
    monotonic: bool = False
    zero_when_empty: bool = False
    presence_status: bool = False


# --- adapters: the sources and typed parameters each job takes ---------------------------------


def _survey_share(x: JobInput, p: SurveyShareParams) -> pl.LazyFrame:
    return jobs.survey_share(
        x.sources.brugerevaluering,
        x.periods,
        column=p.column,
        positive=p.positive,
        excluded=p.excluded,
        filter_column=p.filter_column,
        filter_value=p.filter_value,
        segments=x.segments,
        confidence=x.confidence,
    )


def _nps(x: JobInput, p: NpsParams) -> pl.LazyFrame:
    return jobs.net_promoter_score(
        x.sources.brugerevaluering,
        x.periods,
        column=p.column,
        promoter_min=p.promoter_min,
        detractor_max=p.detractor_max,
        segments=x.segments,
    )


def _weighted_share(x: JobInput, p: WeightedShareParams) -> pl.LazyFrame:
    return jobs.weighted_share(
        x.sources.kendskab,
        x.periods,
        column=p.column,
        filter_column=p.filter_column,
        filter_value=p.filter_value,
        weight_column=p.weight_column,
        confidence=x.confidence,
    )


def _new_share(x: JobInput, p: NewShareParams) -> pl.LazyFrame:
    return crm.new_company_share(
        x.crm.window, x.crm.full_years, lookback_years=p.lookback_years, confidence=x.confidence
    )


def _coverage(x: JobInput, p: NoParams) -> pl.LazyFrame:
    return crm.kommune_coverage(x.crm.window)


def _kommune_share(x: JobInput, p: KommuneShareParams) -> pl.LazyFrame:
    return crm.kommune_share_of_companies(x.crm.window, confidence=x.confidence)


def _unique_count(x: JobInput, p: CountParams) -> pl.LazyFrame:
    return volume_cells(
        x.crm.window,
        x.crm.full_years,
        x.periods,
        categories=None,
        unique_companies=True,
        project=x.project,
    )


def _course_count(x: JobInput, p: CourseCountParams) -> pl.LazyFrame:
    return volume_cells(
        x.crm.window,
        x.crm.full_years,
        x.periods,
        categories=p.categories,
        unique_companies=False,
        project=x.project,
    )


def _checklist(x: JobInput, p: ChecklistParams) -> pl.LazyFrame:
    return checklist_cells(x.sources.activities, x.periods, x.kpi, x.contracts)


def _control_group(x: JobInput, p: ControlGroupParams) -> pl.LazyFrame:
    return control_group_cells(x.sources.control_group, x.periods, p)


# --- the registry -------------------------------------------------------------------------------

KINDS: Mapping[KpiKind, KindSpec[Any]] = MappingProxyType(
    {
        KpiKind.SURVEY_SHARE: KindSpec(
            SurveyShareParams,
            _survey_share,
            Source.BRUGEREVALUERING,
            Unit.PCT,
            suppressible=True,
        ),
        KpiKind.NPS: KindSpec(
            NpsParams, _nps, Source.BRUGEREVALUERING, Unit.NPS, suppressible=True
        ),
        KpiKind.WEIGHTED_SHARE: KindSpec(
            WeightedShareParams, _weighted_share, Source.KENDSKAB, Unit.PCT, suppressible=True
        ),
        KpiKind.NEW_SHARE: KindSpec(
            NewShareParams, _new_share, Source.FORLOEB, Unit.PCT, suppressible=True
        ),
        KpiKind.COVERAGE: KindSpec(
            NoParams,
            _coverage,
            Source.FORLOEB,
            Unit.KOMMUNER,
            count=True,
            monotonic=True,
            zero_when_empty=True,
        ),
        KpiKind.KOMMUNE_SHARE: KindSpec(
            KommuneShareParams,
            _kommune_share,
            Source.FORLOEB,
            Unit.PCT,
            monotonic=True,
            zero_when_empty=True,
            presence_status=True,
        ),
        KpiKind.UNIQUE_COUNT: KindSpec(
            CountParams,
            _unique_count,
            Source.FORLOEB,
            Unit.ANTAL,
            count=True,
            monotonic=True,
            zero_when_empty=True,
        ),
        KpiKind.COURSE_COUNT: KindSpec(
            CourseCountParams,
            _course_count,
            Source.FORLOEB,
            Unit.ANTAL,
            count=True,
            monotonic=True,
            zero_when_empty=True,
        ),
        KpiKind.CHECKLIST: KindSpec(
            ChecklistParams,
            _checklist,
            Source.INDSATSER,
            Unit.PCT,
            house_level=True,
            monotonic=True,
        ),
        KpiKind.CONTROL_GROUP: KindSpec(
            ControlGroupParams,
            _control_group,
            Source.CONTROL_GROUP,
            Unit.PCT,
            house_level=True,
        ),
    }
)


def kinds_where(rule: Callable[[KindSpec[Any]], bool]) -> frozenset[KpiKind]:
    """The kinds whose entry follows ``rule``, e.g. ``kinds_where(lambda s: s.suppressible)``."""
    return frozenset(k for k, spec in KINDS.items() if rule(spec))
