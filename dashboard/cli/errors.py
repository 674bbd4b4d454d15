"""One place that turns a :class:`UserFacingError` into a Danish message and exit code 1."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from dashboard.views.format import terminal_text
from data.errors import UserFacingError

P = ParamSpec("P")
R = TypeVar("R")


def friendly(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a CLI command: errors a person can fix are printed, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except UserFacingError as exc:
            typer.echo(terminal_text(f"{exc.title}: {exc.message}", keep_newlines=True), err=True)
            raise typer.Exit(code=1) from exc

    return wrapper
