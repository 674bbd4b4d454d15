"""The annual report export (the secretariat's `exporter` role, docs/users.md): charts, documents and data files.

Plain Python (no Streamlit): :func:`dashboard.report.bundle.build_report` is called by the
export page and by ``erhvervshus export``. The figures are the dashboard's own chart builders.
"""
