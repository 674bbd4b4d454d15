"""Labels that stay readable on a phone: level, and never clipped at the plot's edge."""

from __future__ import annotations

import plotly.graph_objects as go


def readable_labels(fig: go.Figure) -> go.Figure:
    """Labels inside a bar stay level (Plotly turns them on their side in a phone's narrow
    bars); a point's label is never clipped at the edge ("35,3 %" cut to ")5,3 %"). Outside
    labels are never turned, and keep their clipping (an empty bar's "ingen data" needs it)."""
    for trace in fig.data:
        if trace.type == "bar" and trace.text is not None and trace.textposition != "outside":
            trace.textangle = 0
        if trace.type == "scatter" and trace.text is not None:
            trace.cliponaxis = False
    return fig
