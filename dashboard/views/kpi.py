"""Shaping collected KPI cells into the rows the pages and charts show. No Streamlit here.

Labels and texts are Danish; values stay numbers (the charts format them) except in
:func:`kpi_table`, which is the text table shown under the overview.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from dashboard.views import format as fmt
from dashboard.views.explain import status_with_uncertainty
from data.reference import Erhvervshus
from data.store import BatchInfo
from metrics.contract import Contract, Kpi, KpiKind, contract_for
from metrics.registry import kinds_where
from metrics.status import STATUS_ICONS

SEGMENT_LABELS = {None: "Alle", "drift": "Drift", "vækst": "Vækst"}
QUARTER_LABELS = {q: f"{q}. kvt." for q in range(1, 5)}
# "Ikke startet" has its own icon: "…" is the status "Afventer data".
ACTIVITY_ICONS = {"Gennemført": "✔", "I gang": "➚", "Ikke startet": "○"}


def status_text(status: str) -> str:
    return f"{STATUS_ICONS[status]} {status}"


HOUSE_ONLY = "hele huset"  # the label of a house-level figure in a municipality's view
NO_TARGET = "– (intet mål)"


def house_cells(cells: pl.DataFrame, *, year: int | None, kommune: int | None) -> pl.DataFrame:
    """The cells of one view (a year, or every year when ``year`` is None) with one row per
    KPI × segment (municipal cells of ``m2_andel_vejledte`` dropped in the house view; they
    have their own page). A municipality's view: its own cells without coverage (which means
    nothing for one municipality), plus the house-level checklists and control-group figures
    (``kommune`` null, labelled "hele huset" where shown)."""
    in_year = cells if year is None else cells.filter(pl.col("year") == year)
    if kommune is None:
        return in_year.filter(pl.col("kommune").is_null())
    own = (pl.col("kommune") == kommune) & (pl.col("kind") != str(KpiKind.COVERAGE))
    return in_year.filter(own | pl.col("kind").is_in(sorted(kinds_where(lambda s: s.house_level))))


# What n counts for each kind of KPI; None where it means nothing to a reader (coverage:
# courses; course counts: the count itself; Mål 6: criteria entered).
N_UNITS: dict[str, tuple[str, str] | None] = {
    "survey_share": ("svar", "svar"),
    "nps": ("svar", "svar"),
    "weighted_share": ("respondent", "respondenter"),
    "new_share": ("vejledt virksomhed", "vejledte virksomheder"),
    "kommune_share": ("vejledt virksomhed", "vejledte virksomheder"),
    "unique_count": ("forløb", "forløb"),
    "checklist": ("indsats", "indsatser"),
    "coverage": None,
    "course_count": None,
    "control_group": None,
}


def n_label(kind: str) -> str | None:
    """'Antal svar (n)' – the headline label of n, or None when n is not shown."""
    units = N_UNITS.get(kind)
    return None if units is None else f"Antal {units[1]} (n)"


def n_text(kind: str, n: int | None) -> str:
    """'420 svar', '1 respondent', '' where n means nothing or is missing."""
    units = N_UNITS.get(kind)
    if units is None or n is None:
        return ""
    return fmt.count(n, *units)


def is_house_figure(cell: dict[str, Any], kommune: int | None) -> bool:
    """A house-level figure shown in a municipality's view."""
    return kommune is not None and cell["kommune"] is None


def funding_share(house: Erhvervshus, kommune: int) -> float:
    """A municipality's share of the funding key (basisbevilling), percent."""
    total = sum(k.basisbevilling for k in house.kommuner)
    return house.kommune(kommune).basisbevilling * 100.0 / total


def target_cell_text(kpi: Kpi, cell: dict[str, Any], house: Erhvervshus) -> str:
    """The target as shown; a municipality's share of the guided companies has none and is
    set against its share of the funding key instead."""
    if kpi.kind is KpiKind.KOMMUNE_SHARE and cell["kommune"] is not None:
        return f"nøglens andel {fmt.percent(funding_share(house, cell['kommune']))}"
    return fmt.target_text(cell["target"], kpi.unit)


