"""Streamlit-facing modules besides the pages: navigation, login, filters, caches, shared
widgets and one module per page (named after its page). Only these and ``dashboard/pages/``
import Streamlit."""
