"""The login mode, from ``ERHVERVSHUS_AUTH`` (no Streamlit: the CLI reads it too)."""

from __future__ import annotations

import os

MODES = ("local", "oidc", "demo")


def auth_mode() -> str:
    """``local`` (default: local accounts, login required), ``oidc`` or ``demo``."""
    mode = os.environ.get("ERHVERVSHUS_AUTH", "local").strip().lower()
    return mode if mode in MODES else "local"
