"""The ``erhvervshus`` command line (Typer app and its command groups)."""
