"""The municipalities page's data shaping and table (Streamlit-facing parts kept small)."""

from __future__ import annotations

import polars as pl

from dashboard.views import format as fmt
from data.reference import Erhvervshus
from metrics.breakdowns import fair_share
from metrics.contract import Contract
from metrics.params import KommuneShareParams

# measure label → (KPI id, unit); "pr. mio. kr." is computed from the unique companies.
MEASURES = {
    "Vejledte virksomheder": ("m11_unikke_virksomheder", "antal"),
    "Vejledte virksomheder pr. mio. kr. basisbevilling": ("m11_unikke_virksomheder", "rate"),
    "Meget tilfreds med kompetencerne": ("m3_meget_tilfreds", "pct"),
    "Net Promoter Score": ("m3_nps", "nps"),
}


def fair_share_warning(contract: Contract) -> float:
    """The ratio under which a municipality is marked far below its fair share (Mål 2)."""
    params = contract.kpi("m2_andel_vejledte").params
    return params.fair_share_warning_ratio if isinstance(params, KommuneShareParams) else 0.5


def funding(house: Erhvervshus) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "kommune": [k.kode for k in house.kommuner],
            "navn": [k.navn for k in house.kommuner],
            "basisbevilling": [k.basisbevilling for k in house.kommuner],
        },
        schema={"kommune": pl.Int32, "navn": pl.String, "basisbevilling": pl.Int64},
    )


def measure_values(
    cells: pl.DataFrame, house: Erhvervshus, measure: str, year: int
) -> pl.DataFrame:
    """kommune, navn, value, suppressed, n for the chosen measure (all segments)."""
    kpi_id, unit = MEASURES[measure]
    rows = cells.filter(
        pl.col("year") == year,
        pl.col("kpi") == kpi_id,
        pl.col("kommune").is_not_null(),
        pl.col("segment").is_null(),
    ).select("kommune", "kind", "value", "suppressed", "secondary", "n")
    out = funding(house).join(rows, on="kommune", how="left")
    if unit == "rate":
        out = out.with_columns((pl.col("value") / (pl.col("basisbevilling") / 1000)).alias("value"))
    return out.with_columns(pl.col("suppressed", "secondary").fill_null(False)).sort("navn")


def fair_share_rows(
    cells: pl.DataFrame, house: Erhvervshus, year: int, warning_ratio: float
) -> pl.DataFrame:
    shares = cells.filter(
        pl.col("year") == year,
        pl.col("kpi") == "m2_andel_vejledte",
        pl.col("kommune").is_not_null(),
    ).lazy()
    key = funding(house)
    return (
        fair_share(shares, key.lazy(), warning_ratio=warning_ratio)
        .join(key.lazy().select("kommune", "navn"), on="kommune")
        .sort("navn")
        .collect()
    )


def kommune_table(
    cells: pl.DataFrame, house: Erhvervshus, year: int, shares: pl.DataFrame
) -> pl.DataFrame:
    """One row per municipality, Danish text columns."""

    def values(measure: str) -> dict[int, str]:
        unit = MEASURES[measure][1]
        return {
            r["kommune"]: fmt.cell_value(r, unit)
            for r in measure_values(cells, house, measure, year).iter_rows(named=True)
        }

    guided, rate = (
        values("Vejledte virksomheder"),
        values("Vejledte virksomheder pr. mio. kr. basisbevilling"),
    )
    happy, nps = values("Meget tilfreds med kompetencerne"), values("Net Promoter Score")
    rows = []
    for r in shares.iter_rows(named=True):
        k = r["kommune"]
        rows.append(
            {
                "Kommune": r["navn"],
                "Kode": str(k),
                "Basisbevilling (1.000 kr.)": fmt.number(house.kommune(k).basisbevilling),
                "Vejledte virksomheder": guided[k],
                "Pr. mio. kr.": rate[k],
                "Andel af vejledte": fmt.percent(r["andel_vejledte"]),
                "Andel af nøglen": fmt.percent(r["andel_noegle"]),
                "Forhold": fmt.number(r["ratio"], 2) if r["ratio"] is not None else fmt.NO_DATA,
                "Langt under sin andel": "⚠ ja" if r["langt_under"] else "nej",
                "Meget tilfreds": happy[k],
                "NPS": nps[k],
            }
        )
    return pl.DataFrame(rows)


def profile_heading(navn: str) -> str:
    """The heading of a municipality's profile (Markdown, our own words and a reference name)."""
    return (
        f"**{navn} Kommune** – nøgletallene beregnet på kommunens egne rækker; tjeklister og "
        "kontrolgruppetal findes kun for hele huset og er mærket »hele huset«"
    )


def far_below_texts(shares: pl.DataFrame, warning: float) -> list[str]:
    """One Danish sentence per municipality far below its share of the funding key."""
    return [
        f"{r['navn']}: {fmt.percent(r['andel_vejledte'])} af de vejledte virksomheder mod "
        f"{fmt.percent(r['andel_noegle'])} af fordelingsnøglen (forhold {fmt.number(r['ratio'], 2)}) "
        f"– langt under sin andel (grænse {fmt.number(warning, 1)})."
        for r in shares.filter("langt_under").iter_rows(named=True)
    ]
