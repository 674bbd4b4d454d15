"""The KPI engine: every KPI cell of the contracts for the asked years.

Grain of the result: one row per year × KPI × kommune × segment (kommune null = the whole
house; segment null = both segments). Columns: see :data:`RESULT_COLUMNS`. The engine is pure:
it takes LazyFrames. :func:`compute_kpis` returns the whole computation as one LazyFrame;
:func:`collect_kpis`, which the dashboard, the CLI and the report use, collects the same query
in two steps (the shared tables over the rows, then the cells from them), a quarter faster.

The query is built from shared tables, so the rows are read and grouped once, not once per KPI:
the CRM tables (:mod:`metrics.crm`: the course counts by quarter and category, and every
company's first quarter and the years since it was last guided, from one sort of the course
rows) and the survey KPIs' sums (:mod:`metrics.surveys`: one grouping per survey with every
KPI's sums side by side). Each KPI's job derives its cells from those small tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

import polars as pl

from data.periods import Quarter
from metrics import jobs
from metrics.contract import Cells, Contract, Kpi
from metrics.crm import CrmTables, crm_tables
from metrics.disclosure import protect_lazy
from metrics.inputs import CrmContext, JobInput, KpiInputs, survey_key
from metrics.kinds import Source
from metrics.params import CountParams, Params
from metrics.registry import KindSpec, kinds_where
from metrics.status import status_expr
from metrics.surveys import SurveySums

SEGMENTS = ("drift", "vækst")
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
    "secondary",
    "year_over",
    "as_of",
]


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
    """Every KPI cell of every year in ``as_of`` (year → as-of quarter of that year), as one
    lazy query (:func:`collect_kpis` collects it faster)."""
    return _query(inputs, contracts, as_of, kommuner, explicit_as_of, shared=None)


def collect_kpis(
    inputs: KpiInputs,
    contracts: Mapping[int, Contract],
    *,
    as_of: Mapping[int, Quarter],
    kommuner: Kommuner,
    explicit_as_of: bool = False,
) -> pl.DataFrame:
    """:func:`compute_kpis`, collected in two steps: first the shared tables over the rows
    (the CRM tables and each survey's sums, a few thousand rows in all) at once, with Polars'
    default (streaming) engine, which is fastest on many rows; then the cells from those small
    tables, several hundred small steps, with the in-memory engine, whose cost per step is a
    fraction of the streaming engine's."""

    query = _query(inputs, contracts, as_of, kommuner, explicit_as_of, shared=collected)
    return query.collect(engine="in-memory")


def collected(crm: CrmTables, surveys: SurveySums) -> tuple[CrmTables, SurveySums]:
    """The shared tables over the rows collected at once (the first step of
    :func:`collect_kpis`): the CRM counts and first courses, and each survey's pooled sums.
    The course rows stay lazy: only a count of unique companies in given categories reads
    them again."""
    tables = [crm.counts, crm.firsts, crm.house_firsts, *surveys.pooled.values()]
    # (a query that ends in a cache node cannot be collected on its own: select it first)
    frames = pl.collect_all([t.select(pl.all()) for t in tables])
    counts, firsts, house_firsts, *sums = (f.lazy() for f in frames)
    return (
        CrmTables(crm.rows, counts, firsts, house_firsts),
        replace(surveys, pooled=dict(zip(surveys.pooled, sums, strict=True))),
    )


_Shared = Callable[[CrmTables, SurveySums], tuple[CrmTables, SurveySums]]


def _query(
    inputs: KpiInputs,
    contracts: Mapping[int, Contract],
    as_of: Mapping[int, Quarter],
    kommuner: Kommuner,
    explicit_as_of: bool,
    *,
    shared: _Shared | None,
) -> pl.LazyFrame:
    periods = periods_frame(as_of, explicit=explicit_as_of)
    inputs = prepared_inputs(inputs)
    groups = group_kpis(contracts, as_of)
    full_years = crm_tables(inputs.forloeb)
    surveys = survey_sums(inputs, groups, periods)
    if shared is not None:
        full_years, surveys = shared(full_years, surveys)
    crm = crm_context(full_years, periods)
    parts = [
        part.with_columns(kpi=pl.lit(kpi.id), goal=pl.lit(kpi.goal, pl.Int32))
        for kpi, _, part in job_parts(inputs, contracts, as_of, groups, periods, crm, surveys)
    ]
    # every column of CELL_SCHEMA, null where a job has none (jobs._finish), cast once
    empty = pl.LazyFrame(schema={**jobs.CELL_SCHEMA, "kpi": pl.String, "goal": pl.Int32})
    cells = pl.concat([empty, *parts], how="diagonal_relaxed").with_columns(
        pl.col(c).cast(t) for c, t in jobs.CELL_SCHEMA.items()
    )
    crm_years = crm.window.counts.select("year").unique()  # the years with CRM rows
    return _finalise(cells, crm_years, periods, contracts, kommuner)


def crm_context(full_years: CrmTables, periods: pl.LazyFrame) -> CrmContext:
    """The shared CRM tables in full (:func:`metrics.crm.crm_tables`) and cut to the as-of
    windows of ``periods``."""
    return CrmContext(window=full_years.within(periods), full_years=full_years)


def survey_sums(
    inputs: KpiInputs, groups: Sequence[tuple[Kpi, list[int]]], periods: pl.LazyFrame
) -> SurveySums:
    """The survey KPIs' sums, one grouping per survey (:class:`metrics.surveys.SurveySums`);
    ``groups`` as :func:`group_kpis`."""
    return SurveySums.of(
        {Source.BRUGEREVALUERING: inputs.brugerevaluering, Source.KENDSKAB: inputs.kendskab},
        periods,
        (
            (survey_key(kpi), kpi.spec.source, kpi.spec.terms(kpi.params))
            for kpi, _ in groups
            if kpi.spec.terms is not None
        ),
    )


def job_parts(
    inputs: KpiInputs,
    contracts: Mapping[int, Contract],
    as_of: Mapping[int, Quarter],
    groups: Sequence[tuple[Kpi, list[int]]],
    periods: pl.LazyFrame,
    crm: CrmContext,
    surveys: SurveySums,
) -> list[tuple[Kpi, list[int], pl.LazyFrame]]:
    """Each KPI's cells (grain year × kommune × segment) for the years it is defined alike in
    (``groups`` as :func:`group_kpis`), from :func:`prepared_inputs`, the CRM tables and the
    survey sums."""
    return [
        (
            kpi,
            years,
            kpi.spec.job(
                JobInput(
                    sources=inputs,
                    periods=periods.filter(pl.col("year").is_in(years)),
                    crm=crm.for_years(years),
                    surveys=surveys,
                    contracts=contracts,
                    kpi=kpi,
                    project=any(as_of[y] != Quarter(y, 4) for y in years),
                ),
                kpi.params,
            ),
        )
        for kpi, years in groups
    ]


def prepared_inputs(inputs: KpiInputs) -> KpiInputs:
    """The inputs as the jobs read them: the answers with the year and quarter of their date
    (:func:`metrics.jobs.dated_answers`), and every source cached (many KPIs read the same
    source: each is read once per query, which matters for scanned files)."""
    inputs = replace(inputs, brugerevaluering=jobs.dated_answers(inputs.brugerevaluering))
    return KpiInputs(*(getattr(inputs, f.name).cache() for f in fields(KpiInputs)))


def group_kpis(
    contracts: Mapping[int, Contract], as_of: Mapping[int, Quarter]
) -> list[tuple[Kpi, list[int]]]:
    """KPIs with identical definitions across years are computed once for all those years."""
    groups: dict[tuple[str, str, Params], tuple[Kpi, list[int]]] = {}
    for year in sorted(as_of):
        for kpi in contracts[year].kpis:
            key = (kpi.id, kpi.kind, kpi.params)
            groups.setdefault(key, (kpi, []))[1].append(year)
    return list(groups.values())


def _grid(
    contracts: Mapping[int, Contract], periods: pl.LazyFrame, kommuner: Kommuner
) -> pl.LazyFrame:
    """Every cell that should exist, so a missing group shows as "Afventer data"."""
    rows = []
    for year, contract in contracts.items():
        for kpi in contract.kpis:
            if kpi.cells is Cells.KOMMUNE:
                scopes: list[int | None] = list(kommuner.codes)
            elif kpi.spec.house_level:
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
    if kpi.target is None or kommune is None or not kpi.spec.count:
        return kpi.target
    if isinstance(kpi.params, CountParams) and kpi.params.kommune_target == "funding_share":
        # Whole companies, rounded up: a count reaches its exact share (297,4) exactly when it
        # reaches the next whole number (298), so rounding up changes no status.
        total = sum(kommuner.funding.values())
        return float(math.ceil(round(kpi.target * kommuner.funding[kommune] / total, 6)))
    return None


def _kind_in(rule: Callable[[KindSpec[Any]], bool]) -> pl.Expr:
    """True for the rows whose kind's registry entry follows ``rule``."""
    return pl.col("kind").is_in(sorted(str(k) for k in kinds_where(rule)))


def _finalise(
    cells: pl.LazyFrame,
    crm_years: pl.LazyFrame,
    periods: pl.LazyFrame,
    contracts: Mapping[int, Contract],
    kommuner: Kommuner,
) -> pl.LazyFrame:
    crm_years = crm_years.with_columns(has_crm=pl.lit(True))
    keys = ["year", "kpi", "kommune", "segment"]
    zero_when_no_rows = _kind_in(lambda s: s.zero_when_empty) & pl.col("has_crm")
    suppress = _kind_in(lambda s: s.suppressible) & (pl.col("n").fill_null(0) < pl.col("min_n"))
    by_presence = _kind_in(lambda s: s.presence_status)
    monotonic = _kind_in(lambda s: s.monotonic)
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
            primary=suppress & pl.col("n").fill_null(0).gt(0),
            eligible=_kind_in(lambda s: s.suppressible),
        )
        # secondary suppression: no suppressed cell is a total minus the shown cells
        .pipe(protect_lazy)
        .with_columns(
            suppressed=pl.col("primary") | pl.col("secondary"),
            hide=suppress | pl.col("secondary"),
        )
        .with_columns(
            # a suppressed cell shows neither its value nor its n (nor anything made of them)
            [
                pl.when(pl.col("hide")).then(None).otherwise(pl.col(c)).alias(c)
                for c in ("value", "ci_low", "ci_high", "projected", "numerator")
            ],
            n=pl.when(pl.col("suppressed")).then(None).otherwise(pl.col("n")),
        )
        .with_columns(
            # an interval only where the figure is estimated from a sample (not a census)
            [
                pl.when(_kind_in(lambda s: s.sample)).then(pl.col(c)).otherwise(None).alias(c)
                for c in ("ci_low", "ci_high")
            ]
        )
        .with_columns(
            status=status_expr(
                value=pl.when(by_presence).then(pl.col("numerator")).otherwise(pl.col("value")),
                target=pl.when(by_presence).then(1.0).otherwise(pl.col("target")),
                projected=pl.when(by_presence)
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
