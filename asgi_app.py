"""The server: Streamlit's ASGI app (``streamlit.starlette.App``) with the session-cookie
routes beside it. ``erhvervshus serve`` runs ``streamlit run asgi_app.py``; Streamlit finds
``app`` here and serves it with uvicorn, and every page still runs ``streamlit_app.py``.
The scripts the pages load (Streamlit's widget texts in Danish) are routes here too.
See docs/sessions.md."""

from __future__ import annotations

from pathlib import Path

from streamlit.starlette import App

from dashboard.web import assets, session_routes

app = App(
    Path(__file__).resolve().parent / "streamlit_app.py",
    routes=[*session_routes.ROUTES, *assets.ROUTES],
)
