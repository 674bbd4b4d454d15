"""The Brugere page's parts (Streamlit-facing): the user table, the form that creates a user or
adds roles, and the changes to one user; each change runs in one transaction as the checked
administrator and is confirmed with a message after the rerun."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.busy import busy, busy_button
from dashboard.views import format as fmt
from dashboard.views.text import md
from data.db import session_factory
from data.errors import UserFacingError
from data.users import (
    ROLE_LABELS,
    Role,
    UserInfo,
    add_user,
    is_locked,
    list_users,
    remove_role,
    remove_user,
    set_password,
    unlock_user,
)

FLASH_KEY = "users.flash"  # the confirmation of the last change, shown once after the rerun


def change(key: str, action: Callable[[Session, str], Any], done: str) -> None:
    """Run ``action(session, admin_email)`` in one transaction as the checked administrator;
    on success the confirmation is shown after the rerun, else the Danish reason."""
    admin = require_role("admin")  # checked again at the action
    try:
        with busy(key, "Gemmer ændringen …"), session_factory(cache.engine()).begin() as session:
            action(session, admin.email or "")
    except UserFacingError as exc:
        st.error(md(exc.message), icon=":material/error:")
        return
    st.session_state[FLASH_KEY] = done
    st.rerun()


def user_table(users: list[UserInfo]) -> None:
    rows = [
        {
            "E-mail": u.email,
            "Navn": u.name or "",
            "Roller": ", ".join(ROLE_LABELS[r] for r in sorted(u.roles)),
            "Login": "adgangskode" if u.has_password else "kun OpenID Connect",
            "Låst": (
                f"🔒 låst til {fmt.timestamp(u.locked_until)}"
                if u.locked_until and is_locked(u)
                else ""
            ),
        }
        for u in users
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def add_form() -> None:
    st.subheader("Opret bruger eller tilføj roller")
    with st.form("users.add", clear_on_submit=True, enter_to_submit=False):
        email = st.text_input("E-mail")
        name = st.text_input("Navn (valgfrit)")
        # One checkbox per role: no "select all" that would give the administrator role by one
        # click.
        st.markdown("Roller")
        boxes = st.columns(len(Role))
        roles = [
            r.value
            for r, where in zip(Role, boxes, strict=True)
            if where.checkbox(ROLE_LABELS[r], key=f"users.add.{r.value}")
        ]
        password = st.text_input(
            "Adgangskode (mindst 12 tegn; tom = kun OpenID Connect)", type="password"
        )
        if st.form_submit_button("Gem bruger", type="primary"):
            known = {u.email for u in list_users(cache.engine())}
            labels = ", ".join(ROLE_LABELS[r] for r in roles)
            what = "har fået rollerne" if email.strip().lower() in known else "er oprettet med"
            change(
                "users.add",
                lambda s, actor: add_user(
                    s, email, set(roles), actor=actor, password=password or None, name=name or None
                ),
                f"Brugeren {email.strip().lower()} {what}: {labels}.",
            )


def user_actions(admin: str, users: list[UserInfo]) -> None:
    st.subheader("Ret en bruger")
    by_email = {u.email: u for u in users}
    who = st.selectbox("Bruger", list(by_email), key="users.who")
    if who is None:
        return
    user = by_email[who]
    roles = sorted(user.roles)
    left, right = st.columns(2)
    role = left.selectbox(
        "Rolle, der skal fjernes", roles, format_func=ROLE_LABELS.__getitem__, key="users.role"
    )
    if busy_button(
        "Fjern rollen",
        key="users.remove_role",
        icon=":material/person_remove:",
        disabled=role is None or len(roles) < 2,
        where=left,
    ):
        change(
            "users.remove_role",
            lambda s, actor: remove_role(s, who, role, actor=actor),
            f"Rollen {ROLE_LABELS[role]} er fjernet fra {who}. Brugerens åbne logins er "
            "afsluttet; ved næste login gælder de øvrige roller.",
        )
    if len(roles) < 2:
        left.caption("Den eneste rolle kan ikke fjernes; slet brugeren i stedet.")
    locked = is_locked(user)
    right.markdown(
        f"🔒 Kontoen er låst til {fmt.timestamp(user.locked_until)}."
        if locked and user.locked_until
        else "Kontoen er ikke låst."
    )
    if busy_button(
        "Lås kontoen op",
        key="users.unlock",
        icon=":material/lock_open:",
        disabled=not locked,
        where=right,
    ):
        change(
            "users.unlock",
            lambda s, actor: unlock_user(s, who, actor=actor),
            f"Kontoen {who} er låst op; brugeren kan logge ind igen.",
        )

    new_password = st.text_input("Ny adgangskode", type="password", key="users.new_password")
    left, right = st.columns(2)
    if busy_button(
        "Sæt adgangskode", key="users.set_password", disabled=not new_password, where=left
    ):
        change(
            "users.set_password",
            lambda s, actor: set_password(s, who, new_password, actor=actor),
            f"Ny adgangskode er sat for {who}; brugerens åbne logins er afsluttet.",
        )
    if busy_button("Slet bruger", key="users.remove", disabled=who == admin, where=right):
        change(
            "users.remove",
            lambda s, actor: remove_user(s, who, actor=actor),
            f"Brugeren {who} er slettet.",
        )
