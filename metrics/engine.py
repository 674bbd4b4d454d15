"""The KPI engine: every KPI cell of the contracts for the asked years, as one LazyFrame.

Grain of the result: one row per year × KPI × kommune × segment (kommune null = the whole
house; segment null = both segments). Columns: see :data:`RESULT_COLUMNS`. The engine is pure:
it takes LazyFrames and returns a LazyFrame; the CLI and the dashboard's cache collect it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date

import polars as pl

from data.periods import Quarter
from metrics import crm as crm_jobs
from metrics import jobs
from metrics.contract import COUNT_KINDS, Cells, Contract, Kpi, KpiKind
from metrics.crm import CrmTables, crm_tables
from metrics.kept_records import checklist_cells, control_group_cells
from metrics.projection import counts_so_far, full_year_periods, project_counts
from metrics.status import status_expr

SEGMENTS = ("drift", "vækst")
HOUSE_LEVEL_KINDS = frozenset({KpiKind.CHECKLIST, KpiKind.CONTROL_GROUP})
SUPPRESSIBLE_KINDS = frozenset(
    {KpiKind.SURVEY_SHARE, KpiKind.NPS, KpiKind.WEIGHTED_SHARE, KpiKind.NEW_SHARE}
)
CRM_KINDS = frozenset(
    {
        KpiKind.NEW_SHARE,
        KpiKind.COVERAGE,
        KpiKind.KOMMUNE_SHARE,
        KpiKind.UNIQUE_COUNT,
        KpiKind.COURSE_COUNT,
    }
)
RESULT_COLUMNS = [
    "year",
    "goal",
    "kpi",
    "kind",
    "unit",
    "kommune",
    "segment",
    "value",
    "n",
    "ci_low",
    "ci_high",
    "target",
    "status",
    "numerator",
    "projected",
    "suppressed",
    "year_over",
    "as_of",
]


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
class Kommuner:
    """The municipalities in scope with their funding key (for fair-share targets)."""

    funding: Mapping[int, int]

    @property
    def codes(self) -> list[int]:
        return sorted(self.funding)


def periods_frame(as_of: Mapping[int, Quarter], *, explicit: bool) -> pl.LazyFrame:
    """One row per year: ``data_end`` (rows dated up to it count), ``known_by`` (hand-entered
    figures entered up to it count), ``year_over`` and the as-of quarter."""
    far_future = date(9999, 12, 31)
    rows = [
        {
            "year": year,
            "data_end": q.end,
            "known_by": q.end if explicit else far_future,
            "year_over": q.q == 4 and q.year == year,
            "as_of": str(q),
        }
        for year, q in sorted(as_of.items())
    ]
    schema = {
        "year": pl.Int32,
        "data_end": pl.Date,
        "known_by": pl.Date,
        "year_over": pl.Boolean,
        "as_of": pl.String,
    }
    return pl.LazyFrame(rows, schema=schema)


def compute_kpis(
    inputs: KpiInputs,
    contracts: Mapping[int, Contract],
    *,
    as_of: Mapping[int, Quarter],
    kommuner: Kommuner,
    explicit_as_of: bool = False,
) -> pl.LazyFrame:
    """Every KPI cell of every year in ``as_of`` (year → as-of quarter of that year)."""
    periods = periods_frame(as_of, explicit=explicit_as_of)
    groups = _group_kpis(contracts, as_of)
    # Many KPIs read the same source: read each once per query (matters for scanned files).
    inputs = KpiInputs(*(getattr(inputs, f.name).cache() for f in fields(KpiInputs)))
    full_years = crm_tables(inputs.forloeb, full_year_periods(inputs.forloeb))
    crm = CrmContext(window=full_years.within(periods), full_years=full_years)
    parts = [
        _kpi_cells(
            inputs,
            periods.filter(pl.col("year").is_in(years)),
            kpi,
            contracts,
            crm=crm.for_years(years),
            project=any(as_of[y] != Quarter(y, 4) for y in years),
        ).with_columns(kpi=pl.lit(kpi.id), goal=pl.lit(kpi.goal, pl.Int32))
        for kpi, years in groups
    ]
    cells = pl.concat(parts, how="diagonal_relaxed")
    return _finalise(cells, inputs, periods, contracts, kommuner)


def _group_kpis(
    contracts: Mapping[int, Contract], as_of: Mapping[int, Quarter]
) -> list[tuple[Kpi, list[int]]]:
    """KPIs with identical definitions across years are computed once for all those years."""
    groups: dict[tuple[str, str, str], tuple[Kpi, list[int]]] = {}
    for year in sorted(as_of):
        for kpi in contracts[year].kpis:
            key = (kpi.id, kpi.kind, repr(sorted(kpi.params.items())))
            groups.setdefault(key, (kpi, []))[1].append(year)
    return list(groups.values())


def _kpi_cells(
    inputs: KpiInputs,
    periods: pl.LazyFrame,
    kpi: Kpi,
    contracts: Mapping[int, Contract],
    *,
    crm: CrmContext,
    project: bool,
) -> pl.LazyFrame:
    confidence = next(iter(contracts.values())).confidence
    p = kpi.param
    match kpi.kind:
        case KpiKind.SURVEY_SHARE:
            return jobs.survey_share(
                inputs.brugerevaluering,
                periods,
                column=p("column"),
                positive=p("positive"),
                excluded=p("excluded", ()),
                filter_column=p("filter_column"),
                filter_value=p("filter_value"),
                segments=kpi.cells is Cells.SEGMENT,
                confidence=confidence,
            )
        case KpiKind.NPS:
            return jobs.net_promoter_score(
                inputs.brugerevaluering,
                periods,
                column=p("column"),
                promoter_min=p("promoter_min"),
                detractor_max=p("detractor_max"),
                segments=kpi.cells is Cells.SEGMENT,
            )
        case KpiKind.WEIGHTED_SHARE:
            return jobs.weighted_share(
                inputs.kendskab,
                periods,
                column=p("column"),
                filter_column=p("filter_column"),
                filter_value=p("filter_value"),
                weight_column=p("weight_column"),
                confidence=confidence,
            )
        case KpiKind.NEW_SHARE:
            return crm_jobs.new_company_share(
                crm.window,
                crm.full_years,
                lookback_years=p("lookback_years"),
                confidence=confidence,
            )
        case KpiKind.COVERAGE:
            return crm_jobs.kommune_coverage(crm.window)
        case KpiKind.KOMMUNE_SHARE:
            return crm_jobs.kommune_share_of_companies(crm.window, confidence=confidence)
        case KpiKind.UNIQUE_COUNT | KpiKind.COURSE_COUNT:

            def volume(tables: CrmTables) -> pl.LazyFrame:
                return crm_jobs.course_volume(
                    tables,
                    categories=p("categories"),
                    unique_companies=kpi.kind is KpiKind.UNIQUE_COUNT,
                )

            if not project:  # every year is over: the count is final, no profile needed
                return counts_so_far(volume(crm.window))
            covered = crm.window.counts.group_by("year").agg(
                pl.col("quarter").max().alias("data_q")
            )
            return project_counts(volume(crm.window), volume(crm.full_years), periods, covered)
        case KpiKind.CHECKLIST:
            return checklist_cells(inputs.activities, periods, kpi, contracts)
        case KpiKind.CONTROL_GROUP:
            return control_group_cells(inputs.control_group, periods, kpi)
    raise AssertionError(f"unhandled KPI kind {kpi.kind}")  # pragma: no cover


def _grid(
    contracts: Mapping[int, Contract], periods: pl.LazyFrame, kommuner: Kommuner
) -> pl.LazyFrame:
    """Every cell that should exist, so a missing group shows as "Afventer data"."""
    rows = []
    for year, contract in contracts.items():
        for kpi in contract.kpis:
            if kpi.cells is Cells.KOMMUNE:
                scopes: list[int | None] = list(kommuner.codes)
            elif kpi.kind in HOUSE_LEVEL_KINDS:
                scopes = [None]
            else:
                scopes = [None, *kommuner.codes]
            segments: list[str | None] = [None, *SEGMENTS] if kpi.cells is Cells.SEGMENT else [None]
            for kommune in scopes:
                for segment in segments:
                    rows.append(
                        {
                            "year": year,
                            "goal": kpi.goal,
                            "kpi": kpi.id,
                            "kind": str(kpi.kind),
                            "unit": kpi.unit,
                            "kommune": kommune,
                            "segment": segment,
                            "target": _target(kpi, kommune, kommuner),
                            "min_n": contract.min_n,
                        }
                    )
    schema = {
        "year": pl.Int32,
        "goal": pl.Int32,
        "kpi": pl.String,
        "kind": pl.String,
        "unit": pl.String,
        "kommune": pl.Int32,
        "segment": pl.String,
        "target": pl.Float64,
        "min_n": pl.Int64,
    }
    return pl.LazyFrame(rows, schema=schema).join(periods.select("year"), on="year")


def _target(kpi: Kpi, kommune: int | None, kommuner: Kommuner) -> float | None:
    if kpi.target_all_kommuner:
        return 1.0 if kommune is not None else float(len(kommuner.codes))
    if kpi.target is None or kommune is None or kpi.kind not in COUNT_KINDS:
        return kpi.target
    if kpi.param("kommune_target", "none") == "funding_share":
        # Whole companies, rounded up: a count reaches its exact share (297,4) exactly when it
        # reaches the next whole number (298), so rounding up changes no status.
        total = sum(kommuner.funding.values())
        return float(math.ceil(round(kpi.target * kommuner.funding[kommune] / total, 6)))
    return None


def _finalise(
    cells: pl.LazyFrame,
    inputs: KpiInputs,
    periods: pl.LazyFrame,
    contracts: Mapping[int, Contract],
    kommuner: Kommuner,
) -> pl.LazyFrame:
    crm_years = jobs.in_window(inputs.forloeb, "startdato", periods).select("year").unique()
    crm_years = crm_years.with_columns(has_crm=pl.lit(True))
    keys = ["year", "kpi", "kommune", "segment"]
    kind = pl.col("kind")
    zero_when_no_rows = kind.is_in([str(k) for k in CRM_KINDS - {KpiKind.NEW_SHARE}]) & pl.col(
        "has_crm"
    )
    suppress = kind.is_in([str(k) for k in SUPPRESSIBLE_KINDS]) & (
        pl.col("n").fill_null(0) < pl.col("min_n")
    )
    is_kommune_share = kind == str(KpiKind.KOMMUNE_SHARE)
    monotonic = kind.is_in(
        [str(k) for k in (*COUNT_KINDS, KpiKind.CHECKLIST, KpiKind.KOMMUNE_SHARE)]
    )
    return (
        _grid(contracts, periods, kommuner)
        .join(cells.drop("goal"), on=keys, how="left", nulls_equal=True)
        .join(crm_years, on="year", how="left")
        .join(periods.select("year", "year_over", "as_of"), on="year")
        .with_columns(pl.col("has_crm").fill_null(False))
        .with_columns(
            pl.when(zero_when_no_rows & pl.col("value").is_null())
            .then(0.0)
            .otherwise(pl.col("value"))
            .alias("value"),
            pl.when(zero_when_no_rows & pl.col("n").is_null())
            .then(0)
            .otherwise(pl.col("n"))
            .alias("n"),
            pl.when(zero_when_no_rows & pl.col("numerator").is_null())
            .then(0.0)
            .otherwise(pl.col("numerator"))
            .alias("numerator"),
        )
        .with_columns(
            pl.col("projected").fill_null(pl.col("value")),
            suppressed=suppress & pl.col("n").fill_null(0).gt(0),
        )
        .with_columns(
            [
                pl.when(suppress).then(None).otherwise(pl.col(c)).alias(c)
                for c in ("value", "ci_low", "ci_high", "projected")
            ]
        )
        .with_columns(
            status=status_expr(
                value=pl.when(is_kommune_share)
                .then(pl.col("numerator"))
                .otherwise(pl.col("value")),
                target=pl.when(is_kommune_share).then(1.0).otherwise(pl.col("target")),
                projected=pl.when(is_kommune_share)
                .then(pl.col("numerator"))
                .otherwise(pl.col("projected")),
                year_over=pl.col("year_over"),
                monotonic=monotonic,
            )
        )
        .select(RESULT_COLUMNS)
        .sort("year", "goal", "kpi", "kommune", "segment", nulls_last=False)
    )


def inputs_from_frames(frames: Sequence[pl.DataFrame]) -> KpiInputs:
    """Build inputs from collected frames in the order of :class:`KpiInputs`' fields."""
    return KpiInputs(*(f.lazy() for f in frames))
