"""Which pages a person gets, by role (Streamlit-facing), and the sidebar's user box.

The navigation decides which page a person may run: this is the first gate; every action
checks the role again with :func:`dashboard.ui.auth.require_role`. A page's address opened
without the role gives the login for it or a Danish note, never Streamlit's "Page not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.settings import auth_mode
from dashboard.ui.auth import CurrentUser
from dashboard.ui.login import (
    already_logged_in,
    current_path,
    log_out,
    login_view,
    missing_role_view,
    went_to_asked_page,
)
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


BY_URL = {Path(spec.file).stem: spec for spec in PAGES}


def pages_for(user: CurrentUser | None) -> dict[str, list[st.Page]]:
    """The navigation of a user (or of someone who must log in first).

    Every page is in it, so its address always opens something: the pages the user may not
    see are hidden from the menu, and :func:`run_page` shows the login for them (nobody
    logged in, or the demo viewer) or says which role is missing."""
    anonymous = user is None or user.anonymous
    login = st.Page(
        PAGES_DIR / "login.py",
        title="Log ind",
        icon=":material/login:",
        url_path="log-ind",
        default=user is None,
        visibility="visible" if anonymous else "hidden",
    )
    sections: dict[str, list[st.Page]] = {"": [login]} if user is None else {}
    hidden: list[st.Page] = [] if anonymous else [login]
    first = user is not None
    for spec in PAGES:
        path = PAGES_DIR / spec.file
        if user is None or not user.has(spec.role):
            hidden.append(st.Page(path, title=spec.title, icon=spec.icon, visibility="hidden"))
            continue
        sections.setdefault(spec.section, []).append(
            st.Page(path, title=spec.title, icon=spec.icon, default=first)
        )
        first = False
    if user is not None and user.anonymous:
        sections.setdefault("Konto", []).append(login)
    next(iter(sections.values())).extend(hidden)
    return sections


def run_page(user: CurrentUser | None, page: st.Page) -> None:
    """Run the chosen page, or the login for it, or the note that the user's role is missing."""
    if user is not None and went_to_asked_page(user):
        return
    spec = BY_URL.get(page.url_path)
    if spec is None or (user is not None and user.has(spec.role)):
        if page.url_path == "log-ind" and user is not None and not user.anonymous:
            already_logged_in(user)
            return
        page.run()
        return
    if user is None or user.anonymous:
        login_view(spec.title, current_path(page.url_path))
    else:
        missing_role_view(spec.title, spec.role, user)


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
        clicked = st.button("Log ud", icon=":material/logout:", key="auth.logout")
    if clicked:
        log_out(user)
