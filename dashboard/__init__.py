"""Presentation: the Streamlit router and pages, Plotly chart builders, Danish formatting, CLI.

Only the Streamlit-facing modules (``app.py``, ``app_pages/``, ``components.py``) import streamlit.
"""
