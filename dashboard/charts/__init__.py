"""Plotly chart builders shared by the pages and the (later) PDF/PNG export.

Every builder takes plain data (Polars frames, numbers, texts) and returns a
``plotly.graph_objects.Figure`` with Danish titles, axis labels, number separators
(``separators=",."``), a source line and a colour-blind-safe palette. No Streamlit here.
"""

from dashboard.charts.base import PALETTE, SEPARATORS
from dashboard.charts.compare import awareness_trend_chart, benchmark_chart, year_comparison_chart
from dashboard.charts.goal import breakdown_chart, interval_chart, trend_chart
from dashboard.charts.maps import fair_share_chart, kommune_map
from dashboard.charts.volume import projection_chart, theme_chart

__all__ = [
    "PALETTE",
    "SEPARATORS",
    "awareness_trend_chart",
    "benchmark_chart",
    "breakdown_chart",
    "fair_share_chart",
    "interval_chart",
    "kommune_map",
    "projection_chart",
    "theme_chart",
    "trend_chart",
    "year_comparison_chart",
]
