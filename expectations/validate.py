"""Validate a typed frame of one export kind with Great Expectations → our own report.

Great Expectations is imported lazily (≈3.5 s) inside :func:`validate`; analytics and
progress bars are switched off. The frame must hold the canonical columns in their dtypes
(see :mod:`expectations.schema`) and an integer ``row_number`` column: the row as the
person sees it in the file, which is what the report names.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import polars as pl

from expectations import brugerevaluering, forloeb, indsatser, kendskab
from expectations import rules as r
from expectations.report import MAX_LISTED_PROBLEMS, CellProblem, ValidationReport
from expectations.rules import Check, Rule, RuleParams, StorageLimits, add_helpers, column_of
from expectations.schema import Kind

ROW_NUMBER = "row_number"

SUITES: dict[Kind, Callable[[RuleParams], list[Rule]]] = {
    Kind.FORLOEB: forloeb.rules,
    Kind.BRUGEREVALUERING: brugerevaluering.rules,
    Kind.KENDSKAB: kendskab.rules,
    Kind.INDSATSER: indsatser.rules,
}


def rules_for(kind: Kind, params: RuleParams) -> list[Rule]:
    """The rules of one kind's suite for the given period and house, and what storage holds."""
    return [*SUITES[kind](params), *r.storage(kind, params.storage)]


def validate(
    frame: pl.DataFrame,
    kind: Kind,
    *,
    kommuner: frozenset[int],
    period_start: date,
    period_end: date,
    existing_ids: frozenset[str] = frozenset(),
    maaleaar: int | None = None,
    activity_ids: frozenset[str] | None = None,
    source_text: pl.DataFrame | None = None,
    storage: StorageLimits | None = None,
    kommune_names: Mapping[int, str] | None = None,
) -> ValidationReport:
    """Check every rule of ``kind`` on ``frame`` and name each failing cell.

    ``source_text`` (optional) is the same rows as read, all text, keyed by ``row_number``;
    when given, the report quotes the cell as written in the file instead of the typed value.
    ``storage`` holds the storage columns' text lengths and integer ranges. Each rule lists
    at most the first :data:`MAX_LISTED_PROBLEMS` failing cells; its count is complete.
    """
    params = RuleParams(
        kommuner=kommuner,
        period_start=period_start,
        period_end=period_end,
        existing_ids=existing_ids,
        maaleaar=maaleaar,
        activity_ids=activity_ids,
        storage=storage or StorageLimits(),
        kommune_names=kommune_names or {},
    )
    rules = rules_for(kind, params)
    if frame.height == 0:
        return ValidationReport.from_problems([], rows_read=0)
    checked = add_helpers(frame, rules)
    failing, counts = _run_gx(checked, rules)
    values = _ValueLookup(frame, source_text)
    problems = [
        CellProblem(
            rule_id=rule.rule_id,
            rule=rule.message,
            row=row,
            column=column_of(kind, rule.column).label,
            value=values.get(rule.column, row),
        )
        for rule, rows in zip(rules, failing, strict=True)
        for row in rows
    ]
    return ValidationReport.from_problems(problems, rows_read=frame.height, counts=counts)


