"""The tables as lists for a phone: KPI, result and status first, years newest first."""

from __future__ import annotations

import polars as pl

from dashboard.views import format as fmt
from dashboard.views.lists import kpi_column_order, kpi_list, years_column_order, years_list

NBSP = "\u00a0"


def kpi_rows() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Mål": ["Mål 3", "Mål 3", "Mål 4"],
            "Nøgletal": ['"Meget tilfreds" [sic]', "Net Promoter Score", "Henviste"],
            "Opdeling": ["Alle", "Drift", "Alle"],
            "Resultat": [f"78,4{NBSP}%", "79,3", f"46,2{NBSP}%"],
            "n": ["407 svar", "251 svar", ""],
            fmt.INTERVAL: ["74,1–82,1", "", ""],
            "Mål for året": [f"≥ 80{NBSP}%", "≥ 70", f"≥ 47{NBSP}%"],
            "Status": ["✖ Ikke opfyldt", "✔ Opfyldt", "✖ Ikke opfyldt"],
        }
    )


def test_the_wide_table_puts_kpi_result_and_status_first() -> None:
    order = kpi_column_order(kpi_rows().columns)
    assert order[:4] == ["Mål", "Nøgletal", "Resultat", "Status"]
    assert set(order) == set(kpi_rows().columns)


def test_the_list_has_one_block_per_goal_with_result_and_status_on_the_line_after_the_kpi() -> None:
    blocks = kpi_list(kpi_rows())
    assert len(blocks) == 2 and blocks[0].startswith("**Mål 3**")
    heading, body = blocks[0].split("\n\n", 1)
    assert heading == "**Mål 3**"
    items = body.split("\n- ")
    assert len(items) == 2
    head, main = items[0].split("  \n")
    assert head == '- **\\"Meget tilfreds\\" \\[sic\\]**'  # Markdown escaped
    # result and status first, the rest in grey; the non-breaking space before % is kept
    assert main.startswith(f"  78\\,4{NBSP}\\% · ✖ Ikke opfyldt :gray[· mål ≥ 80{NBSP}\\%")
    assert "407 svar" in main and "74\\,1–82\\,1" in main
    assert "· Drift" in blocks[0]  # a segment other than all is named
    assert "· Alle" not in blocks[0]
    assert blocks[1].count("\n- ") == 1 and "46\\,2" in blocks[1]


def test_years_newest_first_in_table_and_list() -> None:
    table = pl.DataFrame(
        {
            "Mål": ["Mål 1"],
            "Nøgletal": ["Kendskabsgrad"],
            "2020": ["✖ 39,8"],
            "2021": ["✖ 42,1"],
            "2023": ["✔ 52,6"],
            "2022": ["✔ Tjekliste"],
        }
    )
    assert years_column_order(table.columns) == ["Mål", "Nøgletal", "2023", "2022", "2021", "2020"]
    (block,) = years_list(table)
    lines = block.split("  \n")
    assert lines[0].endswith("**Kendskabsgrad**")
    assert [line.strip()[:4] for line in lines[1:]] == ["2023", "2022", "2021", "2020"]
