"""Discretion that holds against subtraction: secondary suppression of KPI cells.

A cell of a suppressible kind (survey answers, awareness respondents, CRM shares) with fewer than
the contract's ``min_n`` is suppressed (*primary*). The published cells are additive: the
house's figure is the sum of the municipalities' figures (answers n and value × n), and a
segment-split cell's "all" figure is the sum of its drift and vækst figures. Where one relation
``total = Σ members`` has exactly one hidden cell, that cell is the total minus the others: so
further cells are hidden (*secondary*) until, in every relation,

- no cell is the only hidden one, and
- when the total is shown, the hidden members together have at least ``min_n`` answers and do
  not all answer alike (their combined value is not 0 % or 100 %, NPS not ±100), so their sum
  tells nothing about any one of them.

The cell hidden next is the shown member with the fewest answers (ties: the lowest kommunekode,
drift before vækst), which loses the least information; when no member is left, the total.
This is the standard method of statistical offices for frequency tables with margins (the
"hypercube"-style heuristic on two dimensions: municipality × segment). The rule is applied
by the engine, so pages, charts, CLI and every export file show the same cells.
"""

from __future__ import annotations

import polars as pl

SEGMENT_ORDER = {"drift": 0, "vækst": 1}
# value × n of a cell; its combined value is at an extreme when everyone answered alike.
_EPS = 1e-9


def _relation(
    df: pl.DataFrame, *, group: list[str], is_total: pl.Expr, tiebreak: pl.Expr
) -> pl.Series:
    """The cells to hide next in the relations ``total = Σ members`` grouped by ``group``."""
    eligible = pl.col("eligible")
    # a cell without a value (no answers, or no year before to compare with) reveals nothing
    has_data = eligible & (pl.col("n").fill_null(0) > 0) & pl.col("value").is_not_null()
    hidden = pl.col("hidden") & has_data
    member = has_data & ~is_total
    hidden_member = hidden & ~is_total
    g = group
    hidden_count = hidden.cast(pl.Int64).sum().over(g)
    members = member.cast(pl.Int64).sum().over(g)
    total_hidden = (hidden & is_total).any().over(g)
    total_shown = (has_data & is_total & ~pl.col("hidden")).any().over(g)
    hidden_n = pl.when(hidden_member).then(pl.col("n")).otherwise(0).sum().over(g)
    hidden_sum = (
        (pl.when(hidden_member).then(pl.col("value").fill_null(0) * pl.col("n")).otherwise(0.0))
        .sum()
        .over(g)
    )
    mean = hidden_sum / pl.when(hidden_n > 0).then(hidden_n).otherwise(None)
    low = pl.when(pl.col("unit") == "nps").then(-100.0).otherwise(0.0)
    extreme = (mean <= low + _EPS) | (mean >= 100.0 - _EPS)
    weak_members = (
        total_shown
        & ~total_hidden
        & (hidden_n > 0)
        & ((hidden_n < pl.col("min_n")) | extreme.fill_null(False))
    )
    unsafe = (members > 0) & ((hidden_count == 1) | weak_members)
    order = (
        pl.when(member & ~pl.col("hidden"))
        .then(pl.col("n").cast(pl.Int64) * 10_000 + tiebreak)
        .when(has_data & is_total & ~pl.col("hidden"))
        .then(pl.lit(10**15, pl.Int64))
        .otherwise(None)
    )
    pick = unsafe & (order == order.min().over(g))
    return df.select(pick.fill_null(False).alias("pick"))["pick"]


def protect(cells: pl.DataFrame) -> pl.DataFrame:
    """Add ``secondary`` (hidden to protect a suppressed cell) to cells that carry ``primary``
    (suppressed below ``min_n``), ``eligible`` (a suppressible kind), ``year``, ``kpi``,
    ``kommune``, ``segment``, ``n``, ``value`` (before suppression), ``unit`` and ``min_n``.

    Only the KPIs of a year with a suppressed cell are worked on: a relation without a hidden
    cell is safe as it is, and the cells hidden next are always in a relation with one. Most
    queries have none, and then nothing is computed at all."""
    hidden = pl.col("primary") & pl.col("eligible")
    rows = cells.with_row_index("_row").filter(hidden.any().over("year", "kpi"))
    secondary = pl.Series("secondary", [False] * cells.height, dtype=pl.Boolean)
    if rows.height:
        worked = _protected(rows.with_columns(hidden=hidden))
        secondary = secondary.scatter(worked["_row"], worked["secondary"])
    return cells.with_columns(secondary)


def _protected(df: pl.DataFrame) -> pl.DataFrame:
    """:func:`protect` on cells with ``hidden`` (the primary suppressions) set."""
    kommune_order = pl.col("kommune").fill_null(0).cast(pl.Int64)
    segment_order = (
        pl.col("segment")
        .replace_strict(SEGMENT_ORDER, default=0, return_dtype=pl.Int64)
        .fill_null(0)
    )
    # (group, total of the group, order among equally small members)
    relations = (
        (["year", "kpi", "segment"], pl.col("kommune").is_null(), kommune_order),
        (["year", "kpi", "kommune"], pl.col("segment").is_null(), segment_order),
    )
    changed = True
    while changed:
        changed = False
        for group, is_total, tiebreak in relations:
            pick = _relation(df, group=group, is_total=is_total, tiebreak=tiebreak)
            if pick.any():
                df = df.with_columns(hidden=pl.col("hidden") | pick)
                changed = True
    return df.with_columns(secondary=pl.col("hidden") & ~pl.col("primary")).drop("hidden")


def protect_lazy(cells: pl.LazyFrame) -> pl.LazyFrame:
    """:func:`protect` inside a lazy query (run on the whole frame when it is collected).

    ``secondary`` is added first and :func:`protect` sets it, so the query keeps its schema
    and building it needs no resolution of the (large) plan's schema."""
    return cells.with_columns(secondary=pl.lit(False)).map_batches(protect)
