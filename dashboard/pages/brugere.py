"""Brugere (administrator): local accounts and roles."""

from __future__ import annotations

import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.widgets import run_page
from dashboard.views import format as fmt
from dashboard.views.text import md
from data.db import session_factory
from data.users import ROLE_LABELS, Role, add_user, list_users, remove_user, set_password


def body() -> None:
    admin = require_role("admin")
    st.title("Brugere og roller")
    engine = cache.engine()
    rows = [
        {
            "E-mail": u.email,
            "Navn": u.name or "",
            "Roller": ", ".join(ROLE_LABELS[r] for r in sorted(u.roles)),
            "Login": "adgangskode" if u.has_password else "kun OpenID Connect",
            "Låst til": fmt.timestamp(u.locked_until) if u.locked_until else "",
        }
        for u in list_users(engine)
    ]
    st.dataframe(rows, hide_index=True, width="stretch")

    st.subheader("Opret bruger eller tilføj roller")
    with st.form("users.add", clear_on_submit=True):
        email = st.text_input("E-mail")
        name = st.text_input("Navn (valgfrit)")
        roles = st.multiselect(
            "Roller",
            [r.value for r in Role],
            format_func=ROLE_LABELS.__getitem__,
            placeholder="Vælg roller",
            select_all=False,  # every role at one click would include Administrator
        )
        password = st.text_input(
            "Adgangskode (mindst 12 tegn; tom = kun OpenID Connect)", type="password"
        )
        if st.form_submit_button("Gem bruger", type="primary"):
            require_role("admin")  # checked again at the action
            with session_factory(engine).begin() as session:
                add_user(
                    session,
                    email,
                    set(roles),
                    actor=admin.email,
                    password=password or None,
                    name=name or None,
                )
            st.success(f"Brugeren {md(email)} er gemt.")
            st.rerun()

    st.subheader("Ny adgangskode eller slet bruger")
    emails = [u.email for u in list_users(engine)]
    if not emails:
        return
    who = st.selectbox("Bruger", emails, key="users.who")
    new_password = st.text_input("Ny adgangskode", type="password", key="users.new_password")
    left, right = st.columns(2)
    if left.button("Sæt adgangskode", key="users.set_password", disabled=not new_password):
        require_role("admin")
        with session_factory(engine).begin() as session:
            set_password(session, who, new_password, actor=admin.email)
        st.success(f"Ny adgangskode er sat for {md(who)}.")
    if right.button("Slet bruger", key="users.remove", disabled=who == admin.email):
        require_role("admin")
        with session_factory(engine).begin() as session:
            remove_user(session, who, actor=admin.email)
        st.rerun()


run_page(body)
