"""Chart data leaves the server rounded as shown (one decimal): the figure JSON a browser
receives holds no more precision than the chart displays."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard import charts
from tests.dashboard.test_charts import SOURCE, cells, figures

DATA_KEYS = ("x", "y", "z", "customdata", "base")


def _numbers(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, list | tuple):
        return [n for v in value for n in _numbers(v)]
    return []


def _sent_numbers(fig: go.Figure) -> list[float]:
    spec = json.loads(fig.to_json())
    found: list[float] = []
    for trace in spec["data"]:
        for key in DATA_KEYS:
            found += _numbers(trace.get(key))
        for bar in ("error_x", "error_y"):
            found += _numbers((trace.get(bar) or {}).get("array"))
            found += _numbers((trace.get(bar) or {}).get("arrayminus"))
    for name, axis in spec["layout"].items():
        if name[1:].startswith("axis") and isinstance(axis, dict):
            found += _numbers(axis.get("range"))
    return found


@pytest.mark.parametrize("fig", figures(), ids=lambda f: f.layout.title.text)
def test_every_number_sent_has_at_most_one_decimal(fig: go.Figure) -> None:
    numbers = _sent_numbers(fig)
    assert numbers, "the figure sends numbers"
    assert [n for n in numbers if round(n, 1) != n] == []


def test_a_share_is_sent_as_shown() -> None:
    share = cells().with_columns(
        pl.Series("value", [131 / 166 * 100, 81.75, 42.0]),
        pl.Series("ci_low", [70.123456, 76.5, 30.0]),
        pl.Series("ci_high", [85.987654, 86.0, 55.0]),
    )
    fig = charts.interval_chart(share, title="Andel", unit="pct", target=80, source=SOURCE)
    sent = fig.to_json()
    assert "78.91" not in sent and "70.12" not in sent and "85.98" not in sent
    assert 78.9 in _sent_numbers(fig)
