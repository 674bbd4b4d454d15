"""The ``erhvervshus`` command line: demo data, KPI table, dashboard server.

Errors a person can fix are printed in Danish with exit code 1, never as a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from dashboard.cli import upload as cli_upload
from dashboard.cli.errors import friendly
from dashboard.cli.export import register_export
from dashboard.cli.users import users_app
from dashboard.cli.workers import MAX_WORKERS, exit_code, worker_ports
from dashboard.settings import auth_mode, session_lifetime
from dashboard.views.format import as_of_text, cell_value
from dashboard.views.kpi import status_cell_text, target_cell_text
from data.db import database_url, make_engine
from data.demo_loader import DEMO_ACCOUNTS
from data.errors import UserFacingError
from data.migrate import upgrade
from data.periods import Quarter
from data.reference import DEFAULT_ERHVERVSHUS, erhvervshus
from data.store import is_empty, load_stored_data
from data.users import ROLE_LABELS, list_users
from metrics.contract import contract_for
from metrics.service import as_of_of, json_records, kpi_cells, view

app = typer.Typer(
    help="Resultatkontrakt-dashboard for KKR Nordjylland og Erhvervshus Nordjylland.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

cli_upload.register_upload(app)
register_export(app)
app.add_typer(users_app, name="users")

HouseOption = Annotated[str, typer.Option("--erhvervshus", help="Erhvervshus (region).")]


@app.command()
@friendly
def migrate() -> None:
    """Opret eller opgradér databasens skema."""
    upgrade(make_engine())
    typer.echo(f"Databasen er opdateret: {_safe_url(database_url())}")


@app.command()
@friendly
def demo(
    house: HouseOption = DEFAULT_ERHVERVSHUS,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Kun hvis databasen er tom.")
    ] = False,
) -> None:
    """Fyld databasen med realistiske demodata for 2020–2023."""
    from data.demo_loader import load_demo

    engine = make_engine()
    upgrade(engine)
    if not is_empty(engine):
        if if_empty:
            typer.echo("Databasen har allerede data; demodata indlæses ikke.")
            return
        typer.echo("Databasen har allerede data. Brug en tom database til demodata.", err=True)
        raise typer.Exit(code=1)
    h = erhvervshus(house)
    activities = {
        y: [(g.number, a.id) for g in contract_for(y).goals for a in g.activities]
        for y in (2021, 2022, 2023)
    }
    batches = load_demo(engine, h, activities)
    typer.echo(
        f"Demodata indlæst: {batches} indlæsninger for 2020–2023 i {_safe_url(database_url())}."
    )


@app.command()
@friendly
def kpi(
    year: Annotated[int, typer.Option("--year", help="Kontraktåret, fx 2022.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Status pr. kvartal, fx 2022Q3.")
    ] = None,
    kommune: Annotated[int | None, typer.Option("--kommune", help="Kommunekode, fx 851.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Udskriv JSON: én række pr. nøgletalscelle.")
    ] = False,
    house: HouseOption = DEFAULT_ERHVERVSHUS,
) -> None:
    """KPI-tabellen for et år: værdi, n, interval, mål og status for alle mål."""
    quarter = Quarter.parse(as_of) if as_of else None
    if quarter is not None and quarter.year != year:
        raise UserFacingError(f"--as-of {as_of} ligger ikke i år {year}.", title="Ugyldig periode")
    h = erhvervshus(house)
    if kommune is not None and kommune not in h.codes:
        raise UserFacingError(
            f"Kommunekode {kommune} hører ikke til {h.name}. Gyldige koder: "
            + ", ".join(str(c) for c in sorted(h.codes)),
            title="Ukendt kommune",
        )
    engine = make_engine()
    upgrade(engine)
    years = sorted({year - 1, year})  # the previous year is needed for trends
    stored = load_stored_data(engine, h.key)
    seen = as_of_of(stored, year, today=date.today(), requested=quarter)
    cells = kpi_cells(stored, h, years=years, as_of=quarter)
    selected = view(cells, year=year, kommune=kommune)
    if as_json:
        typer.echo(json.dumps(json_records(selected), ensure_ascii=False))
        return
    _print_table(selected, year, kommune, h.name, f"Status pr. {as_of_text(seen)}")


def _print_table(
    cells: pl.DataFrame, year: int, kommune: int | None, house_name: str, when: str
) -> None:
    contract = contract_for(year)
    scope = house_name if kommune is None else f"{erhvervshus().kommune(kommune).navn} Kommune"
    typer.echo(f"{contract.title} – {scope}")
    typer.echo(when)
    for goal in contract.goals:
        typer.echo(f"\n{goal.title}")
        for kpi in goal.kpis:
            for row in cells.filter(pl.col("kpi") == kpi.id).iter_rows(named=True):
                where = " / ".join(
                    x
                    for x in (
                        row["segment"],
                        _kommune_name(row["kommune"]) if kpi.cells.value == "kommune" else None,
                    )
                    if x
                )
                label = kpi.label + (f" ({where})" if where else "")
                value = cell_value(row, kpi.unit)
                n = f"n={row['n']}" if row["n"] is not None else ""
                status = status_cell_text(row)
                target = target_cell_text(kpi, row, erhvervshus())
                if kommune is not None and row["kommune"] is None:
                    label += " (hele huset)"
                typer.echo(f"  {label:<72} {value:>18}  {target:>12}  {n:>8}  {status}")


def _kommune_name(kode: int | None) -> str | None:
    return None if kode is None else erhvervshus().kommune(kode).navn


@app.command()
@friendly
def serve(
    port: Annotated[int, typer.Option(help="Port.")] = 8501,
    address: Annotated[
        str,
        typer.Option(
            "--address",
            help="Adressen serveren lytter på. Standard er kun denne maskine (127.0.0.1, bag "
            "nginx); 0.0.0.0 lytter på alle netkort.",
        ),
    ] = "127.0.0.1",
    demo_if_empty: Annotated[
        bool, typer.Option("--demo-if-empty", help="Fyld en tom database med demodata.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Antal Streamlit-processer (på portene PORT, PORT+1, …) bag en reverse proxy "
            "med faste sessioner (docs/nginx-erhvervshus.conf). Én proces bruger én kerne.",
        ),
    ] = 1,
) -> None:
    """Start dashboardet (Streamlit)."""
    if not 1 <= workers <= MAX_WORKERS:
        raise UserFacingError(
            f"--workers {workers} skal være mellem 1 og {MAX_WORKERS}.", title="Ugyldigt antal"
        )
    engine = make_engine()
    upgrade(engine)
    if demo_if_empty and is_empty(engine):
        demo(DEFAULT_ERHVERVSHUS, if_empty=True)
    session_lifetime()  # a wrong ERHVERVSHUS_SESSION_HOURS stops here, with a Danish message
    # asgi_app.py: Streamlit's ASGI server with the session-cookie routes beside the app.
    app_path = Path(__file__).resolve().parents[2] / "asgi_app.py"

    def command(worker_port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app_path),
            "--server.port",
            str(worker_port),
            "--server.address",
            address,
            "--server.headless",
            "true",
        ]

    ports = worker_ports(port, workers)
    if workers == 1:
        typer.echo(f"Dashboardet kører på http://{address}:{port}")
    else:
        typer.echo(
            f"Dashboardet kører i {workers} processer på http://{address}:{ports[0]}–{ports[-1]};"
            " brugerne når dem gennem den reverse proxy (docs/nginx-erhvervshus.conf)."
        )
    if auth_mode() == "demo":
        typer.echo("Demo: besøgende ser dashboardet som læsere. Log ind (menuen 'Log ind') som:")
        for email, role, password, _ in DEMO_ACCOUNTS:
            typer.echo(f"  {ROLE_LABELS[role]:<26} {email:<22} adgangskode: {password}")
    elif auth_mode() == "local" and not list_users(engine):
        typer.echo(
            "Der er ingen brugere endnu. Opret den første administrator med:\n"
            "  erhvervshus users add ADMIN@EKSEMPEL.DK --role admin"
        )
    sys.stdout.flush()
    engine.dispose()  # the workers open their own connections
    if workers > 1:
        raise typer.Exit(exit_code([(p, command(p)) for p in ports], typer.echo))
    # Replace this process, so stopping `erhvervshus serve` stops the server itself.
    os.execv(sys.executable, command(port))


def _safe_url(url: str) -> str:
    """The database URL without a password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
