"""``erhvervshus export``: the annual report files for a year."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from dashboard.cli.errors import friendly
from data.db import make_engine
from data.errors import UserFacingError
from data.migrate import upgrade
from data.periods import Quarter

ONLY = ("pptx",)


def export(
    year: Annotated[int, typer.Option("--year", help="Kontraktåret, fx 2022.")],
    out: Annotated[Path, typer.Option("--out", help="Mappe, som filerne skrives i.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Status pr. kvartal, fx 2022Q3.")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Hvem eksporterer (til loggen).")
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            help="Kun én del: 'pptx' skriver kun præsentationen til KKR-mødet (hurtigt).",
        ),
    ] = None,
) -> None:
    """Årsrapporten: diagrammer (PNG, SVG, PDF), rapport (PDF, Word, PowerPoint) og tal
    (Excel, CSV)."""
    from dashboard.report.bundle import build_deck, build_report

    if only not in (None, *ONLY):
        raise UserFacingError(
            f"--only {only} kendes ikke. Vælg en af: {', '.join(ONLY)}.", title="Ukendt valg"
        )
    quarter = Quarter.parse(as_of) if as_of else None
    engine = make_engine()
    upgrade(engine)
    actor = user or f"cli:{getpass.getuser()}"
    if only == "pptx":
        deck = build_deck(engine, year, quarter, out, actor=actor)[-1]
        typer.echo(f"Præsentationen for {year} er skrevet: {deck}")
        return
    paths = build_report(engine, year, quarter, out, actor=actor)
    kinds = {
        "diagrammer": sum(1 for p in paths if p.parent.name == "diagrammer"),
        "CSV-filer": sum(1 for p in paths if p.suffix == ".csv"),
    }
    status = "hele året" if quarter is None else f"status pr. {quarter.label}"
    typer.echo(f"Årsrapporten for {year} ({status}) er skrevet i {out}:")
    for p in paths:
        if p.parent == out:
            typer.echo(f"  {p.name}")
    typer.echo(
        f"  diagrammer/ ({kinds['diagrammer']} filer: PNG, SVG og PDF) og csv/ "
        f"({kinds['CSV-filer']} filer)"
    )


def register_export(app: typer.Typer) -> None:
    app.command(name="export")(friendly(export))
