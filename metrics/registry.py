"""The KPI kinds as data: one entry per kind says everything the code decides by kind.

An entry names the kind's parameter class (:mod:`metrics.params`, parsed when the contract is
loaded), its job (the Polars function that computes its cells, called through a small adapter
that hands it the right source and typed parameters), for a survey kind its terms (what it adds
up over the answers, see :mod:`metrics.surveys`), the source it reads, its unit, and its
rules: suppressed below the contract's ``min_n`` answers (and secondary suppression, see
:mod:`metrics.disclosure`), estimated from a sample (the only kinds with an interval), house-level (no municipal cells),
a count (projected to year end, fair-share municipal targets), monotonic (cannot fall within a
year, so met as soon as reached), zero when a CRM year has no rows for it, and a status by
presence (no target: the status says whether there is anything at all; the contract may leave
the target out), and whether the target may be ``"all"`` (every municipality in scope).

Adding a kind: a member in :class:`metrics.kinds.KpiKind`, its parameter class, its job and
one entry in ``_ENTRIES`` (read through :data:`KINDS`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import polars as pl

from metrics import crm, jobs
from metrics.inputs import JobInput
from metrics.jobs import Terms
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


@dataclass(frozen=True, slots=True, kw_only=True)
class KindSpec(Generic[P]):
    """One KPI kind: what it reads and computes, and the rules the engine applies to it."""

    params: type[P]  # the frozen parameter class a contract's [goals.kpis.params] is read into
    job: Callable[[JobInput, P], pl.LazyFrame]  # its cells (grain year × kommune × segment)
    source: Source  # the data it is computed from (the figures' source line)
    # a survey kind: what it adds up over the answers; the engine adds up every survey KPI's
    # terms in one grouping per survey, and the job reads its sums (JobInput.survey_sums)
    terms: Callable[[P], Terms] | None = None
    unit: Unit  # the unit its values are in; the contract's `unit` must say the same
    suppressible: bool = False  # no value shown below the contract's min_n answers
    sample: bool = False  # estimated from a sample (a survey): shown with its 95 % interval
    house_level: bool = False  # one figure for the house: no municipal cells
    count: bool = False  # a count: projected to year end; fair-share municipal targets
    monotonic: bool = False  # cannot fall within a year: met as soon as the target is reached
    zero_when_empty: bool = False  # 0, not "no data", when a year has CRM rows but none for it
    presence_status: bool = False  # no target: status says whether there is any (numerator ≥ 1)
    target_all: bool = False  # the target may be "all" (every municipality in scope)


# --- adapters: the sources and typed parameters each job takes ---------------------------------


def _survey_share_terms(p: SurveyShareParams) -> Terms:
    return jobs.survey_share_terms(
        column=p.column,
        positive=p.positive,
        excluded=p.excluded,
        filter_column=p.filter_column,
        filter_value=p.filter_value,
    )


def _survey_share(x: JobInput, p: SurveyShareParams) -> pl.LazyFrame:
    return jobs.survey_share(x.survey_sums(), confidence=x.confidence)


def _nps_terms(p: NpsParams) -> Terms:
    return jobs.nps_terms(
        column=p.column, promoter_min=p.promoter_min, detractor_max=p.detractor_max
    )


def _nps(x: JobInput, p: NpsParams) -> pl.LazyFrame:
    return jobs.net_promoter_score(x.survey_sums())


def _weighted_share_terms(p: WeightedShareParams) -> Terms:
    return jobs.weighted_share_terms(
        column=p.column,
        filter_column=p.filter_column,
        filter_value=p.filter_value,
        weight_column=p.weight_column,
    )


def _weighted_share(x: JobInput, p: WeightedShareParams) -> pl.LazyFrame:
    return jobs.weighted_share(x.survey_sums(), confidence=x.confidence)


def _new_share(x: JobInput, p: NewShareParams) -> pl.LazyFrame:
    return crm.new_company_share(
        x.crm.window, x.crm.full_years, lookback_years=p.lookback_years, confidence=x.confidence
    )


def _coverage(x: JobInput, p: NoParams) -> pl.LazyFrame:
    return crm.kommune_coverage(x.crm.window)


def _kommune_share(x: JobInput, p: KommuneShareParams) -> pl.LazyFrame:
    return crm.kommune_share_of_companies(x.crm.window)


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

# Each entry is built without a type context, so mypy checks that its job takes its params.
_ENTRIES = (
    (
        KpiKind.SURVEY_SHARE,
        KindSpec(
            params=SurveyShareParams,
            job=_survey_share,
            terms=_survey_share_terms,
            source=Source.BRUGEREVALUERING,
            unit=Unit.PCT,
            suppressible=True,
            sample=True,
        ),
    ),
    (
        KpiKind.NPS,
        KindSpec(
            params=NpsParams,
            job=_nps,
            terms=_nps_terms,
            source=Source.BRUGEREVALUERING,
            unit=Unit.NPS,
            suppressible=True,
            sample=True,
        ),
    ),
    (
        KpiKind.WEIGHTED_SHARE,
        KindSpec(
            params=WeightedShareParams,
            job=_weighted_share,
            terms=_weighted_share_terms,
            source=Source.KENDSKAB,
            unit=Unit.PCT,
            suppressible=True,
            sample=True,
        ),
    ),
    (
        KpiKind.NEW_SHARE,
        KindSpec(
            params=NewShareParams,
            job=_new_share,
            source=Source.FORLOEB,
            unit=Unit.PCT,
            suppressible=True,
        ),
    ),
    (
        KpiKind.COVERAGE,
        KindSpec(
            params=NoParams,
            job=_coverage,
            source=Source.FORLOEB,
            unit=Unit.KOMMUNER,
            count=True,
            monotonic=True,
            zero_when_empty=True,
            target_all=True,
        ),
    ),
    (
        KpiKind.KOMMUNE_SHARE,
        KindSpec(
            params=KommuneShareParams,
            job=_kommune_share,
            source=Source.FORLOEB,
            unit=Unit.PCT,
            monotonic=True,
            zero_when_empty=True,
            presence_status=True,
        ),
    ),
    (
        KpiKind.UNIQUE_COUNT,
        KindSpec(
            params=CountParams,
            job=_unique_count,
            source=Source.FORLOEB,
            unit=Unit.ANTAL,
            count=True,
            monotonic=True,
            zero_when_empty=True,
        ),
    ),
    (
        KpiKind.COURSE_COUNT,
        KindSpec(
            params=CourseCountParams,
            job=_course_count,
            source=Source.FORLOEB,
            unit=Unit.ANTAL,
            count=True,
            monotonic=True,
            zero_when_empty=True,
        ),
    ),
    (
        KpiKind.CHECKLIST,
        KindSpec(
            params=ChecklistParams,
            job=_checklist,
            source=Source.INDSATSER,
            unit=Unit.PCT,
            house_level=True,
            monotonic=True,
        ),
    ),
    (
        KpiKind.CONTROL_GROUP,
        KindSpec(
            params=ControlGroupParams,
            job=_control_group,
            source=Source.CONTROL_GROUP,
            unit=Unit.KRITERIER,
            house_level=True,
        ),
    ),
)
KINDS: Mapping[KpiKind, KindSpec[Any]] = MappingProxyType(dict(_ENTRIES))


def kinds_where(rule: Callable[[KindSpec[Any]], bool]) -> frozenset[KpiKind]:
    """The kinds whose entry follows ``rule``, e.g. ``kinds_where(lambda s: s.suppressible)``."""
    return frozenset(k for k, spec in KINDS.items() if rule(spec))
