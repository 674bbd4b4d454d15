"""Data layer: reference data, contract files, schema, storage, demo data.

Never imports Streamlit. Engines are made by :func:`data.db.make_engine`, never at import.
"""
