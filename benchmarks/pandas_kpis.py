"""The contract KPIs written in idiomatic pandas, as a baseline and a cross-check of the engine.

:func:`compute_kpis_pandas` computes the same cells as ``metrics.engine.compute_kpis`` (every
year × KPI × kommune × segment of the grid) with vectorised ``groupby``/``agg``/``merge`` — no
row loops over the data. It is written independently from the contract and docs/kpis.md, reading
the Polars jobs only for the documented conventions (as-of windows, totals from rows,
suppression below ``min_n`` and secondary suppression against subtraction, intervals only for
sample surveys, zero counts for CRM KPIs of a year with CRM data, the quarter profile
projection of counts, fair-share targets in whole companies rounded up, a status by presence
for Mål 2's municipal share).

:func:`pandas_crosscheck.cross_check` compares its result with the engine's cell by cell.
The pieces: ``pandas_prep`` (inputs, statistics, the shared as-of preparation),
``pandas_kinds`` (one function per KPI kind), ``pandas_disclosure`` (secondary suppression),
this module (grid, suppression, status, the whole table).

Internally the total over all municipalities is kommune ``0`` and "both segments" is segment
``""`` (so merges need no null-key semantics); the result uses nulls like the engine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from pandas_disclosure import secondary_suppression
from pandas_kinds import (
    checklist,
    control_group,
    counts,
    kommune_coverage,
    kommune_share,
    net_promoter_score,
    new_company_share,
    survey_share,
    weighted_share,
)
from pandas_prep import (
    ALL_KOMMUNER,
    ALL_SEGMENTS,
    COUNTS,
    HOUSE_LEVEL,
    KEYS,
    MONOTONIC,
    PRESENCE_STATUS,
    RESULT_COLUMNS,
    SAMPLE,
    SEGMENTS,
    SUPPRESSIBLE,
    ZERO_WHEN_NO_ROWS,
    PandasInputs,
    Prepared,
    param,
)

from data.periods import Quarter
from metrics.contract import Cells, Contract, Kpi, KpiKind
from metrics.engine import Kommuner

# --- the engine ---------------------------------------------------------------------------


def _group_kpis(
    contracts: Mapping[int, Contract], as_of: Mapping[int, Quarter]
) -> list[tuple[Kpi, list[int]]]:
    """KPIs with identical definitions across years are computed once for those years."""
    groups: dict[tuple[str, str, str], tuple[Kpi, list[int]]] = {}
    for year in sorted(as_of):
        for kpi in contracts[year].kpis:
            key = (kpi.id, str(kpi.kind), repr(kpi.params))
            groups.setdefault(key, (kpi, []))[1].append(year)
    return list(groups.values())


def _kpi_cells(
    prep: Prepared, kpi: Kpi, years: list[int], contracts: Mapping[int, Contract]
) -> pd.DataFrame:
    confidence = contracts[years[0]].confidence
    match kpi.kind:
        case KpiKind.SURVEY_SHARE:
            cells = survey_share(prep, kpi, confidence)
        case KpiKind.NPS:
            cells = net_promoter_score(prep, kpi)
        case KpiKind.WEIGHTED_SHARE:
            cells = weighted_share(prep, kpi, confidence)
        case KpiKind.NEW_SHARE:
            cells = new_company_share(prep, kpi, confidence)
        case KpiKind.COVERAGE:
            cells = kommune_coverage(prep)
        case KpiKind.KOMMUNE_SHARE:
            cells = kommune_share(prep)
        case KpiKind.UNIQUE_COUNT | KpiKind.COURSE_COUNT:
            cells = counts(prep, kpi)
        case KpiKind.CHECKLIST:
            cells = checklist(prep, kpi, years, contracts)
        case KpiKind.CONTROL_GROUP:
            cells = control_group(prep, kpi, years)
        case _:  # pragma: no cover
            raise AssertionError(kpi.kind)
    return cells[cells["year"].isin(years)].assign(kpi=kpi.id)


def _target(kpi: Kpi, kommune: int, kommuner: Kommuner) -> float:
    total = kommune == ALL_KOMMUNER
    if kpi.target_all_kommuner:
        return float(len(kommuner.funding)) if total else 1.0
    if kpi.target is None:
        return math.nan
    if total or kpi.kind not in COUNTS:
        return kpi.target
    if param(kpi, "kommune_target", "none") == "funding_share":
        # whole companies, rounded up (after rounding away the float noise of the division)
        share = kpi.target * kommuner.funding[kommune] / sum(kommuner.funding.values())
        return float(math.ceil(round(share, 6)))
    return math.nan


def _grid(
    contracts: Mapping[int, Contract], years: Sequence[int], kommuner: Kommuner
) -> pd.DataFrame:
    codes = sorted(kommuner.funding)
    rows = []
    for year in years:
        contract = contracts[year]
        for kpi in contract.kpis:
            if kpi.cells is Cells.KOMMUNE:
                scopes = codes
            elif kpi.kind in HOUSE_LEVEL:
                scopes = [ALL_KOMMUNER]
            else:
                scopes = [ALL_KOMMUNER, *codes]
            segments = [ALL_SEGMENTS, *SEGMENTS] if kpi.cells is Cells.SEGMENT else [ALL_SEGMENTS]
            rows += [
                (
                    year,
                    kpi.goal,
                    kpi.id,
                    str(kpi.kind),
                    k,
                    s,
                    _target(kpi, k, kommuner),
                    contract.min_n,
                )
                for k in scopes
                for s in segments
            ]
    return pd.DataFrame(
        rows, columns=["year", "goal", "kpi", "kind", "kommune", "segment", "target", "min_n"]
    )


def _names(kinds: set[KpiKind]) -> list[str]:
    return [str(k) for k in kinds]


def _shown(value: pd.Series) -> pd.Series:
    """Rounded to one decimal as shown, halves away from zero (pandas rounds halves to even)."""
    return np.sign(value) * np.floor(value.abs() * 10.0 + 0.5) / 10.0


def _status(
    value: pd.Series,
    target: pd.Series,
    projected: pd.Series,
    year_over: pd.Series,
    monotonic: pd.Series,
) -> pd.Series:
    met = _shown(value) >= target
    return pd.Series(
        np.select(
            [value.isna(), met & (year_over | monotonic), year_over, _shown(projected) >= target],
            ["Afventer data", "Opfyldt", "Ikke opfyldt", "På vej"],
            "I risiko",
        ),
        index=value.index,
    )


def compute_kpis_pandas(
    inputs: PandasInputs,
    contracts: Mapping[int, Contract],
    *,
    as_of: Mapping[int, Quarter],
    kommuner: Kommuner,
    explicit_as_of: bool = False,
) -> pd.DataFrame:
    """Every KPI cell of every year in ``as_of``, like ``metrics.engine.compute_kpis``."""
    prep = Prepared(inputs, as_of, explicit=explicit_as_of)
    groups = _group_kpis(contracts, as_of)
    parts = [_kpi_cells(prep, kpi, years, contracts) for kpi, years in groups]
    cells = pd.concat(parts, ignore_index=True)
    cells = cells.astype({"year": "int64", "kommune": "int64", "segment": "str"})
    grid = _grid(contracts, sorted(as_of), kommuner)
    df = grid.merge(cells, on=KEYS, how="left", validate="one_to_one")

    kind = df["kind"]
    has_crm = df["year"].isin(prep.crm_years)
    zero = kind.isin(_names(ZERO_WHEN_NO_ROWS)) & has_crm
    for col in ("value", "n", "numerator"):
        df[col] = df[col].astype("float64").mask(zero & df[col].isna(), 0.0)
    df["projected"] = df["projected"].fillna(df["value"])

    # Suppression: below min_n answers (primary), then neighbours against subtraction.
    eligible = kind.isin(_names(SUPPRESSIBLE))
    n0 = df["n"].fillna(0)
    below_min_n = eligible & (n0 < df["min_n"])
    df["primary"] = below_min_n & (n0 > 0)
    df["secondary"] = False
    df.loc[eligible, "secondary"] = secondary_suppression(df[eligible])
    df["suppressed"] = df["primary"] | df["secondary"]
    hide = below_min_n | df["secondary"]
    for col in ("value", "ci_low", "ci_high", "projected", "numerator"):
        df[col] = df[col].mask(hide)
    df["n"] = df["n"].mask(df["suppressed"])
    # an interval only where the figure is estimated from a sample (not a census)
    sample = kind.isin(_names(SAMPLE))
    df["ci_low"] = df["ci_low"].where(sample)
    df["ci_high"] = df["ci_high"].where(sample)

    # A kind without a target: its status says whether there is anything (numerator ≥ 1).
    presence = kind.isin(_names(PRESENCE_STATUS))
    df["status"] = _status(
        value=df["numerator"].where(presence, df["value"]),
        target=df["target"].mask(presence, 1.0),
        projected=df["numerator"].where(presence, df["projected"]),
        year_over=df["year"].map(prep.year_over).astype(bool),
        monotonic=kind.isin(_names(MONOTONIC)),
    )
    df["n"] = df["n"].astype("Int64")
    df["kommune"] = df["kommune"].astype("Int64").mask(df["kommune"] == ALL_KOMMUNER)
    df["segment"] = df["segment"].mask(df["segment"] == ALL_SEGMENTS)
    return df[RESULT_COLUMNS].sort_values(
        ["year", "goal", "kpi", "kommune", "segment"], na_position="first", ignore_index=True
    )
