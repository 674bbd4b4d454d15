"""The pandas reference of the KPI benchmark computes exactly what the engine computes.

``benchmarks/pandas_kpis.py`` is the baseline of "faster than pandas": when the engine learns a
rule (suppression, targets, intervals, status) the pandas version must learn it too, or the
benchmark compares against less work. This cross-checks every cell on a small synthetic set,
for whole years and for a running year.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# benchmarks/ is not a package: its scripts import each other as top-level modules.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import pandas_crosscheck

from data.periods import Quarter


@pytest.mark.parametrize("as_of_last", [None, Quarter(2023, 2)], ids=["Q4", "2023Q2"])
def test_pandas_reference_matches_the_engine_in_every_cell(as_of_last: Quarter | None) -> None:
    report = pandas_crosscheck.run_cross_check(3_000, as_of_last=as_of_last)
    assert report.cells > 0
    assert report.secondary > 0, "the data should exercise secondary suppression"
    assert report.only_polars == report.only_pandas == 0
    mismatching = {c: k for c, k in report.mismatching.items() if k}
    assert not mismatching, f"{mismatching}\n{report.examples.head(10)}"
    assert report.clean()
