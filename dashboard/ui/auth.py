"""Who is using the dashboard, and what they may do (Streamlit-facing).

Three modes, chosen by ``ERHVERVSHUS_AUTH``:

- ``local`` (the default): local accounts in the database (argon2), login required;
- ``oidc``: Streamlit's native ``st.login`` with an OpenID Connect provider configured in
  ``.streamlit/secrets.toml``; roles from the ``ERHVERVSHUS_ROLE_CLAIM`` claim (default
  ``groups``) and from the users table by e-mail;
- ``demo`` (``make run``): anonymous visitors are viewers, marked "Demo"; local login works.

A local login is a session (see ``data.sessions`` and docs/sessions.md): a signed, HttpOnly
cookie read through ``st.context.cookies`` and a server-side record, checked on every script
run, so a reload, a new tab or a typed address keeps the login, and a logout, a password change,
a lock-out or a removed role ends it in every tab at its next action. The tab that logged in
also keeps the session's id, for the moment before its cookie is set.

Roles are checked when the navigation is built and again inside every action
(:func:`require_role`), because a session outlives a role change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from dashboard.settings import auth_mode, session_secret
from dashboard.ui import cache
from data.sessions import COOKIE_NAME, SessionUser, signing_key, unsign, verify_id, verify_token
from data.users import Role, roles_for_email

SESSION_KEY = "auth.user"


@dataclass(frozen=True, slots=True)
class CurrentUser:
    email: str
    name: str | None
    roles: frozenset[str]
    method: str  # "local" | "oidc" | "demo"
    session_id: int | None = None  # the local login's session

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
    local = _local_session()
    if local is not None:
        return local
    if mode == "demo":
        return CurrentUser("", None, frozenset({"viewer"}), "demo")
    return None


@st.cache_resource
def _signing_key() -> bytes:
    return signing_key(cache.engine(), session_secret())


def _local_session() -> CurrentUser | None:
    """The live local session of this browser (its cookie) or of this tab (its session id).

    Checked against the database on every run: an ended session logs the tab out."""
    engine = cache.engine()
    found: SessionUser | None = None
    cookie = st.context.cookies.get(COOKIE_NAME)
    if isinstance(cookie, str) and cookie:  # (AppTest has no real cookies)
        token = unsign(cookie, _signing_key())
        found = None if token is None else verify_token(engine, token)
    held = st.session_state.get(SESSION_KEY)
    if found is None and isinstance(held, CurrentUser) and held.session_id is not None:
        found = verify_id(engine, held.session_id)
    if found is None:
        st.session_state.pop(SESSION_KEY, None)
        return None
    user = CurrentUser(
        found.email, found.name, frozenset(found.roles | {"viewer"}), "local", found.session_id
    )
    st.session_state[SESSION_KEY] = user
    return user


def require_role(role: str) -> CurrentUser:
    """Stop the page with a Danish message unless the current user holds ``role``."""
    user = current_user()
    if user is None or not user.has(role):
        st.error("Du har ikke adgang til denne funktion. Log ind med en bruger, der har rollen.")
        st.stop()
    return user
