"""Log ind: local accounts (e-mail and password) or the organisation's OpenID Connect login."""

from __future__ import annotations

import streamlit as st

from dashboard.settings import auth_mode
from dashboard.ui import cache
from dashboard.ui.auth import SESSION_KEY, CurrentUser
from dashboard.views.text import md
from data.users import LoginError, login

st.title("Log ind")
if auth_mode() == "oidc":
    st.write("Log ind med din organisations konto (fx Microsoft Entra ID).")
    if st.button("Log ind", icon=":material/login:", type="primary", key="auth.oidc"):
        st.login()
    st.stop()

st.write("Log ind med din e-mail og adgangskode.")
with st.form("auth.login_form"):
    email = st.text_input("E-mail", key="auth.email")
    password = st.text_input("Adgangskode", type="password", key="auth.password")
    submitted = st.form_submit_button("Log ind", type="primary")
if submitted:
    try:
        info = login(cache.engine(), email, password)
    except LoginError as exc:
        st.error(md(exc.message), icon=":material/lock:")
    else:
        st.session_state[SESSION_KEY] = CurrentUser(info.email, info.name, info.roles, "local")
        st.rerun()