def _run_gx(frame: pl.DataFrame, rules: list[Rule]) -> tuple[list[list[int]], dict[str, int]]:
    """Validate with one GX suite; for each rule, the first failing row numbers, and the
    complete count of failing rows per rule id."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("upload").add_dataframe_asset("frame")
    batch_definition = asset.add_batch_definition_whole_dataframe("whole")
    batch = batch_definition.get_batch(batch_parameters={"dataframe": _to_pandas(frame)})
    suite = context.suites.add(gx.ExpectationSuite(name="upload"))
    for i, rule in enumerate(rules):
        suite.add_expectation(_expectation(gx, rule, meta={"rule_index": i}))
    result = batch.validate(
        suite,
        result_format={
            "result_format": "SUMMARY",
            "partial_unexpected_count": MAX_LISTED_PROBLEMS,
            "unexpected_index_column_names": [ROW_NUMBER],
        },
    )
    failing: list[list[int]] = [[] for _ in rules]
    counts: dict[str, int] = {}
    for res in result.results:
        if res.exception_info.get("raised_exception"):
            if "MemoryError" in str(res.exception_info):  # GX turns it into a result
                raise MemoryError(str(res.exception_info))
            raise RuntimeError(f"Great Expectations failed: {res.exception_info}")
        config = res.expectation_config
        if config is None or not config.meta:
            raise RuntimeError("Great Expectations returned a result without its expectation")
        index = int(config.meta["rule_index"])
        rows = res.result.get("partial_unexpected_index_list") or []
        failing[index] = sorted(int(entry[ROW_NUMBER]) for entry in rows)
        rule_id = rules[index].rule_id
        counts[rule_id] = counts.get(rule_id, 0) + int(res.result.get("unexpected_count") or 0)
    return failing, counts


def _to_pandas(frame: pl.DataFrame) -> Any:
    # Dates become datetime64 in pandas; compare them with datetimes (see _expectation).
    # In nanoseconds: GX compares only datetime64[ns] columns vectorised; pandas 3 makes
    # dates datetime64[ms], which GX compares value by value (≈1 s per 100k rows).
    dates = [name for name, dtype in frame.schema.items() if dtype == pl.Date]
    return frame.with_columns(pl.col(dates).cast(pl.Datetime("ns"))).to_pandas()


def _expectation(gx: Any, rule: Rule, meta: dict[str, Any]) -> Any:
    e = gx.expectations
    col = rule.helper if rule.check is Check.HELPER_TRUE else rule.column
    match rule.check:
        case Check.NOT_NULL:
            return e.ExpectColumnValuesToNotBeNull(column=col, meta=meta)
        case Check.UNIQUE:
            return e.ExpectColumnValuesToBeUnique(column=col, meta=meta)
        case Check.IN_SET:
            return e.ExpectColumnValuesToBeInSet(column=col, value_set=list(rule.values), meta=meta)
        case Check.NOT_IN_SET:
            return e.ExpectColumnValuesToNotBeInSet(
                column=col, value_set=list(rule.values), meta=meta
            )
        case Check.BETWEEN:
            return e.ExpectColumnValuesToBeBetween(
                column=col,
                min_value=_bound(rule.min_value),
                max_value=_bound(rule.max_value),
                strict_min=rule.strict_min,
                meta=meta,
            )
        case Check.HELPER_TRUE:
            return e.ExpectColumnValuesToBeInSet(column=col, value_set=[True], meta=meta)
        case Check.MAX_LENGTH:
            return e.ExpectColumnValueLengthsToBeBetween(
                column=col, max_value=rule.max_value, meta=meta
            )


def _bound(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


class _ValueLookup:
    """The text to quote for a cell: as written in the file when known, else the typed value."""

    def __init__(self, typed: pl.DataFrame, source_text: pl.DataFrame | None) -> None:
        self._typed = typed
        self._source = source_text
        self._cache: dict[str, dict[int, str]] = {}

    def get(self, column: str, row: int) -> str:
        if column not in self._cache:
            self._cache[column] = self._build(column)
        return self._cache[column].get(row, "")

    def _build(self, column: str) -> dict[int, str]:
        if self._source is not None and column in self._source.columns:
            pairs = self._source.select(ROW_NUMBER, column).rows()
            return {int(n): ("" if v is None else str(v)) for n, v in pairs}
        pairs = self._typed.select(ROW_NUMBER, column).rows()
        return {int(n): format_value(v) for n, v in pairs}


def format_value(value: object) -> str:
    """A typed value as a Danish reader would write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def preload() -> None:
    """Import Great Expectations now (≈3,5 s), e.g. when a worker process starts."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations  # noqa: F401
