"""Status of a KPI cell for a year (SPEC §3) and its icon/word, as Polars expressions.

- ``Afventer data``: no value (no data, or suppressed because n < min_n);
- ``Opfyldt``: the value meets the target — at once for counts and checklists (they cannot go
  down), only when the year is over for shares and scores (they can still move);
- ``Ikke opfyldt``: the year is over and the target is missed;
- ``På vej`` / ``I risiko``: the year is not over and the projection meets / misses the target.

Values are compared as shown (rounded to one decimal), so "80,0 %" is never "Ikke opfyldt".
"""

from __future__ import annotations

import polars as pl

OPFYLDT = "Opfyldt"
PAA_VEJ = "På vej"
I_RISIKO = "I risiko"
IKKE_OPFYLDT = "Ikke opfyldt"
AFVENTER = "Afventer data"
STATUSES = (OPFYLDT, PAA_VEJ, I_RISIKO, IKKE_OPFYLDT, AFVENTER)

# Icon and word always go together; colour is only a third signal (colour-blind-safe palette).
STATUS_ICONS = {OPFYLDT: "✔", PAA_VEJ: "➚", I_RISIKO: "⚠", IKKE_OPFYLDT: "✖", AFVENTER: "…"}
STATUS_COLOURS = {
    OPFYLDT: "#1b7837",
    PAA_VEJ: "#4393c3",
    I_RISIKO: "#e08214",
    IKKE_OPFYLDT: "#b2182b",
    AFVENTER: "#878787",
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
        .then(pl.lit(AFVENTER))
        .when(met & (year_over | monotonic))
        .then(pl.lit(OPFYLDT))
        .when(year_over)
        .then(pl.lit(IKKE_OPFYLDT))
        .when(projected.round(1, mode="half_away_from_zero") >= target)
        .then(pl.lit(PAA_VEJ))
        .otherwise(pl.lit(I_RISIKO))
    )
