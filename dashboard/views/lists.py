"""The text tables of the pages as Markdown lists for a phone. No Streamlit here.

A table on a 390 px screen shows two columns and hides the rest behind sideways scrolling
inside its box (Streamlit's grid draws on a canvas and never wraps a cell). The lists put what
a reader looks for first — the KPI, its result and its status — on the first lines and let the
rest wrap below, so nothing needs scrolling sideways.

Every value comes from a table row and goes through :func:`dashboard.views.text.md_figure`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from dashboard.views import format as fmt
from dashboard.views.text import md_figure as md

# The columns of :func:`dashboard.views.kpi.kpi_table` a reader needs first, in this order.
KPI_FIRST = ("Nøgletal", "Resultat", "Status")
# The rest, shown after them (wide table) or on a small grey line (list).
KPI_REST = ("Opdeling", "Mål for året", "n", fmt.INTERVAL, "Mål")


def kpi_column_order(columns: Sequence[str]) -> list[str]:
    """The wide table's column order: the goal as a short key, then KPI, result and status,
    then the rest."""
    wanted = ["Mål", *KPI_FIRST, *(c for c in KPI_REST if c != "Mål")]
    return [c for c in wanted if c in columns] + [c for c in columns if c not in wanted]


def kpi_list(table: pl.DataFrame) -> list[str]:
    """One Markdown block per goal: a bullet per row of ``table`` (a :func:`kpi_table`)
    with the KPI (and its segment when not all), then result and status, then the target, n
    and interval in grey."""
    blocks: list[str] = []
    for (goal,), rows in table.group_by("Mål", maintain_order=True):
        items = [_kpi_item(r) for r in rows.iter_rows(named=True)]
        blocks.append(f"**{md(goal)}**\n\n" + "\n".join(items))
    return blocks


def _kpi_item(row: dict[str, str]) -> str:
    where = row.get("Opdeling") or ""
    head = f"**{md(row['Nøgletal'])}**"
    if where and where != "Alle":
        head += f" · {md(where)}"
    main = f"{md(row['Resultat'])} · {md(row['Status'])}"
    rest = []
    if row.get("Mål for året"):
        rest.append("mål " + md(row["Mål for året"]))
    if row.get("n"):
        rest.append(md(row["n"]))
    if row.get(fmt.INTERVAL):
        rest.append(md(f"{fmt.INTERVAL} {row[fmt.INTERVAL]}"))
    tail = f" :gray[· {' · '.join(rest)}]" if rest else ""
    return f"- {head}  \n  {main}{tail}"


def year_columns(columns: Sequence[str]) -> list[str]:
    """The year columns of a :func:`years_table`, newest first."""
    return sorted((c for c in columns if re.fullmatch(r"\d{4}", c)), reverse=True)


def years_column_order(columns: Sequence[str]) -> list[str]:
    """The wide table's column order: goal, KPI, then the years newest first."""
    return [c for c in ("Mål", "Nøgletal") if c in columns] + year_columns(columns)


def years_list(table: pl.DataFrame) -> list[str]:
    """One Markdown block per goal of a :func:`years_table`: a bullet per KPI, then a line per
    year, newest first."""
    years = year_columns(table.columns)
    blocks: list[str] = []
    for (goal,), rows in table.group_by("Mål", maintain_order=True):
        items = []
        for r in rows.iter_rows(named=True):
            lines = "  \n".join(f"  {y}: {md(r[y])}" for y in years)
            items.append(f"- **{md(r['Nøgletal'])}**  \n{lines}")
        blocks.append(f"**{md(goal)}**\n\n" + "\n".join(items))
    return blocks
