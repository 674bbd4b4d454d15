"""Reading Chromium's printed PDF back, and adding what its tagging lacks for PDF/UA-1
(pikepdf, which is qpdf: a 30-page report is parsed and rewritten in a fraction of a second).

- :func:`outline_pages`: the page of every bookmark (the table of contents needs them);
- :func:`finish_tagged`:
  - the page footers (CSS margin boxes) and some rules are drawn outside the structure tree:
    each such text object and painted path is marked as a pagination artifact, so a screen
    reader skips it;
  - Chromium joins a heading's wrapped lines without a space in its bookmark
    ("virksomhedernestilfredshed"): every bookmark gets its heading's text;
  - the XMP metadata a PDF/UA reader looks for: the title (``dc:title``), the language and the
    PDF/UA identification (``pdfuaid:part`` 1);
  - a description (``/Contents``) on every link: the table of contents' entries say where
    they go;
  - the title, not the file name, in the reader's window (``/DisplayDocTitle``).

The tests check the result with a PDF/UA-1 checker (the Matterhorn protocol's machine checks).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import ContentStreamInstruction, Dictionary, Name, Operator

_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <dc:format>application/pdf</dc:format>
   <xmp:CreateDate>{now}</xmp:CreateDate>
   <xmp:CreatorTool>Resultatkontrakt-dashboard</xmp:CreatorTool>
   <pdf:Producer>Chromium, pikepdf</pdf:Producer>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""

PATH = {"m", "l", "c", "v", "y", "h", "re"}
CLIP = {"W", "W*"}
PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}


def _bookmarks(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every bookmark, depth first in document order."""

    def walk(item: pikepdf.Object | None) -> Iterator[pikepdf.Dictionary]:
        while item is not None:
            yield item
            yield from walk(item.get("/First"))
            item = item.get("/Next")

    outlines = pdf.Root.get("/Outlines")
    if outlines is not None:
        yield from walk(outlines.get("/First"))


def outline_pages(pdf_bytes: bytes) -> list[tuple[str, int]]:
    """(title, page from 1) of every bookmark, in document order."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, 1)}
        dests = pdf.Root.get("/Dests")
        out = []
        for mark in _bookmarks(pdf):
            dest = mark.get("/Dest")
            if dest is None:
                dest = mark.A.D
            if isinstance(dest, pikepdf.Name | pikepdf.String):
                dest = dests[str(dest)] if isinstance(dest, pikepdf.Name) else dests[dest]
            out.append((str(mark.Title), pages[dest[0].objgen]))
        return out


def _artifact_loose_content(page: pikepdf.Page) -> list[object] | None:
    """The page's content with every text object and painted path outside marked content
    wrapped as ``/Artifact <</Type /Pagination>> BDC … EMC``; None: nothing outside."""
    begin = ContentStreamInstruction(
        [Name.Artifact, Dictionary(Type=Name.Pagination)], Operator("BDC")
    )
    end = ContentStreamInstruction([], Operator("EMC"))
    out: list[object] = []
    path: list[object] = []  # a path being built outside marked content
    depth, loose, changed = 0, False, False
    for item in pikepdf.parse_content_stream(page):
        op = str(item.operator) if isinstance(item, ContentStreamInstruction) else ""
        if depth == 0 and not loose and op in PATH | CLIP:
            path.append(item)
            continue
        if path:  # a path ends with its painting (or clipping) operator
            if op in PAINT and not any(str(p.operator) in CLIP for p in path):  # type: ignore[attr-defined]
                out += [begin, *path, item, end]
                path, changed = [], True
                continue
            out += path
            path = []
        if op in ("BDC", "BMC"):
            depth += 1
        elif op == "EMC":
            depth -= 1
        elif op == "BT" and depth == 0:
            out.append(begin)
            loose = changed = True
        out.append(item)
        if op == "ET" and loose:
            out.append(end)
            loose = False
    return out + path if changed else None


def finish_tagged(
    pdf_bytes: bytes,
    *,
    title: str,
    author: str,
    lang: str,
    links: Mapping[str, str],
    outline: Sequence[str],
) -> bytes:
    """``links``: named destination (heading id) → what a link to it is described as;
    ``outline``: the bookmarks' titles in document order."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            content = _artifact_loose_content(page)
            if content is not None:
                page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(content))
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == Name.Link and "/Contents" not in annot:
                    target = str(annot.get("/Dest", "")).lstrip("/")
                    annot.Contents = pikepdf.String(links.get(target, "Link"))
        marks = list(_bookmarks(pdf))
        if len(marks) != len(outline):
            raise RuntimeError(f"{len(marks)} bookmarks for {len(outline)} headings")
        for mark, text in zip(marks, outline, strict=True):
            mark.Title = pikepdf.String(text)
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        xmp = _XMP.format(title=escape(title), author=escape(author), lang=escape(lang), now=now)
        pdf.Root.Metadata = pdf.make_stream(
            xmp.encode("utf-8"), Type=Name.Metadata, Subtype=Name.XML
        )
        prefs = pdf.Root.get("/ViewerPreferences")
        if prefs is None:
            pdf.Root.ViewerPreferences = prefs = Dictionary()
        prefs.DisplayDocTitle = True
        pdf.docinfo.Title = pikepdf.String(title)
        pdf.docinfo.Author = pikepdf.String(author)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True)
        return out.getvalue()
