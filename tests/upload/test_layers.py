"""The expectations package is the bottom layer and imports Great Expectations lazily."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_expectations_imports_nothing_above_it() -> None:
    for path in (ROOT / "expectations").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top not in {"data", "metrics", "dashboard", "streamlit"}, (path, name)


def test_great_expectations_is_not_imported_at_import_time() -> None:
    code = (
        "import sys, data.upload_check, expectations.validate; "
        "print('great_expectations' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_every_column_and_alias_is_documented_in_the_readme() -> None:
    from pathlib import Path

    from expectations.schema import COLUMNS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [
        f"{c.label}/{a}"
        for cols in COLUMNS.values()
        for c in cols
        for a in c.aliases
        if f"`{a}`" not in readme or f"| {c.label} |" not in readme
    ]
    assert not missing, f"undocumented columns or aliases: {missing}"
