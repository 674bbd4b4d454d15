"""Login settings from the environment: the mode (``ERHVERVSHUS_AUTH``) and the session
cookie (no Streamlit: the CLI and the web routes read them too)."""

from __future__ import annotations

import os
from datetime import timedelta

from data.errors import UserFacingError

MODES = ("local", "oidc", "demo")


def auth_mode() -> str:
    """``local`` (default: local accounts, login required), ``oidc`` or ``demo``."""
    mode = os.environ.get("ERHVERVSHUS_AUTH", "local").strip().lower()
    return mode if mode in MODES else "local"


SESSION_HOURS_VAR = "ERHVERVSHUS_SESSION_HOURS"
MAX_SESSION_HOURS = 24 * 30


def session_lifetime() -> timedelta:
    """How long a login lasts (``ERHVERVSHUS_SESSION_HOURS``, default 8 hours)."""
    raw = os.environ.get(SESSION_HOURS_VAR, "").strip()
    if not raw:
        return timedelta(hours=8)
    try:
        hours = float(raw.replace(",", "."))
    except ValueError:
        hours = -1.0
    if not 0 < hours <= MAX_SESSION_HOURS:
        raise UserFacingError(
            f"{SESSION_HOURS_VAR}='{raw}' er ikke et gyldigt antal timer. "
            f"Angiv et tal over 0 og højst {MAX_SESSION_HOURS}, fx 8.",
            title="Ugyldig indstilling",
        )
    return timedelta(hours=hours)


def session_secret() -> str | None:
    """The cookie signing key from ``ERHVERVSHUS_SESSION_SECRET``; None: a key kept in the
    database is used."""
    return os.environ.get("ERHVERVSHUS_SESSION_SECRET") or None


def cookie_always_secure() -> bool:
    """``ERHVERVSHUS_COOKIE_SECURE=1`` marks the cookie ``Secure`` even when no proxy says
    the request came over TLS."""
    return os.environ.get("ERHVERVSHUS_COOKIE_SECURE", "").strip().lower() in {"1", "true", "ja"}
