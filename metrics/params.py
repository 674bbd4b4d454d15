"""The formula parameters of each KPI kind as frozen, typed objects, and their parser.

A contract file's ``[goals.kpis.params]`` table is read into the kind's parameter class (see
:mod:`metrics.registry`). The field types are the rules: ``tuple[...]`` wants a list, ``int``
a whole number, ``Literal`` one of the named words, ``X | None`` may be left out. Unknown keys,
wrong types and missing keys are refused with a Danish message naming the key.

Field metadata says what a value must refer to: ``COLUMN`` a column of the kind's source,
``ACTIVITIES`` activity ids of the goal, ``NON_EMPTY`` a list with at least one element.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

Scalar = str | int | float | bool
COLUMN = {"column": True}
ACTIVITIES = {"activities": True, "non_empty": True}
NON_EMPTY = {"non_empty": True}


class ParamProblem(Exception):
    """A parameter that is not right: the key and the Danish text of the problem."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True, slots=True, kw_only=True)
class Params:
    """Base of every kind's parameters. :meth:`check` holds rules across fields."""

    def check(self) -> None:
        """Raise :class:`ParamProblem` when the values do not fit together."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NoParams(Params):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyShareParams(Params):
    column: str = field(metadata=COLUMN)
    positive: tuple[Scalar, ...] = field(metadata=NON_EMPTY)  # the answers counted
    excluded: tuple[str, ...] = ()  # answers left out of the denominator ("Ved ikke")
    filter_column: str | None = field(default=None, metadata=COLUMN)
    filter_value: Scalar | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NpsParams(Params):
    column: str = field(metadata=COLUMN)
    promoter_min: int
    detractor_max: int

    def check(self) -> None:
        if not 0 <= self.detractor_max < self.promoter_min <= 10:
            raise ParamProblem(
                "promoter_min",
                "NPS-grænserne skal opfylde 0 ≤ detractor_max < promoter_min ≤ 10.",
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class WeightedShareParams(Params):
    column: str = field(metadata=COLUMN)
    filter_column: str | None = field(default=None, metadata=COLUMN)
    filter_value: Scalar | None = None
    weight_column: str | None = field(default=None, metadata=COLUMN)


@dataclass(frozen=True, slots=True, kw_only=True)
class NewShareParams(Params):
    lookback_years: int

    def check(self) -> None:
        if self.lookback_years < 1:
            raise ParamProblem("lookback_years", "skal være mindst 1.")


@dataclass(frozen=True, slots=True, kw_only=True)
class KommuneShareParams(Params):
    fair_share_warning_ratio: float = 0.5  # below this ratio: marked as far below its share


@dataclass(frozen=True, slots=True, kw_only=True)
class CountParams(Params):
    # "funding_share": each municipality's target is the house target × its funding share
    kommune_target: Literal["none", "funding_share"] = "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseCountParams(CountParams):
    categories: tuple[str, ...] = field(metadata=NON_EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChecklistParams(Params):
    activities: tuple[str, ...] = field(metadata=ACTIVITIES)


@dataclass(frozen=True, slots=True, kw_only=True)
class ControlGroupParams(Params):
    revenue_pp_min: float  # revenue growth over the control group, percentage points
    employment_pp_min: float  # employment growth over the control group, percentage points
    productivity_min: float  # the productivity effect must exceed this


# --- parsing -----------------------------------------------------------------------------------


_SCALAR_ARMS = frozenset(get_args(Scalar))
_WORDS = {str: "tekst", int: "et heltal", float: "et tal", bool: "sand/falsk (true/false)"}
_PLURALS = {str: "tekster", int: "heltal", float: "tal", bool: "sand/falsk-værdier"}


def _type_word(tp: Any, *, plural: bool = False) -> str:
    """A type as Danish words for the messages ("en liste af tekster")."""
    origin = get_origin(tp)
    if origin is tuple:
        return f"en liste af {_type_word(get_args(tp)[0], plural=True)}"
    if origin is Literal:
        return "en af " + ", ".join(f"'{a}'" for a in get_args(tp))
    if origin in (Union, types.UnionType):
        arms = [a for a in get_args(tp) if a is not type(None)]
        if set(arms) == _SCALAR_ARMS:
            return ("værdier" if plural else "en værdi") + " (tekst, tal eller sand/falsk)"
        return " eller ".join(_type_word(a, plural=plural) for a in arms)
    return (_PLURALS if plural else _WORDS).get(tp, str(tp))


def _value_word(value: Any) -> str:
    if isinstance(value, bool):
        return f"sand/falsk ({str(value).lower()})"
    if isinstance(value, str):
        return f"tekst ('{value}')"
    if isinstance(value, int):
        return f"et heltal ({value})"
    if isinstance(value, float):
        return f"et tal ({value})"
    if isinstance(value, list):
        return f"en liste ({value})"
    if isinstance(value, dict):
        return "en tabel"
    return f"'{value}'"


P = TypeVar("P", bound=Params)


class _Mismatch(Exception):
    pass


def _coerce(value: Any, tp: Any) -> Any:
    """``value`` as type ``tp``, or :class:`_Mismatch`."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        for arm in get_args(tp):
            try:
                return _coerce(value, arm)
            except _Mismatch:
                continue
        raise _Mismatch
    if origin is tuple:
        if not isinstance(value, list):
            raise _Mismatch
        return tuple(_coerce(v, get_args(tp)[0]) for v in value)
    if origin is Literal:
        if value in get_args(tp) and isinstance(value, str):
            return value
        raise _Mismatch
    if tp is type(None) and value is None:
        return None
    if tp is bool and isinstance(value, bool):
        return value
    if tp is str and isinstance(value, str):
        return value
    if tp is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if tp is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if tp not in (str, int, float, bool, type(None)):
        raise TypeError(f"a parameter class declares a type the parser does not read: {tp}")
    raise _Mismatch


def parse_params(
    cls: type[P],
    raw: Mapping[str, Any],
    *,
    kind: str,
    columns: frozenset[str] | None,
    source_name: str = "kilden",
) -> P:
    """Read ``raw`` into ``cls``. ``columns`` are the columns of the kind's source
    (``source_name`` in the messages); None: columns are not checked."""
    hints = get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    for key in raw:
        if key not in known:
            names = ", ".join(known) or "ingen"
            raise ParamProblem(key, f"ukendt parameter for typen '{kind}' (typen kender: {names}).")
    values: dict[str, Any] = {}
    for name, f in known.items():
        if name not in raw:
            if f.default is MISSING:
                raise ParamProblem(name, f"parameteren mangler for typen '{kind}'.")
            continue
        value = raw[name]
        try:
            values[name] = _coerce(value, hints[name])
        except _Mismatch:
            raise ParamProblem(
                name, f"skal være {_type_word(hints[name])}, ikke {_value_word(value)}."
            ) from None
        if f.metadata.get("non_empty") and not values[name]:
            raise ParamProblem(name, "listen må ikke være tom.")
        if f.metadata.get("column") and columns is not None and value not in columns:
            raise ParamProblem(name, f"kolonnen '{value}' findes ikke i {source_name}.")
    params = cls(**values)
    params.check()
    return params


def activity_fields(params: Params) -> dict[str, tuple[str, ...]]:
    """The fields of ``params`` that name activity ids of the goal, with their values."""
    return {f.name: getattr(params, f.name) for f in fields(params) if f.metadata.get("activities")}
