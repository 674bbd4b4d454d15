"""Errors a person can act on, carrying the Danish text the UI and CLI show."""

from __future__ import annotations


class UserFacingError(Exception):
    """Something a person can fix. ``title`` and ``message`` are Danish and shown as they are."""

    title = "Der opstod et problem"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title


class ContractError(UserFacingError):
    title = "Ugyldig kontraktfil"


class PeriodError(UserFacingError):
    title = "Ugyldig periode"
