"""Statistics as Polars expressions: Wilson score interval, Kish effective sample size."""

from __future__ import annotations

from statistics import NormalDist

import polars as pl


def z_value(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_bounds(p: pl.Expr, n: pl.Expr, *, confidence: float) -> tuple[pl.Expr, pl.Expr]:
    """Lower and upper Wilson bounds in percent for a proportion ``p`` (0–1) of ``n`` answers.

    ``n`` may be an effective sample size (a float) for weighted shares. Null when n is 0/null.
    """
    z = z_value(confidence)
    z2 = z * z
    n_ = n.cast(pl.Float64)
    denom = 1.0 + z2 / n_
    centre = (p + z2 / (2.0 * n_)) / denom
    half = z * ((p * (1.0 - p) / n_ + z2 / (4.0 * n_ * n_)).sqrt()) / denom
    valid = n_ > 0
    low = pl.when(valid).then(((centre - half).clip(0.0, 1.0)) * 100.0)
    high = pl.when(valid).then(((centre + half).clip(0.0, 1.0)) * 100.0)
    return low, high


def kish_effective_n(weights: pl.Expr, squares: pl.Expr) -> pl.Expr:
    """(Σw)² / Σw² from the sum of the weights and the sum of their squares — equals the count
    when every weight is 1."""
    return weights.pow(2) / squares
