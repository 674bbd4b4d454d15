"""Log ind: the form (local accounts or OpenID Connect), the login for a page opened by its
address, the note for a role that may not see a page, and logging out.

After a local login the tab holds the new session at once; the browser is then sent through
``/_auth/session`` (see ``dashboard.web.session_routes``), which sets the session cookie and
goes on to the page that was asked for.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st

from dashboard.settings import auth_mode, session_lifetime
from dashboard.ui import cache
from dashboard.ui.auth import SESSION_KEY, CurrentUser
from dashboard.views.text import md
from dashboard.web.session_routes import (
    LOGOUT_PATH,
    NEXT_COOKIE,
    NEXT_PATH,
    REMEMBER_PATH,
    SCRIPT_PATH,
    SESSION_PATH,
    safe_next,
)
from data.sessions import end_session, start_session
from data.users import ROLE_LABELS, LoginError, login


def current_path(url_path: str) -> str:
    """The address of the page ``url_path`` with this run's query parameters."""
    query = urlencode(st.query_params.to_dict())
    return safe_next(f"/{url_path}" + (f"?{query}" if query else ""))


def go_to(url: str) -> None:
    """Send the browser to ``url`` (a path on this server). The script is a file served by
    the dashboard, because the Content-Security-Policy allows no inline script."""
    target = html.escape(safe_next(url), quote=True)
    st.html(
        f'<script src="{SCRIPT_PATH}" data-to="{target}"></script>', unsafe_allow_javascript=True
    )


def login_view(page_title: str | None = None, next_path: str = "/") -> None:
    """The login form; with ``page_title``, the login for that page, which opens after it."""
    st.title(f"Log ind for at se {page_title}" if page_title else "Log ind")
    if auth_mode() == "oidc":
        if page_title:  # the provider's login returns to "/": keep the page for afterwards
            target = html.escape(f"{REMEMBER_PATH}?{urlencode({'next': next_path})}", quote=True)
            st.html(f'<img src="{target}" alt="" width="1" height="1">')
        st.write("Log ind med din organisations konto (fx Microsoft Entra ID).")
        if st.button("Log ind", icon=":material/login:", type="primary", key="auth.oidc"):
            st.login()
        return
    if page_title:
        st.write(f"Siden *{md(page_title)}* kræver, at du er logget ind.")
    st.write("Log ind med din e-mail og adgangskode.")
    with st.form("auth.login_form"):
        email = st.text_input("E-mail", key="auth.email")
        password = st.text_input("Adgangskode", type="password", key="auth.password")
        submitted = st.form_submit_button("Log ind", type="primary")
    if not submitted:
        return
    try:
        info = login(cache.engine(), email, password)
    except LoginError as exc:
        st.error(md(exc.message), icon=":material/lock:")
        return
    session_id, handoff = start_session(cache.engine(), info.email, lifetime=session_lifetime())
    st.session_state[SESSION_KEY] = CurrentUser(
        info.email, info.name, frozenset(info.roles | {"viewer"}), "local", session_id
    )
    st.success(f"Du er logget ind som {md(info.email)}. Et øjeblik …", icon=":material/login:")
    go_to(f"{SESSION_PATH}?{urlencode({'t': handoff, 'next': next_path})}")
    st.stop()


def went_to_asked_page(user: CurrentUser) -> bool:
    """After an OpenID Connect login: send the browser on to the page asked for before it."""
    kept = st.context.cookies.get(NEXT_COOKIE)
    if user.method != "oidc" or not isinstance(kept, str) or not kept:
        return False
    go_to(NEXT_PATH)
    return True


def already_logged_in(user: CurrentUser) -> None:
    st.title("Log ind")
    st.success(f"Du er logget ind som {md(user.email)}.", icon=":material/check_circle:")
    go_to("/")


def missing_role_view(page_title: str, role: str, user: CurrentUser) -> None:
    """A page the user's roles do not give: say so, in Danish, instead of "Page not found"."""
    st.title("Ingen adgang")
    st.warning(
        f"Siden *{md(page_title)}* kræver rollen **{ROLE_LABELS[role]}**, og den har "
        f"{md(user.email)} ikke. Bed en administrator om rollen, eller vælg en anden side "
        "i menuen.",
        icon=":material/block:",
    )


def log_out(user: CurrentUser) -> None:
    """End the session in the database (every tab), then let the browser drop its cookie."""
    from data.audit import AuditAction, audit
    from data.db import session_factory

    with session_factory(cache.engine()).begin() as session:
        audit(session, user.email, AuditAction.LOGOUT, None, method=user.method)
    if user.session_id is not None:
        end_session(cache.engine(), user.session_id)
    st.session_state.pop(SESSION_KEY, None)
    if user.method == "oidc":
        st.logout()
        return
    st.title("Log ud")
    st.info("Du er logget ud.", icon=":material/logout:")
    go_to(f"{LOGOUT_PATH}?{urlencode({'next': '/'})}")
    st.stop()
