"""Presentation: thin Streamlit pages, their UI modules, pure views, Plotly charts, the annual
report and the command line.

- ``pages/``: one file per page (its file name is its URL); only routing and widgets.
- ``ui/``: the only other modules that import Streamlit (navigation, login, filters, caches,
  shared widgets, one module per page named after it).
- ``views/``: pure shaping and labels used by the pages, the report and the CLI.
- ``charts/``: Plotly figure builders; ``report/``: the annual report files; ``cli/``: Typer app.

The entry script is ``streamlit_app.py`` at the repository root, so no ``pages/`` folder sits
beside it (Streamlit would otherwise route a first visitor's deep link without the login gate).
"""
