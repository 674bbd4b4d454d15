"""The hostile part of the broken-file corpus: files that would cost a parser gigabytes or
minutes, values only PostgreSQL would refuse, mixed encodings, more problems than are listed."""

from __future__ import annotations

from broken_case import Case, structural, xlsx_cell
from hostile_builders import (
    amplifying_csv_cells,
    amplifying_csv_lines,
    lying_size,
    many_problems,
    mixed_encodings,
    sparse_million_by_hundred,
    sparse_xfd,
    with_value,
)

from expectations.schema import Kind

F = Kind.FORLOEB


def hostile_cases() -> list[Case]:
    """Files that cost a parser gigabytes or minutes, or that only PostgreSQL would refuse."""
    xlsx = "upload.xlsx"
    return [
        structural(
            "xlsx_xfd_loegnagtig_dimension",
            F,
            sparse_xfd(lying_dimension=True),
            "fil.for_stor",
            filename=xlsx,
        ),
        structural(
            "xlsx_xfd_uden_dimension",
            F,
            sparse_xfd(lying_dimension=False),
            "fil.for_stor",
            filename=xlsx,
        ),
        structural(
            "xlsx_spredt_1m_x_100", F, sparse_million_by_hundred(), "fil.for_stor", filename=xlsx
        ),
        structural(
            "xlsx_dimension_lyver_om_stoerrelse", F, lying_size(), "fil.for_stor", filename=xlsx
        ),
        structural("csv_forstaerker_linjer", F, amplifying_csv_lines(), "fil.for_stor"),
        structural("csv_forstaerker_celler", F, amplifying_csv_cells(), "fil.for_stor"),
        structural(
            "virksomhed_300_tegn",
            F,
            with_value("virksomhed", "Æ" * 300),
            "virksomhed.længde",
            row=3,
            column="Virksomhed",
        ),
        structural(
            "forloeb_id_100_tegn",
            F,
            with_value("forloeb_id", "F" * 100),
            "forloeb_id.længde",
            row=3,
            column="Forløb ID",
        ),
        structural("blandede_tegnsaet", F, mixed_encodings(), "fil.ulæselig"),
        structural("flere_problemer_end_loftet", F, many_problems(), "cvr.modulus11", row=2),
        xlsx_cell(
            "xlsx_nul_tegn",
            F,
            1,
            "virksomhed",
            "Firma\x00ApS",
            "virksomhed.nul_tegn",
            "Virksomhed",
            "Firma␀ApS",
        ),
    ]
