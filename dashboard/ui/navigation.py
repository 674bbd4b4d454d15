"""Which pages a person gets, by role (Streamlit-facing), and the sidebar's user box.

A page that is not given to ``st.navigation`` cannot be opened by URL at all, so this is the
first gate; every action checks the role again with :func:`dashboard.ui.auth.require_role`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.settings import auth_mode
from dashboard.ui.auth import SESSION_KEY, CurrentUser
from dashboard.views.text import md
from data.users import ROLE_LABELS

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"


@dataclass(frozen=True, slots=True)
class PageSpec:
    file: str
    title: str
    icon: str
    role: str  # the role that may see the page
    section: str


PAGES = (
    PageSpec("overblik.py", "Overblik", ":material/home:", "viewer", "Resultater"),
    PageSpec("maal.py", "Mål", ":material/flag:", "viewer", "Resultater"),
    PageSpec("kommuner.py", "Kommuner", ":material/map:", "viewer", "Resultater"),
    PageSpec("sammenlign.py", "Sammenlign år", ":material/calendar_month:", "viewer", "Resultater"),
    PageSpec("benchmark.py", "Benchmark", ":material/leaderboard:", "viewer", "Resultater"),
    PageSpec("indlaes.py", "Indlæs data", ":material/upload_file:", "uploader", "Data"),
    PageSpec("indlaesninger.py", "Indlæsninger", ":material/inventory_2:", "uploader", "Data"),
    PageSpec("indsatser.py", "Indsatser", ":material/checklist:", "uploader", "Data"),
    PageSpec("kommentarer.py", "Kommentarer", ":material/edit_note:", "uploader", "Data"),
    PageSpec("eksport.py", "Eksport", ":material/download:", "exporter", "Årsrapport"),
    PageSpec("brugere.py", "Brugere", ":material/group:", "admin", "Administration"),
    PageSpec("auditlog.py", "Log", ":material/history:", "admin", "Administration"),
)


def pages_for(user: CurrentUser | None) -> dict[str, list[st.Page]]:
    """The navigation of a user (or of someone who must log in first)."""
    login = st.Page(
        PAGES_DIR / "login.py", title="Log ind", icon=":material/login:", url_path="log-ind"
    )
    if user is None:
        return {"": [login]}
    sections: dict[str, list[st.Page]] = {}
    first = True
    for spec in PAGES:
        path = PAGES_DIR / spec.file
        if not user.has(spec.role):
            continue
        sections.setdefault(spec.section, []).append(
            st.Page(path, title=spec.title, icon=spec.icon, default=first)
        )
        first = False
    if user.anonymous:
        sections.setdefault("Konto", []).append(login)
    return sections


def user_box(user: CurrentUser | None) -> None:
    """Who is logged in (or the Demo marker), and a logout button."""
    if user is None:
        return
    with st.sidebar:
        if user.anonymous:
            st.warning(
                "**Demo** – du ser demodata som læser. Log ind for at indlæse eller eksportere.",
                icon=":material/science:",
            )
            return
        roles = (
            ", ".join(ROLE_LABELS[r] for r in sorted(user.roles) if r != "viewer")
            or ROLE_LABELS["viewer"]
        )
        st.caption(
            f"Logget ind som {md(user.email)} · {roles}"
            + (" · Demo" if auth_mode() == "demo" else "")
        )
        if st.button("Log ud", icon=":material/logout:", key="auth.logout"):
            log_out(user)


def log_out(user: CurrentUser) -> None:
    from dashboard.ui import cache
    from data.audit import AuditAction, audit
    from data.db import session_factory

    with session_factory(cache.engine()).begin() as session:
        audit(session, user.email, AuditAction.LOGOUT, None, method=user.method)
    if user.method == "oidc":
        st.logout()
    st.session_state.pop(SESSION_KEY, None)
    st.rerun()
