"""CLI commands for uploads: ingest a file, list batch history, restore or withdraw a batch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from dashboard.cli.errors import friendly
from dashboard.views.format import terminal_text, timestamp
from dashboard.views.upload import BATCH_STATUS_WORDS
from data.batches import restore_batch, withdraw_batch
from data.db import make_engine, session_factory
from data.errors import UserFacingError
from data.ingest import Outcome, ingest, quarantine_oversized
from data.limits import MAX_FILE_BYTES
from data.migrate import upgrade
from data.periods import Quarter
from data.reference import DEFAULT_ERHVERVSHUS
from data.schema import Batch
from data.store import list_batches
from expectations.schema import KIND_LABELS, Kind
from metrics.contract import contract_for

UserOption = Annotated[str, typer.Option("--user", help="Hvem der indlæser (til historik og log).")]


def ingest_command(
    kind: Annotated[
        Kind, typer.Argument(help="forloeb, brugerevaluering, kendskab eller indsatser.")
    ],
    file: Annotated[Path, typer.Argument(help="CSV- eller XLSX-fil.", exists=False)],
    period: Annotated[str, typer.Option("--period", help="Kvartalet filen dækker, fx 2022Q3.")],
    user: UserOption = "cli",
) -> None:
    """Validér og indlæs en eksportfil. Afvises filen, skrives intet til datatabellerne."""
    if not file.is_file():
        raise UserFacingError(f"Filen '{file}' findes ikke.", title="Filen mangler")
    size = file.stat().st_size
    with file.open("rb") as stream:  # never more than the cap in memory
        content = stream.read(MAX_FILE_BYTES + 1)
    activity_ids = None
    if kind is Kind.INDSATSER:
        year = Quarter.parse(period).year
        activity_ids = frozenset(a.id for g in contract_for(year).goals for a in g.activities)
    engine = make_engine()
    upgrade(engine)
    if max(size, len(content)) > MAX_FILE_BYTES:
        result = quarantine_oversized(
            engine,
            kind=kind,
            head=content[:MAX_FILE_BYTES],
            size=max(size, len(content)),
            filename=file.name,
            period=period,
            user=user,
        )
        typer.echo(result.summary(kind, period.strip().upper()))
        raise typer.Exit(code=1)
    result = ingest(
        engine,
        kind=kind,
        content=content,
        filename=file.name,
        period=period,
        user=user,
        activity_ids=activity_ids,
    )
    typer.echo(terminal_text(result.summary(kind, period.strip().upper()), keep_newlines=True))
    if result.outcome is Outcome.REJECTED:
        raise typer.Exit(code=1)


def batches_command(
    kind: Annotated[Kind | None, typer.Option("--kind", help="Kun denne slags eksport.")] = None,
) -> None:
    """Vis historikken over indlæsninger (aktive, erstattede, afviste)."""
    engine = make_engine()
    upgrade(engine)
    rows = [b for b in list_batches(engine, DEFAULT_ERHVERVSHUS) if kind is None or b.kind == kind]
    if not rows:
        typer.echo("Der er ingen indlæsninger endnu.")
        return
    typer.echo(
        f"{'Nr.':>5}  {'Eksport':<18} {'Periode':<7} {'Status':<16} {'Rækker':>7}  {'Indlæst':<20} Fil"
    )
    for b in rows:
        typer.echo(
            f"{b.id:>5}  {KIND_LABELS[Kind(b.kind)]:<18} {b.period:<7} {BATCH_STATUS_WORDS.get(b.status, b.status):<16} "
            f"{b.row_count:>7}  {timestamp(b.uploaded_at):<20} {terminal_text(b.filename)} ({terminal_text(b.uploaded_by)})"
        )


def _change_batch(
    change: Callable[[Session, int, str], Batch], batch_id: int, user: str, done: str
) -> None:
    """Restore or withdraw a batch in one transaction (the data layer audits it)."""
    engine = make_engine()
    upgrade(engine)
    with session_factory(engine).begin() as session:
        batch = change(session, batch_id, user)
        typer.echo(f"Indlæsning {batch.id} ({batch.kind}, {batch.period}) {done}.")


def restore_command(
    batch_id: Annotated[int, typer.Argument(help="Nummeret fra 'erhvervshus batches'.")],
    user: UserOption = "cli",
) -> None:
    """Gendan en tidligere indlæsning; den aktive for samme periode bliver erstattet."""
    _change_batch(restore_batch, batch_id, user, "er aktiv igen")


def withdraw_command(
    batch_id: Annotated[int, typer.Argument(help="Nummeret fra 'erhvervshus batches'.")],
    user: UserOption = "cli",
) -> None:
    """Træk en aktiv indlæsning tilbage, så den ikke længere indgår i tallene."""
    _change_batch(withdraw_batch, batch_id, user, "er trukket tilbage")


def register_upload(app: typer.Typer) -> None:
    app.command("ingest")(friendly(ingest_command))
    app.command("batches")(friendly(batches_command))
    app.command("restore")(friendly(restore_command))
    app.command("withdraw")(friendly(withdraw_command))
