"""Validation rules as data: what is checked, on which column, and the Danish sentence.

Each export kind's module (``forloeb``, ``brugerevaluering``, ``kendskab``, ``indsatser``)
lists its rules with the builders below; :mod:`expectations.validate` turns every rule into
one Great Expectations expectation. Rules that relate two columns or need arithmetic (CVR
modulus 11, Slutdato ≥ Startdato, "blank when Nej") are computed first as boolean helper
columns in Polars and then expected to be true — that keeps each rule one readable sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import polars as pl

from expectations.schema import COLUMNS, Column, Kind


class Check(StrEnum):
    NOT_NULL = "not_null"
    UNIQUE = "unique"
    IN_SET = "in_set"
    NOT_IN_SET = "not_in_set"
    BETWEEN = "between"
    HELPER_TRUE = "helper_true"
    MAX_LENGTH = "max_length"


@dataclass(frozen=True, slots=True)
class StorageLimits:
    """What the storage can hold, by canonical column: text lengths and integer ranges.

    Given by the storage layer (from its schema), so a value too long or too large for the
    database is refused by the rules, identically on every engine.
    """

    lengths: Mapping[str, int] = field(default_factory=dict)
    int_ranges: Mapping[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleParams:
    """What a rule set depends on besides the file: the house, the period, other batches."""

    kommuner: frozenset[int]
    period_start: date
    period_end: date
    existing_ids: frozenset[str] = frozenset()
    maaleaar: int | None = None
    activity_ids: frozenset[str] | None = None
    storage: StorageLimits = StorageLimits()
    #: Code → name of the house's municipalities, so the rule text names them.
    kommune_names: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: ``column`` is the canonical column whose cells are reported.

    For ``HELPER_TRUE`` the expectation runs on ``helper`` (a boolean column added by
    :func:`add_helpers`); the reported value is still the cell of ``column``.
    """

    rule_id: str
    column: str
    check: Check
    message: str
    values: tuple[object, ...] = ()
    min_value: object = None
    max_value: object = None
    strict_min: bool = False
    helper: str | None = None


def da_date(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def column_of(kind: Kind, name: str) -> Column:
    for c in COLUMNS[kind]:
        if c.name == name:
            return c
    raise KeyError(f"{kind}: no column {name!r}")


def required(kind: Kind) -> list[Rule]:
    """Every required column must have a value in every row."""
    return [
        Rule(f"{c.name}.udfyldt", c.name, Check.NOT_NULL, f"'{c.label}' skal udfyldes")
        for c in COLUMNS[kind]
        if c.required
    ]


def unique_id(kind: Kind, name: str, existing_ids: frozenset[str]) -> list[Rule]:
    label = column_of(kind, name).label
    rules = [Rule(f"{name}.unik", name, Check.UNIQUE, f"'{label}' skal være unikt i filen")]
    if existing_ids:
        rules.append(
            Rule(
                f"{name}.findes_allerede",
                name,
                Check.NOT_IN_SET,
                f"'{label}' findes allerede i en anden aktiv indlæsning af samme type",
                values=tuple(sorted(existing_ids)),
            )
        )
    return rules


def _da_int(n: int) -> str:
    return f"{n:,}".replace(",", ".").replace("-", "−")


def storage(kind: Kind, limits: StorageLimits) -> list[Rule]:
    """Every text fits its storage column and every whole number its integer type."""
    found: list[Rule] = []
    for c in COLUMNS[kind]:
        if c.name in limits.lengths:
            n = limits.lengths[c.name]
            found.append(
                Rule(
                    f"{c.name}.længde",
                    c.name,
                    Check.MAX_LENGTH,
                    f"'{c.label}' må højst være {n} tegn lang",
                    max_value=n,
                )
            )
        if c.name in limits.int_ranges:
            low, high = limits.int_ranges[c.name]
            found.append(
                Rule(
                    f"{c.name}.størrelse",
                    c.name,
                    Check.BETWEEN,
                    f"'{c.label}' skal være et helt tal fra {_da_int(low)} til {_da_int(high)}",
                    min_value=low,
                    max_value=high,
                )
            )
    return found


def cvr() -> Rule:
    return Rule(
        "cvr.modulus11",
        "cvr",
        Check.HELPER_TRUE,
        "CVR skal være 8 cifre og bestå modulus 11-kontrollen",
        helper="_cvr_gyldig",
    )


def kommune(kommuner: frozenset[int], names: Mapping[int, str] | None = None) -> Rule:
    """'Kommunekode skal være en af: 773 Morsø, 787 Thisted, …' (names when known)."""
    names = names or {}
    codes = ", ".join(f"{k} {names[k]}" if k in names else str(k) for k in sorted(kommuner))
    return Rule(
        "kommunekode.kommune",
        "kommunekode",
        Check.IN_SET,
        f"Kommunekode skal være en af husets kommuner: {codes}",
        values=tuple(sorted(kommuner)),
    )


def value_set(kind: Kind, name: str) -> Rule:
    c = column_of(kind, name)
    allowed = ", ".join(c.values)
    blank = "" if c.required else " eller tom"
    return Rule(
        f"{name}.værdi",
        name,
        Check.IN_SET,
        f"'{c.label}' skal være en af: {allowed}{blank}",
        values=c.values,
    )


def in_period(kind: Kind, name: str, params: RuleParams) -> Rule:
    label = column_of(kind, name).label
    return Rule(
        f"{name}.periode",
        name,
        Check.BETWEEN,
        f"'{label}' skal ligge i perioden "
        f"{da_date(params.period_start)} – {da_date(params.period_end)}",
        min_value=params.period_start,
        max_value=params.period_end,
    )


def helper_rule(name: str, helper: str, rule_id: str, message: str) -> Rule:
    return Rule(rule_id, name, Check.HELPER_TRUE, message, helper=helper)


_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def _cvr_valid_expr(col: str) -> pl.Expr:
    """Vectorised ``schema.cvr_is_valid``: null stays null (the not-null rule reports it)."""
    c = pl.col(col)
    shape_ok = c.str.contains(r"^[1-9][0-9]{7}$")
    weighted = pl.sum_horizontal(
        c.str.slice(i, 1).cast(pl.Int64, strict=False) * w for i, w in enumerate(_CVR_WEIGHTS)
    )
    ok = (shape_ok & (weighted % 11 == 0)).fill_null(False)
    return pl.when(c.is_null()).then(pl.lit(None, pl.Boolean)).otherwise(ok)


def _blank_unless_yes(answer: str, follow_up: str) -> pl.Expr:
    """The follow-up question is only answered when the first answer is Ja."""
    return ~((pl.col(answer) == False) & pl.col(follow_up).is_not_null())  # noqa: E712


HELPERS: dict[str, pl.Expr] = {
    "_cvr_gyldig": _cvr_valid_expr("cvr"),
    "_slutdato_ok": pl.col("slutdato") >= pl.col("startdato"),
    "_benyttet_ok": _blank_unless_yes("modtaget_henvisning", "benyttet_henvisning"),
    "_groen_ok": _blank_unless_yes("kender_erhvervshuset", "kender_groenne_ydelser"),
}


def add_helpers(frame: pl.DataFrame, rules: list[Rule]) -> pl.DataFrame:
    """Add the boolean helper columns the rules refer to."""
    names = sorted({r.helper for r in rules if r.helper is not None})
    if not names:
        return frame
    return frame.with_columns(HELPERS[n].alias(n) for n in names)
