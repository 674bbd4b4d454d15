"""Log ind: local accounts (e-mail and password) or the organisation's OpenID Connect login."""

from __future__ import annotations

from dashboard.ui.login import login_view

login_view()
