"""Users' text in Markdown elements renders as exactly that text: no image, link or emphasis."""

from __future__ import annotations

import ast
import html
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from dashboard.views.text import md

HOSTILE = [
    "![p](http://127.0.0.1:9/x.png) [klik](#) **fed**.csv",
    "<img src=x onerror=alert(1)> <script>alert(1)</script>",
    "_kursiv_ `kode` ~~streg~~ # Overskrift | tabel |",
    "http://127.0.0.1:9/autolink www.example.com <http://127.0.0.1:9/a>",
    ":material/home: :red[rød] $x^2$ \\*escaped\\*",
    "Søren & Ærø ApS\n\n- en liste\n> citat",
    "1. nummer",
]
# CommonMark; the GFM autolinks and Streamlit directives are checked on the source below.
RENDERER = MarkdownIt("commonmark")


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_the_text_itself(text: str) -> None:
    rendered = RENDERER.render(md(text)).strip()
    assert rendered == f"<p>{html.escape(' '.join(text.split()), quote=False)}</p>"


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_keeps_no_streamlit_directive_or_formula(text: str) -> None:
    # Streamlit's :material/…:, :red[…] and $…$ and GFM autolinks all need an unescaped
    # punctuation character; every one is preceded by a backslash.
    escaped = md(text)
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            i += 2
            continue
        assert not (escaped[i].isascii() and not escaped[i].isalnum() and escaped[i] != " ")
        i += 1


def test_plain_words_are_unchanged() -> None:
    assert md("Ærø Smørrebrød ApS") == "Ærø Smørrebrød ApS"


# Names of stored or typed strings; inside a Markdown element they must pass through md().
USER_TEXT = {
    "filename",
    "email",
    "source",
    "author",
    "uploaded_by",
    "changed_by",
    "entered_by",
    "message",
    "who",
}
MARKDOWN_CALLS = {"markdown", "caption", "info", "success", "warning", "error", "toast"}
ROOTS = [Path("dashboard/ui"), Path("dashboard/pages"), Path("streamlit_app.py")]


def _names(node: ast.AST) -> set[str]:
    """Names used in ``node``, not looking inside ``md(…)``."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "md":
        return set()
    found = set()
    if isinstance(node, ast.Name):
        found.add(node.id)
    elif isinstance(node, ast.Attribute):
        found.add(node.attr)
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        found.add(str(node.slice.value))
    for child in ast.iter_child_nodes(node):
        found |= _names(child)
    return found


def _unescaped(call: ast.Call) -> list[str]:
    return sorted(set().union(*(_names(arg) for arg in call.args[:1])) & USER_TEXT)


def test_every_user_string_in_a_markdown_element_is_escaped() -> None:
    files = [p for root in ROOTS for p in ([root] if root.is_file() else root.rglob("*.py"))]
    problems = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MARKDOWN_CALLS
            ):
                problems += [f"{path}:{node.lineno} {name}" for name in _unescaped(node)]
    assert not problems, problems
