"""Brugere (administrator): local accounts and roles – create, add or remove a role, unlock,
set a password, delete; each change is confirmed with a message (:mod:`dashboard.ui.brugere`)."""

from __future__ import annotations

import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.brugere import FLASH_KEY, add_form, user_actions, user_table
from dashboard.ui.widgets import run_page
from dashboard.views.text import md
from data.users import list_users


def body() -> None:
    admin = require_role("admin")
    st.title("Brugere og roller")
    done = st.session_state.pop(FLASH_KEY, None)
    if done:
        st.success(md(done), icon=":material/check_circle:")
    users = list_users(cache.engine())
    user_table(users)
    add_form()
    if users:
        user_actions(admin.email or "", users)


run_page(body)
