"""Cross-check of the pandas KPIs against the Polars engine, cell by cell.

Run it to cross-check at one size: ``python benchmarks/pandas_crosscheck.py [--size 10000]
[--as-of-last 2023Q2]``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import pandas as pd
import polars as pl
import synthetic
from pandas_kpis import compute_kpis_pandas
from pandas_prep import KEYS, from_polars

from data.periods import Quarter
from data.reference import erhvervshus
from metrics.contract import contract_for
from metrics.engine import Kommuner, collect_kpis, inputs_from_frames

# --- cross-check against the Polars engine ------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckReport:
    cells: int
    matching: dict[str, int]
    mismatching: dict[str, int]
    only_polars: int
    only_pandas: int
    secondary: int  # cells the engine hides by secondary suppression (the rule is exercised)
    examples: pl.DataFrame

    def ok(self, column: str = "value") -> bool:
        return self.mismatching[column] == 0 and self.only_polars == self.only_pandas == 0

    def clean(self) -> bool:
        """Every compared column matches in every cell, and both have the same cells."""
        return all(self.ok(column) for column in self.mismatching)


def _same(a: pl.Expr, b: pl.Expr, tol: float) -> pl.Expr:
    """Equal within ``tol``; null equals null; NaN equals only NaN (so a NaN is reported)."""
    return (
        pl.when(a.is_null() | b.is_null())
        .then(a.is_null() & b.is_null())
        .when(a.is_nan() | b.is_nan())
        .then(a.is_nan() & b.is_nan())
        .otherwise((a - b).abs() <= tol)
    )


def cross_check(
    polars_result: pl.DataFrame, pandas_result: pd.DataFrame, *, tol: float = 1e-9
) -> CheckReport:
    """Compare the cells of both results on year × kpi × kommune × segment."""
    pd_pl = pl.from_pandas(pandas_result).with_columns(
        pl.col("year").cast(pl.Int32),
        pl.col("kommune").cast(pl.Int32),
        pl.col("n").cast(pl.Int64),
        pl.col("suppressed").cast(pl.Boolean),
        pl.col("secondary").cast(pl.Boolean),
    )
    numeric = ["value", "n", "ci_low", "ci_high", "projected", "numerator", "target"]
    other = ["status", "suppressed", "secondary"]
    left = polars_result.select(KEYS + numeric + other)
    right = pd_pl.select(KEYS + numeric + other)
    both = left.join(right, on=KEYS, how="inner", nulls_equal=True, suffix="_pd")
    only_polars = left.join(right, on=KEYS, how="anti", nulls_equal=True).height
    only_pandas = right.join(left, on=KEYS, how="anti", nulls_equal=True).height
    flags = [
        _same(pl.col(c).cast(pl.Float64), pl.col(f"{c}_pd").cast(pl.Float64), tol).alias(c)
        for c in numeric
    ] + [pl.col(c).eq_missing(pl.col(f"{c}_pd")).alias(c) for c in other]
    ok = both.select(flags)
    matching = {c: int(ok[c].sum()) for c in ok.columns}
    mismatching = {c: both.height - matching[c] for c in ok.columns}
    examples = pl.concat([both, ok.rename(lambda c: f"ok_{c}")], how="horizontal").filter(
        pl.any_horizontal([~pl.col(f"ok_{c}") for c in ok.columns])
    )
    secondary = int(polars_result["secondary"].sum())
    return CheckReport(
        both.height, matching, mismatching, only_polars, only_pandas, secondary, examples
    )


def print_report(report: CheckReport) -> None:
    print(
        f"cross-check on {report.cells} common cells "
        f"(only in Polars: {report.only_polars}, only in pandas: {report.only_pandas}; "
        f"{report.secondary} hidden by secondary suppression)"
    )
    for col in report.matching:
        print(
            f"  {col:<11} matching {report.matching[col]:>5}   "
            f"mismatching {report.mismatching[col]:>5}"
        )
    if report.examples.height:
        with pl.Config(tbl_rows=30, tbl_cols=12, tbl_width_chars=220):
            cols = [
                "year",
                "kpi",
                "kommune",
                "segment",
                "value",
                "value_pd",
                "ci_low",
                "ci_low_pd",
                "projected",
                "projected_pd",
                "status",
                "status_pd",
            ]
            print(report.examples.select(cols))


def run_cross_check(
    size: int, *, as_of_last: Quarter | None = None, seed: int = 20240601
) -> CheckReport:
    """Generate ``size`` courses, run both engines in memory and compare the cells."""
    data = synthetic.generate(size, seed=seed)
    years = synthetic.YEARS
    contracts = {y: contract_for(y) for y in years}
    as_of = {y: Quarter(y, 4) for y in years}
    if as_of_last is not None:
        as_of[years[-1]] = as_of_last
    kommuner = Kommuner(funding={k.kode: k.basisbevilling for k in erhvervshus().kommuner})
    frames = list(data.frames().values())
    polars_result = collect_kpis(
        inputs_from_frames(frames), contracts, as_of=as_of, kommuner=kommuner
    )
    pandas_result = compute_kpis_pandas(
        from_polars(data.frames()), contracts, as_of=as_of, kommuner=kommuner
    )
    return cross_check(polars_result, pandas_result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument(
        "--as-of-last",
        default=None,
        help="as-of quarter of the last year, e.g. 2023Q2 (default Q4)",
    )
    args = parser.parse_args()
    last = Quarter.parse(args.as_of_last) if args.as_of_last else None
    print_report(run_cross_check(args.size, as_of_last=last))


if __name__ == "__main__":
    main()
