"""The report document as a tagged A4 PDF, printed by Chromium from HTML.

A document published with a municipal agenda must be readable with a screen reader: tagged
(headings, paragraphs, tables with header cells, figures with their alternative text in the
structure tree), with its language, title and bookmarks. Chromium's printing writes all of that
from plain HTML (``page.pdf(tagged=True, outline=True)``), and the report's
:class:`~dashboard.report.renderer.ChartRenderer` already runs one Chromium for the charts;
reportlab, used before, writes no structure tree.

Layout: A4, DejaVu Sans throughout (it has ✔ ✖ ⚠ ➚; the charts use it too), the cover on a
page of its own without footer, and then one flow (the document breaks a page after the cover
only): a heading never ends a page, a figure and its caption stay together, table rows are
never split, header rows repeat, and no word is broken, so a short goal does not leave a page
nearly empty.

The table of contents needs each heading's page: a first print is read back (its outline gives
the page of every heading) and the second print carries the numbers. The TOC's page numbers
take the same room in both prints ("00"), so no heading moves between them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from html import escape
from pathlib import Path

from dashboard.report import content as C
from dashboard.report.figures import REPORT_FONT
from dashboard.report.pdf_tags import finish_tagged, outline_pages
from dashboard.report.renderer import ChartRenderer
from dashboard.report.static import outcome_of
from data.errors import UserFacingError

FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
AUTHOR = "Erhvervshus Nordjylland"
LANGUAGE = "da-DK"

CSS = """
@page {
  size: A4; margin: 2cm 2cm 2.2cm 2cm;
  @bottom-left { content: "$title"; font: 8pt "$font"; color: #555; }
  @bottom-right { content: "Side " counter(page); font: 8pt "$font"; color: #555; }
}
@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }
html { font-family: "$font", sans-serif; font-size: 10pt; line-height: 1.4; color: #262730; }
body { margin: 0; }
h1, h2 { break-after: avoid; break-inside: avoid; }
h1 { font-size: 15pt; line-height: 1.25; margin: 18pt 0 8pt; }
h2 { font-size: 11.5pt; line-height: 1.3; margin: 12pt 0 4pt; }
p { margin: 0 0 6pt; orphans: 2; widows: 2; }
p.small { font-size: 8pt; line-height: 1.3; margin-bottom: 4pt; }
blockquote { margin: 0 0 4pt; padding: 4pt 6pt; background: #F5F5F5; border: 0.5pt solid #BBB; }
div.break { break-after: page; }
p.cover_title { font-size: 22pt; line-height: 1.3; font-weight: bold; margin: 5cm 0 14pt; }
p.cover_subtitle { font-size: 15pt; line-height: 1.3; font-weight: bold; margin-bottom: 24pt; }
p.cover { font-size: 12pt; line-height: 1.5; margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 0 0 8pt; font-size: 7.5pt; line-height: 1.27; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { background: #E8EEF5; text-align: left; font-weight: bold; white-space: nowrap; }
th, td { padding: 2pt 3pt; border-bottom: 0.4pt solid #BBB; vertical-align: top;
  hyphens: manual; overflow-wrap: normal; word-break: normal; }
div.figure { margin: 4pt 0 10pt; break-inside: avoid; }
div.figure img { display: block; width: 100%; height: auto; }
p.caption { font-size: 8pt; line-height: 1.3; margin: 4pt 0 0; }
p.toc { display: flex; gap: 6pt; border-bottom: 0.3pt solid #BBB; padding: 3pt 0; margin: 0; }
p.toc a { color: inherit; text-decoration: none; flex: 1; }
p.toc .page { min-width: 1.5cm; text-align: right; }
nav { margin-bottom: 12pt; }
"""

Pages = Mapping[str, int]  # heading key → page
BLANK = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _table(block: C.Table) -> str:
    cols = "".join(f'<col style="width:{w * 100:.1f}%">' for w in block.widths)
    head = "".join(f'<th scope="col">{_text(h)}</th>' for h in block.header)
    body = "".join(
        # An empty cell gets a dash: Chromium leaves an empty cell out of the structure tree,
        # and a screen reader would then read the next value under the wrong column.
        "<tr>" + "".join(f"<td>{_text(v) if v.strip() else '–'}</td>" for v in row) + "</tr>"
        for row in block.rows
    )
    return (
        f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _contents(doc: C.Document, pages: Pages | None) -> str:
    return "".join(
        f'<p class="toc"><a href="#{key}">{escape(" ".join(text.split()))}</a>'
        f'<span class="page">{pages.get(key, "") if pages is not None else "00"}</span></p>'
        for key, text in C.contents_entries(doc)
    )


def _body(doc: C.Document, images: Mapping[Path, str], pages: Pages | None) -> Iterator[str]:
    for i, block in enumerate(doc.blocks):
        key = C.heading_key(i)
        if isinstance(block, C.Heading):
            tag = "h1" if block.level == 1 else "h2"
            yield f'<{tag} id="{key}">{escape(" ".join(block.text.split()))}</{tag}>'
        elif isinstance(block, C.Contents):
            yield f'<nav><h1 id="{key}">{_text(block.title)}</h1>{_contents(doc, pages)}</nav>'
        elif isinstance(block, C.Para):
            if block.style == "quote":
                yield f"<blockquote><p>{_text(block.text)}</p></blockquote>"
            else:
                yield f'<p class="{block.style}">{_text(block.text)}</p>'
        elif isinstance(block, C.Table):
            yield _table(block)
        elif isinstance(block, C.Image):
            yield (
                f'<div class="figure"><img src="{images.get(block.path, BLANK)}" '
                f'alt="{escape(block.alt)}" style="aspect-ratio: 1 / {block.aspect:.5f}">'
                f'<p class="caption">{_text(C.figure_caption(block))}</p></div>'
            )
        elif isinstance(block, C.PageBreak):
            yield '<div class="break"></div>'


def document_html(doc: C.Document, images: Mapping[Path, str], pages: Pages | None) -> str:
    """The document as one HTML page; ``images``: each image's path → its address (an image
    not given is a blank of the same shape)."""
    css_title = " ".join(doc.title.split()).replace("\\", "\\\\").replace('"', '\\"')
    css = CSS.replace("$font", REPORT_FONT).replace("$title", css_title).replace("<", "\\3C ")
    return (
        f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8"><title>{escape(doc.title)}</title>'
        f"<style>{css}</style></head>"
        f"<body>{''.join(_body(doc, images, pages))}</body></html>"
    )


def _headings(doc: C.Document) -> list[tuple[str, str]]:
    """(key, text) of every heading, the table of contents' own included, in order."""
    return [
        (C.heading_key(i), b.text if isinstance(b, C.Heading) else b.title)
        for i, b in enumerate(doc.blocks)
        if isinstance(b, C.Heading | C.Contents)
    ]


def heading_pages(pdf: bytes, doc: C.Document) -> dict[str, int]:
    """Each heading's page (from 1), from the printed PDF's outline: Chromium makes one
    bookmark per heading, in the document's order."""
    marks = outline_pages(pdf)
    headings = _headings(doc)
    if ["".join(t.split()) for t, _ in marks] != ["".join(t.split()) for _, t in headings]:
        raise RuntimeError("the printed PDF's bookmarks do not match the document's headings")
    return {key: page for (key, _), (_, page) in zip(headings, marks, strict=True)}


def write_pdf(
    doc: C.Document,
    path: Path,
    renderer: ChartRenderer,
    *,
    ready: Callable[[Path], Path] = Path,
) -> Path:
    """Print the document to ``path``; ``ready`` waits until an image file exists."""
    if not FONT_FILE.exists():  # Chromium would quietly print in another font
        raise UserFacingError(
            f"{FONT_FILE} mangler: installér Debian-pakken fonts-dejavu-core.",
            title="Skrifttypen mangler",
        )
    # The first print only finds each heading's page: blank images of the charts' shapes lay
    # it out the same, it needs no chart drawn yet, and Chromium prints it in a third of the
    # time (embedding 29 large PNGs is most of a print).
    layout = renderer.document(document_html(doc, {}, None), {})
    files = {
        block.path: f"/files/{n}.png"
        for n, block in enumerate(b for b in doc.blocks if isinstance(b, C.Image))
    }
    served = {address[len("/files/") :]: ready(p) for p, address in files.items()}
    pages = heading_pages(outcome_of("rapportens PDF", layout), doc)
    final = outcome_of(
        "rapportens PDF", renderer.document(document_html(doc, files, pages), served)
    )
    links = {key: f"Gå til {text}, side {pages[key]}" for key, text in C.contents_entries(doc)}
    path.write_bytes(
        finish_tagged(
            final,
            title=doc.title,
            author=AUTHOR,
            lang=LANGUAGE,
            links=links,
            outline=[" ".join(text.split()) for _, text in _headings(doc)],
        )
    )
    return path