def status_cell_text(cell: dict[str, Any]) -> str:
    """Icon and word (and '± usikkert' where the interval reaches below the target); no
    status where there is no target."""
    return NO_TARGET if cell["target"] is None else status_with_uncertainty(cell)


def main_cell(cells: pl.DataFrame, kpi: Kpi) -> dict[str, Any] | None:
    """The headline cell of a KPI: all segments (segment null)."""
    rows = cells.filter(pl.col("kpi") == kpi.id, pl.col("segment").is_null())
    if kpi.kind is KpiKind.KOMMUNE_SHARE or rows.is_empty():
        return None
    return rows.row(0, named=True)


KIND_NOTES = {"checklist": "tjekliste", "weighted_share": "måling"}


def trend_text(
    history: pl.DataFrame,
    kpi_id: str,
    unit: str,
    years: Sequence[int],
    *,
    current_kind: str | None = None,
) -> str:
    """'2020: 40,1 % · 2021: 43,0 %' for the earlier years with a value; a year whose KPI was
    measured otherwise than ``current_kind`` says how (e.g. '2022: 100,0 % (tjekliste)')."""
    parts = []
    for y in years:
        rows = history.filter(
            pl.col("year") == y, pl.col("kpi") == kpi_id, pl.col("segment").is_null()
        )
        if rows.is_empty():
            continue
        r = rows.row(0, named=True)
        if r["value"] is None and not r["suppressed"]:
            continue
        text = fmt.cell_value(r, unit)
        if current_kind is not None and r["kind"] != current_kind:
            text += f" ({KIND_NOTES.get(r['kind'], r['kind'])})"
        parts.append(f"{y}: {text}")
    return " · ".join(parts)


def kpi_table(
    cells: pl.DataFrame,
    contract: Contract,
    erhvervshus: Erhvervshus,
    kommune: int | None = None,
) -> pl.DataFrame:
    """Every cell of the view as Danish text columns (goal, KPI, segment, value, n, interval,
    target, status); in a municipality's view (``kommune``) house figures say "hele huset"."""
    rows = []
    for kpi in contract.kpis:
        for c in cells.filter(pl.col("kpi") == kpi.id).iter_rows(named=True):
            where = SEGMENT_LABELS.get(c["segment"], c["segment"])
            if c["kommune"] is not None and kpi.kind is KpiKind.KOMMUNE_SHARE:
                where = erhvervshus.kommune(c["kommune"]).navn
            if is_house_figure(c, kommune):
                where = f"{where} ({HOUSE_ONLY})"
            shown = not c["suppressed"] and c["ci_low"] is not None
            rows.append(
                {
                    "Mål": f"Mål {kpi.goal}",
                    "Nøgletal": kpi.label,
                    "Opdeling": where,
                    "Resultat": fmt.cell_value(c, kpi.unit),
                    "n": n_text(c["kind"], c["n"]),
                    fmt.INTERVAL: fmt.interval(c["ci_low"], c["ci_high"]) if shown else "",
                    "Mål for året": target_cell_text(kpi, c, erhvervshus),
                    "Status": status_cell_text(c),
                }
            )
    return pl.DataFrame(rows)


def benchmark_caption(source: str, years: Sequence[int], batches: Sequence[BatchInfo]) -> str:
    """What the Benchmark page shows, dated the Danish way: it belongs to no one contract year,
    so it has no "status pr." but says when its figures were published and loaded."""
    loaded = [b.uploaded_at for b in batches if b.kind == "kendskab"]
    own = f"husets egne kendskabsmålinger {min(years)}–{max(years)}" if years else ""
    when = f" (senest indlæst {fmt.day(max(loaded))})" if loaded else ""
    return f"Offentliggjorte tal: {source} · {own}{when}".rstrip(" ·")


def segment_rows(cells: pl.DataFrame, kpi_id: str) -> pl.DataFrame:
    """Cells of a KPI by segment (Alle, Drift, Vækst) for the interval chart."""
    df = cells.filter(pl.col("kpi") == kpi_id).sort(
        pl.col("segment").is_not_null(), pl.col("segment")
    )
    return df.with_columns(
        pl.col("segment").replace_strict(SEGMENT_LABELS, default="Alle").alias("label")
    )


