"""The source line under a figure: which exports, when last loaded, no nested parentheses."""

from __future__ import annotations

from datetime import datetime

from dashboard.views.figures import chart_source
from data.store import BatchInfo


def _batch(kind: str, day: int) -> BatchInfo:
    return BatchInfo(
        1, kind, "2022Q1", "f.csv", "d@x.dk", datetime(2026, 11, day, 10), 10, "active", "0"
    )


def test_source_names_the_exports_without_nested_parentheses() -> None:
    assert chart_source([], ["forloeb"]) == "Kilde: Erhvervshus Nordjylland – Forløb (CRM)"
    batches = [_batch("forloeb", 20), _batch("brugerevaluering", 27), _batch("kendskab", 28)]
    assert chart_source(batches, ["forloeb", "brugerevaluering"]) == (
        "Kilde: Erhvervshus Nordjylland – Forløb (CRM) og Brugerevaluering, indlæst 27-11-2026"
    )
