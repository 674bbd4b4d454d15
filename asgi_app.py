"""The server: Streamlit's ASGI app (``streamlit.starlette.App``) with the session-cookie
routes beside it. ``erhvervshus serve`` runs ``streamlit run asgi_app.py``; Streamlit finds
``app`` here and serves it with uvicorn, and every page still runs ``streamlit_app.py``.
See docs/sessions.md."""

from __future__ import annotations

from pathlib import Path

from streamlit.starlette import App

from dashboard.web.session_routes import ROUTES

app = App(Path(__file__).resolve().parent / "streamlit_app.py", routes=ROUTES)
