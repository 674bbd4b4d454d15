"""Who is using the dashboard, and what they may do (Streamlit-facing).

Three modes, chosen by ``ERHVERVSHUS_AUTH``:

- ``local`` (the default): local accounts in the database (argon2), login required;
- ``oidc``: Streamlit's native ``st.login`` with an OpenID Connect provider configured in
  ``.streamlit/secrets.toml``; roles from the ``ERHVERVSHUS_ROLE_CLAIM`` claim (default
  ``groups``) and from the users table by e-mail;
- ``demo`` (``make run``): anonymous visitors are viewers, marked "Demo"; local login works.

Roles are checked when the navigation is built and again inside every action
(:func:`require_role`), because a session outlives a role change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from dashboard.settings import auth_mode
from dashboard.ui import cache
from data.users import Role, roles_for_email

SESSION_KEY = "auth.user"


@dataclass(frozen=True, slots=True)
class CurrentUser:
    email: str
    name: str | None
    roles: frozenset[str]
    method: str  # "local" | "oidc" | "demo"

    @property
    def anonymous(self) -> bool:
        return self.method == "demo" and not self.email

    def has(self, role: str) -> bool:
        """Every user may view; an administrator may do everything."""
        return role == "viewer" or role in self.roles or "admin" in self.roles


def _roles_from_claim(value: object) -> set[str]:
    items = value if isinstance(value, list | tuple) else [value]
    found = set()
    for item in items:
        name = str(item).strip().lower().removeprefix("erhvervshus-")
        if name in set(Role):
            found.add(name)
    return found


def current_user() -> CurrentUser | None:
    """The logged-in user, the anonymous demo viewer, or None (must log in)."""
    mode = auth_mode()
    if mode == "oidc":
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "").lower()
        claim = os.environ.get("ERHVERVSHUS_ROLE_CLAIM", "groups")
        roles = _roles_from_claim(st.user.get(claim, [])) | set(
            roles_for_email(cache.engine(), email)
        )
        return CurrentUser(email, st.user.get("name"), frozenset(roles | {"viewer"}), "oidc")
    user = st.session_state.get(SESSION_KEY)
    if isinstance(user, CurrentUser):
        # Roles are read again from the database: a removed role takes effect at once.
        roles = roles_for_email(cache.engine(), user.email)
        return CurrentUser(user.email, user.name, frozenset(roles | {"viewer"}), user.method)
    if mode == "demo":
        return CurrentUser("", None, frozenset({"viewer"}), "demo")
    return None


def require_role(role: str) -> CurrentUser:
    """Stop the page with a Danish message unless the current user holds ``role``."""
    user = current_user()
    if user is None or not user.has(role):
        st.error("Du har ikke adgang til denne funktion. Log ind med en bruger, der har rollen.")
        st.stop()
    return user
