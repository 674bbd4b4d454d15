"""Status of a KPI cell for a year (docs/kpis.md, "Status") and its icon/word, as Polars expressions.

- ``Afventer data``: no value (no data, or suppressed because n < min_n);
- ``Opfyldt``: the value meets the target — at once for counts and checklists (they cannot go
  down), only when the year is over for shares and scores (they can still move);
- ``Ikke opfyldt``: the year is over and the target is missed;
- ``På vej`` / ``I risiko``: the year is not over and the projection meets / misses the target.

Values are compared as shown (rounded to one decimal), so "80,0 %" is never "Ikke opfyldt".
"""

from __future__ import annotations

from enum import StrEnum

import polars as pl


class KpiStatus(StrEnum):
    """The status words, in the order they are listed; the value is what is stored and shown."""

    OPFYLDT = "Opfyldt"
    PAA_VEJ = "På vej"
    I_RISIKO = "I risiko"
    IKKE_OPFYLDT = "Ikke opfyldt"
    AFVENTER = "Afventer data"


# Icon and word always go together; colour is only a third signal (colour-blind-safe palette).
STATUS_ICONS: dict[str, str] = {
    KpiStatus.OPFYLDT: "✔",
    KpiStatus.PAA_VEJ: "➚",
    KpiStatus.I_RISIKO: "⚠",
    KpiStatus.IKKE_OPFYLDT: "✖",
    KpiStatus.AFVENTER: "…",
}
STATUS_COLOURS: dict[str, str] = {
    KpiStatus.OPFYLDT: "#1b7837",
    KpiStatus.PAA_VEJ: "#4393c3",
    KpiStatus.I_RISIKO: "#e08214",
    KpiStatus.IKKE_OPFYLDT: "#b2182b",
    KpiStatus.AFVENTER: "#878787",
}


def status_expr(
    *,
    value: pl.Expr,
    target: pl.Expr,
    projected: pl.Expr,
    year_over: pl.Expr,
    monotonic: pl.Expr,
) -> pl.Expr:
    shown = value.round(1, mode="half_away_from_zero")
    met = shown >= target
    return (
        pl.when(value.is_null())
        .then(pl.lit(KpiStatus.AFVENTER.value))
        .when(met & (year_over | monotonic))
        .then(pl.lit(KpiStatus.OPFYLDT.value))
        .when(year_over)
        .then(pl.lit(KpiStatus.IKKE_OPFYLDT.value))
        .when(projected.round(1, mode="half_away_from_zero") >= target)
        .then(pl.lit(KpiStatus.PAA_VEJ.value))
        .otherwise(pl.lit(KpiStatus.I_RISIKO.value))
    )
