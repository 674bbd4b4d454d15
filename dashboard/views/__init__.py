"""Pure shaping and labels for the pages and the report: formats, KPI cells, municipality
rows, upload views. No Streamlit here, so the CLI, the report and tests use them directly."""
