"""Contract model, Polars KPI jobs, statistics, status and projection.

Pure Python and Polars; never imports Streamlit. Jobs take and return LazyFrames; the caller
(CLI, cache layer) collects.
"""
