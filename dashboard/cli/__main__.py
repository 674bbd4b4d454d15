"""``python -m dashboard.cli`` runs the command line."""

from dashboard.cli.app import main

main()