def kommune_rows(
    cells: pl.DataFrame, kpi_id: str, year: int, erhvervshus: Erhvervshus
) -> pl.DataFrame:
    """A KPI's municipal cells (all segments) of a year, labelled with the names."""
    names = {k.kode: k.navn for k in erhvervshus.kommuner}
    return (
        cells.filter(
            pl.col("year") == year,
            pl.col("kpi") == kpi_id,
            pl.col("kommune").is_not_null(),
            pl.col("segment").is_null(),
        )
        .with_columns(
            pl.col("kommune").replace_strict(names, return_dtype=pl.String).alias("label")
        )
        .sort("label")
    )


def quarter_points(quarters: pl.DataFrame, kpi_id: str) -> pl.DataFrame:
    """The KPI (all segments, whole house or one kommune already filtered) per as-of quarter."""
    return (
        quarters.filter(pl.col("kpi") == kpi_id, pl.col("segment").is_null())
        .sort("quarter")
        .with_columns(
            pl.col("quarter").replace_strict(QUARTER_LABELS, return_dtype=pl.String).alias("label")
        )
    )


def year_points(
    history: pl.DataFrame, kpi_id: str, *, reference_year: int | None = None
) -> pl.DataFrame:
    """The KPI (all segments) per contract year, with whether it is measured as in the
    reference year's contract — or, without one, as in most years — (``comparable``) and a
    note for years measured otherwise (Mål 1 in 2022 is a checklist, not a survey)."""
    df = history.filter(pl.col("kpi") == kpi_id, pl.col("segment").is_null()).sort("year")
    kinds = {y: contract_for(y).kpi(kpi_id).kind for y in df["year"].to_list()}
    usual: KpiKind | None
    if reference_year in kinds:
        usual = kinds[reference_year]
    else:
        usual = max(set(kinds.values()), key=list(kinds.values()).count) if kinds else None
    return df.with_columns(
        pl.col("year").cast(pl.String).alias("label"),
        pl.col("year")
        .replace_strict({y: k == usual for y, k in kinds.items()}, return_dtype=pl.Boolean)
        .alias("comparable"),
        pl.col("year")
        .replace_strict(
            {y: "" if k == usual else KIND_NOTES.get(k, k).capitalize() for y, k in kinds.items()},
            return_dtype=pl.String,
        )
        .alias("note"),
    )


def years_table(history: pl.DataFrame, years: Sequence[int]) -> pl.DataFrame:
    """KPIs (all segments, the view's scope) side by side across years: per year the result,
    that year's target and status. A KPI measured otherwise in a year says so."""
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for year in sorted(years, reverse=True):
        for kpi in contract_for(year).kpis:
            if kpi.id in seen or kpi.kind is KpiKind.KOMMUNE_SHARE:
                continue
            seen.add(kpi.id)
            row = {"Mål": f"Mål {kpi.goal}", "Nøgletal": kpi.label}
            for y in years:
                row[str(y)] = _year_text(history, contract_for(y), kpi.id, y)
            rows.append(row)
    return pl.DataFrame(rows).sort(
        pl.col("Mål").str.extract(r"(\d+)").cast(pl.Int32), maintain_order=True
    )


def _year_text(history: pl.DataFrame, contract: Contract, kpi_id: str, year: int) -> str:
    try:
        kpi = contract.kpi(kpi_id)
    except KeyError:
        return "ikke i kontrakten"
    rows = history.filter(
        pl.col("year") == year, pl.col("kpi") == kpi_id, pl.col("segment").is_null()
    )
    if rows.is_empty():
        return fmt.NO_DATA
    c = rows.row(0, named=True)
    text = fmt.cell_value(c, kpi.unit)
    prefix = "Tjekliste: " if kpi.kind is KpiKind.CHECKLIST and kpi_id == "m1_kendskabsgrad" else ""
    return (
        f"{STATUS_ICONS[c['status']]} {prefix}{text} (mål {fmt.target_text(c['target'], kpi.unit)})"
    )
