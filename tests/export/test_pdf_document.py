"""The report's PDF writer on a small hand-built document: tagged for PDF/UA-1, footers as
artifacts, bookmarks with the headings' own words, a table of contents with the right pages."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import page as page_validation
import pikepdf
import plotly.graph_objects as go
import pytest

from dashboard.report import content as C
from dashboard.report.pdf import document_html, write_pdf
from dashboard.report.pdf_tags import outline_pages
from dashboard.report.renderer import ChartRenderer

LONG_TITLE = "Mål 3 – Kvalitet, kompetencer og virksomhedernes\ntilfredshed med det hele i år"


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, C.Document]]:
    folder = tmp_path_factory.mktemp("pdf")
    figure = go.Figure(go.Bar(x=["Aalborg", "Læsø"], y=[3, 5]))
    with ChartRenderer() as renderer:
        _, png = renderer.image(figure.to_json(), 800, 448, 1).result()
        (folder / "c.png").write_bytes(png)
        rows = [["Mål 1", "Andel nye virksomheder i Frederikshavn", "✔ Opfyldt"]] * 70
        blocks: list[C.Block] = [
            C.Para("Resultatkontrakt 2022", "cover_title"),
            C.Para("Udarbejdet 22. november 2026", "cover"),
            C.PageBreak(),
            C.Contents(),
            C.Heading("Sammenfatning"),
            C.Table(("Mål", "Nøgletal", "Status"), rows, (0.2, 0.5, 0.3)),
            C.Heading(LONG_TITLE),
            C.Para("Tekst " * 150),
            C.Image(folder / "c.png", "Vejledte virksomheder", 0.56, "Diagram: søjler", 1),
            C.Heading("Direktørens kommentar", 2),
            C.Para("=1+1 <b>ikke fed</b>", "quote"),
            C.Heading("Datagrundlag og metode"),
        ]
        doc = C.Document('Rapport "2022" – opfølgning', blocks)
        yield write_pdf(doc, folder / "r.pdf", renderer), doc


def _text(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_pdf_passes_the_pdf_ua_checker(printed: tuple[Path, C.Document]) -> None:
    pdf, _ = printed
    result = page_validation.validate_pdf(str(pdf), profile="ua1")
    assert result.is_compliant, [(f.rule_id, f.message) for f in result.failures]


def test_footers_are_artifacts_and_the_cover_has_none(printed: tuple[Path, C.Document]) -> None:
    pdf, doc = printed
    pages = _text(pdf, "-layout").split("\f")
    assert "Side" not in pages[0]
    for number, text in enumerate(pages[1:-1], 2):
        assert re.search(rf"{re.escape(' '.join(doc.title.split()))}\s+Side {number}\s*$", text)
    with pikepdf.open(pdf) as document:
        second = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(document.pages[1]))
        assert b"/Artifact" in second and b"/Pagination" in second
        assert document.docinfo.Title == doc.title
        assert document.Root.ViewerPreferences.DisplayDocTitle
        assert b"<pdfuaid:part>1</pdfuaid:part>" in document.Root.Metadata.read_bytes()


def test_bookmarks_keep_the_headings_words_and_the_contents_their_pages(
    printed: tuple[Path, C.Document],
) -> None:
    pdf, _ = printed
    marks = outline_pages(pdf.read_bytes())
    assert [t for t, _ in marks] == [
        "Indhold",
        "Sammenfatning",
        " ".join(LONG_TITLE.split()),  # Chromium's own bookmark would read "…virksomhederne…"
        "Direktørens kommentar",
        "Datagrundlag og metode",
    ]
    contents = _text(pdf, "-f", "2", "-l", "2", "-layout")
    listed = dict(re.findall(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", contents, re.MULTILINE))
    pages = dict(marks)
    assert int(listed["Sammenfatning"]) == pages["Sammenfatning"] == 2
    assert int(listed["Datagrundlag og metode"]) == pages["Datagrundlag og metode"] >= 4
    with pikepdf.open(pdf) as document:
        links = [str(a.Contents) for a in document.pages[1].obj.Annots]
    assert links[0] == "Gå til Sammenfatning, side 2"


def test_text_is_escaped_and_the_table_header_repeats(printed: tuple[Path, C.Document]) -> None:
    pdf, doc = printed
    html = document_html(
        doc, {p.path: "/x.png" for p in doc.blocks if isinstance(p, C.Image)}, None
    )
    assert "<b>ikke fed</b>" not in html and "&lt;b&gt;ikke fed&lt;/b&gt;" in html
    text = _text(pdf)
    assert "=1+1 <b>ikke fed</b>" in text
    # 70 rows run over two pages; the second begins with the header again
    with_rows = [p for p in _text(pdf, "-layout").split("\f") if "Frederikshavn" in p]
    assert len(with_rows) >= 2 and all("Nøgletal" in p for p in with_rows)
