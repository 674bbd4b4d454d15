"""Danish number, percent and date formats (babel), and KPI value texts."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from data.periods import AsOf
from metrics.kept_records import CONTROL_GROUP_CRITERIA
from metrics.kinds import Unit

LOCALE = "da_DK"
DANISH_TIME = ZoneInfo("Europe/Copenhagen")
NBSP = "\u00a0"  # between a number and its unit: "42,1 %" never breaks before the "%"
SUPPRESSED = "færre end 5 svar"
SECONDARY = "skjult af diskretionshensyn"  # hidden so that a smaller cell cannot be worked out
NO_DATA = "ingen data"
INTERVAL = f"95{NBSP}%-interval"
# what a suppressed cell had fewer than 5 of (a survey's answers by default)
SUPPRESSED_UNITS = {"weighted_share": "respondenter", "new_share": "vejledte virksomheder"}


def number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return NO_DATA
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    # Round half up (as in Danish reports and in the engine), not babel's half-to-even.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format_decimal(rounded, format=pattern, locale=LOCALE)


def count(n: int, singular: str, plural: str) -> str:
    """'1 problem', '1.234 problemer'."""
    return f"{number(n)} {singular if n == 1 else plural}"


def percent(value: float | None, decimals: int = 1) -> str:
    return NO_DATA if value is None else f"{number(value, decimals)}{NBSP}%"


def day(value: date) -> str:
    """31-12-2022"""
    return value.strftime("%d-%m-%Y")


def long_day(value: date) -> str:
    """31. december 2022"""
    return format_date(value, "d. MMMM y", locale=LOCALE)


def timestamp(value: datetime) -> str:
    """Danish local time: '22-11-2026 kl. 06:44'."""
    return format_datetime(value, "dd-MM-y 'kl.' HH:mm", tzinfo=DANISH_TIME, locale=LOCALE)


def hidden_text(kind: str | None = None, *, secondary: bool = False) -> str:
    """Why a cell shows no value: 'færre end 5 svar' (or respondenter, vejledte virksomheder:
    what the KPI counts), or 'skjult af diskretionshensyn' for a cell hidden so that a
    suppressed one cannot be worked out by subtraction."""
    if secondary:
        return SECONDARY
    return f"færre end 5 {SUPPRESSED_UNITS.get(kind or '', 'svar')}"


def kpi_value(
    value: float | None,
    unit: str,
    *,
    suppressed: bool = False,
    kind: str | None = None,
    secondary: bool = False,
) -> str:
    """A KPI value as shown: '74,2 %', 'NPS 71,5', '1.234', '11 kommuner'."""
    if suppressed:
        return hidden_text(kind, secondary=secondary)
    if value is None:
        return NO_DATA
    if unit == Unit.PCT:
        return percent(value)
    if unit == Unit.NPS:
        return number(value, 1)
    if unit == Unit.KOMMUNER:
        return f"{number(value)} {'kommune' if value == 1 else 'kommuner'}"
    if unit == "kriterier":
        return f"{criteria_met(value)} af {CONTROL_GROUP_CRITERIA} kriterier opfyldt"
    return number(value)


def cell_value(cell: Mapping[str, Any], unit: str) -> str:
    """A KPI cell's value as shown, with the right words when it is hidden."""
    return kpi_value(
        cell.get("value"),
        unit,
        suppressed=bool(cell.get("suppressed")),
        kind=cell.get("kind"),
        secondary=bool(cell.get("secondary")),
    )


def interval(low: float | None, high: float | None) -> str:
    """'37,6–96,4'; '' without an interval."""
    if low is None or high is None:
        return ""
    return f"{number(low, 1)}–{number(high, 1)}"


def criteria_count(percent_met: float) -> str:
    """'1 af 3' (Mål 6's criteria, short enough for a headline figure)."""
    return f"{criteria_met(percent_met)} af {CONTROL_GROUP_CRITERIA}"


def criteria_met(percent_met: float) -> int:
    """Mål 6's value is the percent of the criteria met (as in ``kpi --json``); shown as a
    count, so 33,3 % never reads as 33 % extra growth."""
    return round(percent_met * CONTROL_GROUP_CRITERIA / 100)


def target_text(target: float | None, unit: str) -> str:
    if target is None:
        return "intet mål"
    if unit == Unit.PCT:
        return f"≥ {percent(target, 0 if target == int(target) else 1)}"
    if unit == Unit.KOMMUNER:
        return f"alle ({number(target)})"
    if unit == "kriterier":
        met = criteria_met(target)
        whole = f"alle {CONTROL_GROUP_CRITERIA} kriterier"
        return whole if met == CONTROL_GROUP_CRITERIA else f"≥ {met} kriterier"
    return f"≥ {number(target, 0 if target == int(target) else 1)}"


def terminal_text(text: str, *, keep_newlines: bool = False) -> str:
    """Stored or uploaded text made safe to print on a terminal: escape codes, other control
    and bidirectional-format characters removed, line breaks and tabs shown as spaces (kept
    as line breaks with ``keep_newlines``), so a file name cannot clear the screen, recolour
    the output or break a table's row."""
    out: list[str] = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\t\n\r\u2028\u2029":
            out.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf"):
            out.append(ch)
    return "".join(out)


def as_of_text(as_of: AsOf) -> str:
    """The "status pr." text of a view, one for pages, report and CLI:
    '31. december 2025 (hele 2025)', '30. september 2026 (3. kvartal 2026; året er ikke slut)'."""
    if as_of.end is None:
        return f"– ({as_of.label})"
    running = "" if as_of.year_over else "; året er ikke slut"
    return f"{long_day(as_of.end)} ({as_of.label}{running})"
