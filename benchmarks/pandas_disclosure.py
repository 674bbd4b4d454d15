"""Secondary suppression of the pandas KPI cells (see ``pandas_kpis``).

The published cells add up: a house cell (kommune ``0``) is the sum of its municipalities, a
both-segments cell (segment ``""``) the sum of drift and vækst. In such a relation a single
hidden cell could be found by subtraction, so more cells are hidden until, in every relation,

- no cell with data is the only hidden one, and
- when the total is shown, the hidden members together have at least ``min_n`` answers and
  their combined value is not at an extreme (0 % or 100 %; NPS −100 or 100).

The next cell to hide is the shown member with the fewest answers (ties: lowest kommune code,
drift before vækst); when no member is left, the total. Cells without data (no answers, or no
value) take no part.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas_prep import ALL_KOMMUNER, ALL_SEGMENTS

_EPS = 1e-9
_TOTAL_LAST = 10.0**15  # the order of a shown total: after every member


def _to_hide(
    df: pd.DataFrame, group: list[str], is_total: pd.Series, tiebreak: pd.Series
) -> pd.Series:
    """The cells to hide next in the relations ``total = Σ members`` grouped by ``group``."""
    has_data = (df["n"] > 0) & df["value"].notna()
    hidden = df["hidden"] & has_data
    member = has_data & ~is_total
    hidden_member = hidden & ~is_total
    parts = pd.DataFrame(
        {
            "hidden": hidden.astype("int64"),
            "members": member.astype("int64"),
            "hidden_n": df["n"].where(hidden_member, 0),
            "hidden_sum": (df["value"] * df["n"]).where(hidden_member, 0.0),
            "total_hidden": hidden & is_total,
            "total_shown": has_data & is_total & ~df["hidden"],
        }
    )
    by = parts.groupby([df[c] for c in group], sort=False)
    sums = by[["hidden", "members", "hidden_n", "hidden_sum"]].transform("sum")
    anys = by[["total_hidden", "total_shown"]].transform("any")

    mean = sums["hidden_sum"] / sums["hidden_n"].where(sums["hidden_n"] > 0)
    low = np.where(df["kind"] == "nps", -100.0, 0.0)
    extreme = (mean <= low + _EPS) | (mean >= 100.0 - _EPS)
    weak_members = (
        anys["total_shown"]
        & ~anys["total_hidden"]
        & (sums["hidden_n"] > 0)
        & ((sums["hidden_n"] < df["min_n"]) | extreme)
    )
    unsafe = (sums["members"] > 0) & ((sums["hidden"] == 1) | weak_members)

    order = pd.Series(
        np.select(
            [member & ~df["hidden"], has_data & is_total & ~df["hidden"]],
            [df["n"] * 10_000 + tiebreak, _TOTAL_LAST],
            np.nan,
        ),
        index=df.index,
    )
    first = order.groupby([df[c] for c in group], sort=False).transform("min")
    return unsafe & (order == first)


def secondary_suppression(cells: pd.DataFrame) -> pd.Series:
    """Which cells are hidden to protect a suppressed one (not suppressed themselves).

    ``cells``: the cells of the suppressible kinds with ``year``, ``kpi``, ``kind``,
    ``kommune``, ``segment``, ``n``, ``value`` (before suppression), ``min_n`` and
    ``primary`` (suppressed below ``min_n``).
    """
    df = cells.assign(n=cells["n"].fillna(0), hidden=cells["primary"])
    segment_order = df["segment"].map({"drift": 0, "vækst": 1}).fillna(0)
    relations = (
        # the house = Σ municipalities, per segment
        (["year", "kpi", "segment"], df["kommune"] == ALL_KOMMUNER, df["kommune"]),
        # both segments = drift + vækst, per municipality (and the house)
        (["year", "kpi", "kommune"], df["segment"] == ALL_SEGMENTS, segment_order),
    )
    changed = True
    while changed:
        changed = False
        for group, is_total, tiebreak in relations:
            pick = _to_hide(df, group, is_total, tiebreak)
            if pick.any():
                df["hidden"] = df["hidden"] | pick
                changed = True
    return df["hidden"] & ~df["primary"]
