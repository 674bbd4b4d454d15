"""What the CLI and the dashboard ask of the engine: the KPI table of a year, a municipality's
view, a quarter-by-quarter trend. Builds the engine's inputs from stored data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl

from data.periods import AsOf, Quarter, resolve_as_of
from data.reference import Erhvervshus
from data.store import StoredData
from metrics.contract import Contract, contract_for
from metrics.engine import Kommuner, collect_kpis
from metrics.inputs import KpiInputs
from metrics.kinds import KpiKind
from metrics.registry import kinds_where

JSON_FIELDS = (
    "goal",
    "kpi",
    "segment",
    "kommune",
    "value",
    "n",
    "ci_low",
    "ci_high",
    "target",
    "status",
)


def inputs_of(stored: StoredData) -> KpiInputs:
    return KpiInputs(
        stored.forloeb.lazy(),
        stored.brugerevaluering.lazy(),
        stored.kendskab.lazy(),
        stored.activities.lazy(),
        stored.control_group.lazy(),
    )


def kommuner_of(house: Erhvervshus) -> Kommuner:
    return Kommuner({k.kode: k.basisbevilling for k in house.kommuner})


def data_quarters(stored: StoredData) -> frozenset[Quarter]:
    """The quarters that have uploaded rows (courses started, answers given, measurements)."""
    dates = pl.concat(
        [
            stored.forloeb.select(pl.col("startdato").alias("d")),
            stored.brugerevaluering.select(pl.col("besvarelsesdato").alias("d")),
            stored.kendskab.select(pl.col("maaledato").alias("d")),
        ]
    )
    pairs = dates.drop_nulls().select(y=pl.col("d").dt.year(), q=pl.col("d").dt.quarter()).unique()
    return frozenset(Quarter(int(y), int(q)) for y, q in pairs.iter_rows())


def as_of_of(
    stored: StoredData, year: int, *, today: date, requested: Quarter | None = None
) -> AsOf:
    """How ``year`` is seen with this data on ``today`` (:func:`data.periods.resolve_as_of`)."""
    return resolve_as_of(year, today, data_quarters(stored), requested)


def kpi_cells(
    stored: StoredData,
    house: Erhvervshus,
    *,
    years: Sequence[int],
    as_of: Quarter | None = None,
    today: date | None = None,
) -> pl.DataFrame:
    """Every cell of the given years (:func:`metrics.engine.collect_kpis`). ``as_of`` (an ended quarter) applies to the year it
    belongs to; every other year is seen by :func:`data.periods.resolve_as_of`: whole when
    over, else as of its last ended quarter with data."""
    today = today or date.today()
    present = data_quarters(stored)
    quarters = {y: resolve_as_of(y, today, present).engine_quarter for y in years}
    if as_of is not None:
        quarters[as_of.year] = resolve_as_of(as_of.year, today, present, as_of).engine_quarter
    contracts: dict[int, Contract] = {y: contract_for(y) for y in years}
    return collect_kpis(
        inputs_of(stored),
        contracts,
        as_of=quarters,
        kommuner=kommuner_of(house),
        explicit_as_of=as_of is not None,
    )


def view(cells: pl.DataFrame, *, year: int, kommune: int | None) -> pl.DataFrame:
    """The cells a person sees for a year: the house (``kommune`` None) or one municipality.

    House view: house-level cells plus one cell per municipality for per-municipality KPIs.
    Municipality view: that municipality's cells, plus the house-level checklists and
    control-group figures, which have no municipal breakdown (``kommune`` null: shown as the
    whole house's figures). Coverage (how many municipalities have guided companies) means
    nothing for one municipality and is left out.
    """
    house_level = pl.col("kind").is_in(sorted(kinds_where(lambda s: s.house_level)))
    # a KPI with cells only per municipality (no house row) shows them all in the house view
    per_kommune = ~pl.col("kommune").is_null().any().over("kpi")
    in_year = cells.filter(pl.col("year") == year)
    if kommune is None:
        return in_year.filter(pl.col("kommune").is_null() | per_kommune)
    own = (pl.col("kommune") == kommune) & (pl.col("kind") != str(KpiKind.COVERAGE))
    return in_year.filter(own | house_level)


def json_records(cells: pl.DataFrame) -> list[dict[str, Any]]:
    """The JSON cells of ``erhvervshus kpi --json`` (docs/kpis.md); values and bounds rounded to one decimal as shown."""
    out = cells.select(
        pl.col("goal"),
        pl.col("kpi"),
        pl.col("segment"),
        pl.col("kommune"),
        pl.col("value").round(1, mode="half_away_from_zero"),
        pl.col("n"),
        pl.col("ci_low").round(1, mode="half_away_from_zero"),
        pl.col("ci_high").round(1, mode="half_away_from_zero"),
        pl.col("target"),
        pl.col("status"),
    )
    return out.to_dicts()
