"""What a KPI job is given: the source frames, the as-of periods, the shared CRM tables and
the survey KPIs' pooled sums."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from metrics.crm import CrmTables
from metrics.kinds import Cells
from metrics.surveys import SurveySums

if TYPE_CHECKING:
    from metrics.contract import Contract, Kpi


@dataclass(frozen=True, slots=True)
class KpiInputs:
    """The engine's inputs, one LazyFrame per source (schemas as in ``data.store``)."""

    forloeb: pl.LazyFrame
    brugerevaluering: pl.LazyFrame
    kendskab: pl.LazyFrame
    activities: pl.LazyFrame
    control_group: pl.LazyFrame


@dataclass(frozen=True, slots=True)
class CrmContext:
    """Shared CRM tables: the as-of window, and full years (for the quarterly profile)."""

    window: CrmTables
    full_years: CrmTables

    def for_years(self, years: Sequence[int]) -> CrmContext:
        return CrmContext(self.window.for_years(years), self.full_years)


@dataclass(frozen=True, slots=True)
class JobInput:
    """One KPI's job call: its sources, the periods of the years it is computed for (one row
    per year, see :func:`metrics.engine.periods_frame`), and whether any year is not over."""

    sources: KpiInputs
    periods: pl.LazyFrame
    crm: CrmContext
    surveys: SurveySums
    contracts: Mapping[int, Contract]
    kpi: Kpi
    project: bool

    @property
    def confidence(self) -> float:
        return next(iter(self.contracts.values())).confidence

    @property
    def segments(self) -> bool:
        return self.kpi.cells is Cells.SEGMENT

    def survey_sums(self) -> pl.LazyFrame:
        """This survey KPI's sums (see :meth:`metrics.surveys.SurveySums.sums`)."""
        return self.surveys.sums(survey_key(self.kpi), self.periods)


def survey_key(kpi: Kpi) -> tuple[object, ...]:
    """KPIs of the same kind and parameters add up the same terms."""
    return (kpi.kind, kpi.params)
