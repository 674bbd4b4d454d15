"""CLI commands for local accounts: ``erhvervshus users add|list|remove|set-password``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dashboard.cli.errors import friendly
from dashboard.views.format import terminal_text, timestamp
from data.db import make_engine, session_factory
from data.migrate import upgrade
from data.users import ROLE_LABELS, Role, add_user, list_users, remove_user, set_password

users_app = typer.Typer(help="Lokale brugere og roller.", no_args_is_help=True)
ActorOption = Annotated[
    str, typer.Option("--actor", help="Hvem der foretager ændringen (til loggen).")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(
        typer.prompt("Adgangskode", hide_input=True, confirmation_prompt="Gentag adgangskoden")
    )


@users_app.command("add")
@friendly
def add(
    email: Annotated[str, typer.Argument(help="Brugerens e-mail.")],
    role: Annotated[
        list[str], typer.Option("--role", help=f"Rolle: {', '.join(Role)} (kan gentages).")
    ],
    name: Annotated[str | None, typer.Option("--name", help="Navn.")] = None,
    no_password: Annotated[
        bool,
        typer.Option("--no-password", help="Ingen lokal adgangskode (login via OpenID Connect)."),
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Læs adgangskoden fra stdin.")
    ] = False,
    actor: ActorOption = "cli",
) -> None:
    """Opret en bruger (eller giv en eksisterende bruger flere roller)."""
    password = None if no_password else _password(password_stdin)
    engine = make_engine()
    upgrade(engine)
    with session_factory(engine).begin() as session:
        info = add_user(session, email, set(role), actor=actor, password=password, name=name)
    labels = ", ".join(ROLE_LABELS[r] for r in sorted(info.roles))
    typer.echo(f"Brugeren {info.email} har nu rollerne: {labels}.")


@users_app.command("list")
@friendly
def list_() -> None:
    """Vis brugerne og deres roller."""
    engine = make_engine()
    upgrade(engine)
    users = list_users(engine)
    if not users:
        typer.echo(
            "Der er ingen brugere endnu. Opret den første administrator med 'erhvervshus users add'."
        )
        return
    for u in users:
        locked = f", låst til {timestamp(u.locked_until)}" if u.locked_until else ""
        login = "adgangskode" if u.has_password else "kun OpenID Connect"
        typer.echo(
            f"{terminal_text(u.email):<40} {', '.join(sorted(u.roles)):<32} ({login}{locked})"
        )


@users_app.command("remove")
@friendly
def remove(
    email: Annotated[str, typer.Argument(help="Brugerens e-mail.")], actor: ActorOption = "cli"
) -> None:
    """Slet en bruger."""
    engine = make_engine()
    upgrade(engine)
    with session_factory(engine).begin() as session:
        remove_user(session, email, actor=actor)
    typer.echo(f"Brugeren {email} er slettet.")


@users_app.command("set-password")
@friendly
def set_password_command(
    email: Annotated[str, typer.Argument(help="Brugerens e-mail.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Læs adgangskoden fra stdin.")
    ] = False,
    actor: ActorOption = "cli",
) -> None:
    """Sæt en ny adgangskode (og ophæv en låsning)."""
    password = _password(password_stdin)
    engine = make_engine()
    upgrade(engine)
    with session_factory(engine).begin() as session:
        set_password(session, email, password, actor=actor)
    typer.echo(f"Ny adgangskode er sat for {email}.")
