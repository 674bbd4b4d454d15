"""The sidebar filters every page shares: year, status quarter ("pr.") and municipality.

They live in ``st.query_params`` (``?aar=2022&pr=2022Q3&kommune=851``) so a copied link opens
the same view, and in a mirror in Session State so they survive the move to another page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import streamlit as st

from data.errors import PeriodError
from data.periods import Quarter, ended, landing_year
from data.reference import erhvervshus
from data.store import BatchInfo

CONTRACT_YEARS = (2020, 2021, 2022, 2023)
WHOLE_YEAR = 0  # the "pr." choice by the one rule: the whole year, or its last ended quarter
ALL_KOMMUNER = 0  # the "Kommune" choice "Alle kommuner" (None would show as "no choice")


@dataclass(frozen=True, slots=True)
class Filters:
    year: int
    quarter: int  # 0 = as the one rule sees the year, 1–4 = status at the end of that quarter
    kommune: int | None

    @property
    def as_of(self) -> str | None:
        return None if self.quarter == WHOLE_YEAR else str(Quarter(self.year, self.quarter))

    @property
    def scope_label(self) -> str:
        if self.kommune is None:
            return erhvervshus().name
        return f"{erhvervshus().kommune(self.kommune).navn} Kommune"

    def query(self, **extra: str) -> dict[str, str]:
        """The query parameters of this view (for links to other pages)."""
        out = {"aar": str(self.year)}
        if self.as_of:
            out["pr"] = self.as_of
        if self.kommune is not None:
            out["kommune"] = str(self.kommune)
        return out | extra


def _parse_int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip().isdigit() else None


def _parse_quarter(raw: str | None, year: int | None = None) -> int | None:
    """The quarter of ``pr``; None (an invalid link) for a quarter of another year than
    ``year`` (``?aar=2023&pr=2022Q2`` would otherwise show 2023's second quarter)."""
    if not raw:
        return None
    if raw.strip() in ("1", "2", "3", "4"):
        return int(raw)
    try:
        quarter = Quarter.parse(raw)
    except PeriodError:
        return None
    return quarter.q if year is None or quarter.year == year else None


def _write_param(param: str, key: str, empty: Any) -> None:
    value = st.session_state[key]
    st.session_state[f"_keep_{key}"] = value
    if value == empty:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = str(value)
    if param == "aar" and (q := _parse_quarter(st.query_params.get("pr"))) is not None:
        # a new year keeps the chosen quarter, now of that year (not a link to another year)
        st.query_params["pr"] = str(Quarter(int(value), q))


def shared_select(
    label: str,
    options: Sequence[Any],
    *,
    param: str,
    key: str,
    default: Any,
    parse: Callable[[str | None], Any],
    format_func: Callable[[Any], str] = str,
    empty: Any = None,
    where: Any = None,
) -> Any:
    """A selectbox whose value is the query parameter, else the last choice, else ``default``.

    The widget's state is set before it is drawn (no ``index``), and its on-change callback
    writes the query parameter before the rerun reads it again.
    """
    raw = st.query_params.get(param)
    wanted = parse(raw)
    kept = st.session_state.get(f"_keep_{key}", default)
    value = wanted if wanted in options else (kept if kept in options else default)
    if raw and wanted not in options:  # a link to something that does not exist (yet)
        shown = re.sub(r"[^0-9A-Za-zÆØÅæøå]", "", str(raw))[:20]
        st.warning(
            f"Linket angiver {label.lower()} »{shown}«, som ikke findes eller ikke kan vises "
            f"endnu (et kvartal vises først, når det er slut). Der vises {format_func(value)} "
            "i stedet.",
            icon=":material/link_off:",
        )
    st.session_state[key] = value
    st.session_state[f"_keep_{key}"] = value
    container = where if where is not None else st.sidebar
    chosen = container.selectbox(
        label,
        options,
        key=key,
        format_func=format_func,
        on_change=_write_param,
        args=(param, key, empty),
        placeholder="Vælg",
    )
    if chosen == empty:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = str(chosen)
    return chosen


def available_years(batches: Sequence[BatchInfo]) -> list[int]:
    return sorted({b.quarter.year for b in batches} | set(CONTRACT_YEARS))


def quarter_choices(year: int, today: date) -> list[int]:
    """The "Status pr." choices of a year: the default view and every ended quarter."""
    return [WHOLE_YEAR, *(q for q in range(1, 5) if ended(Quarter(year, q), today))]


def default_quarter_label(year: int, today: date) -> str:
    return "Hele året" if ended(Quarter(year, 4), today) else "Seneste afsluttede kvartal"


def sidebar_filters(batches: Sequence[BatchInfo], data_quarters: Collection[Quarter]) -> Filters:
    """Draw the three shared filters in the sidebar and return the chosen view."""
    today = date.today()
    year = year_filter(batches, data_quarters)
    quarter = shared_select(
        "Status pr.",
        quarter_choices(year, today),
        param="pr",
        key="filter_pr",
        default=WHOLE_YEAR,
        parse=lambda raw: _parse_quarter(raw, int(year)),
        format_func=lambda q: (
            default_quarter_label(year, today) if q == WHOLE_YEAR else f"{q}. kvartal"
        ),
        empty=WHOLE_YEAR,
    )
    if quarter != WHOLE_YEAR:  # the parameter carries the year too: 2022Q3
        st.query_params["pr"] = str(Quarter(int(year), int(quarter)))
    house = erhvervshus()
    kommune = shared_select(
        "Kommune",
        [ALL_KOMMUNER, *sorted(house.codes, key=lambda c: house.kommune(c).navn)],
        param="kommune",
        key="filter_kommune",
        default=ALL_KOMMUNER,
        parse=_parse_int,
        format_func=lambda c: "Alle kommuner" if c == ALL_KOMMUNER else house.kommune(c).navn,
        empty=ALL_KOMMUNER,
    )
    return Filters(int(year), int(quarter), None if kommune == ALL_KOMMUNER else int(kommune))


def year_filter(batches: Sequence[BatchInfo], data_quarters: Collection[Quarter]) -> int:
    """Only the year (the director's pages): the same parameter and state as the full filters.

    Without ``aar`` in the link, the current year once an ended quarter of it has data
    (:func:`data.periods.landing_year`)."""
    years = available_years(batches)
    latest_with_data = max((b.quarter.year for b in batches), default=max(CONTRACT_YEARS))
    landing = landing_year(date.today(), data_quarters, latest_with_data)
    st.sidebar.header("Visning")
    year = shared_select(
        "År",
        # Every year up to the latest, so the last complete year is one click away.
        list(range(min(years), max(*years, landing) + 1)),
        param="aar",
        key="filter_aar",
        default=landing,
        parse=_parse_int,
    )
    return int(year)


def show_year(year: int) -> None:
    """Switch the view to ``year`` (the "Se hele 2025" button's callback)."""
    st.query_params["aar"] = str(year)
    st.query_params.pop("pr", None)
    st.session_state["_keep_filter_aar"] = year
    st.session_state["_keep_filter_pr"] = WHOLE_YEAR


def goal_select(goals: Sequence[int], title: Callable[[int], str]) -> int:
    """The goal shown (``?maal=3``), on the page itself: the Mål page and the comments."""
    number = shared_select(
        "Mål",
        list(goals),
        param="maal",
        key="filter_maal",
        default=goals[0],
        parse=lambda raw: int(raw) if raw and raw.isdigit() else None,
        format_func=title,
        where=st,
    )
    return int(number)
