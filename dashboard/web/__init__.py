"""HTTP routes beside the Streamlit app (Starlette; no Streamlit import)."""
