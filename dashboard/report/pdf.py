"""The report document as an A4 PDF (reportlab), with the charts as embedded PNGs.

Text is set in DejaVu Sans (Debian ``fonts-dejavu-core``): reportlab's built-in Helvetica has
no ✔ ✖ ⚠ ➚, and the status icons must print beside their words.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dashboard.report import content as C

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 2 * cm
TEXT_WIDTH = A4[0] - 2 * MARGIN
INK = colors.HexColor("#262730")
RULE = colors.HexColor("#BBBBBB")
HEADER_BG = colors.HexColor("#E8EEF5")


class FontMissingError(RuntimeError):
    """The TTF the PDF needs is not installed (``apt-get install fonts-dejavu-core``)."""


def register_fonts() -> None:
    for name, file in ((FONT, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        if name in pdfmetrics.getRegisteredFontNames():
            continue
        path = FONT_DIR / file
        if not path.exists():
            raise FontMissingError(f"{path} mangler: installér fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, textColor=INK)
    return {
        "body": ParagraphStyle("body2", base, spaceAfter=6),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10.5, spaceAfter=4),
        "quote": ParagraphStyle(
            "quote",
            base,
            leftIndent=12,
            borderPadding=(4, 6, 4, 6),
            spaceAfter=4,
            borderColor=RULE,
            borderWidth=0.5,
            backColor=colors.HexColor("#F5F5F5"),
        ),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9.5),
        "cellhead": ParagraphStyle("cellhead", base, fontName=BOLD, fontSize=7.5, leading=9.5),
        "page": ParagraphStyle("page", base, alignment=TA_RIGHT),
        "caption": ParagraphStyle("caption", base, fontSize=8, leading=10, spaceAfter=10),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=15, leading=19, spaceAfter=8),
        "h2": ParagraphStyle(
            "h2", base, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4
        ),
        "cover_title": ParagraphStyle(
            "ct", base, fontName=BOLD, fontSize=22, leading=28, spaceBefore=5 * cm, spaceAfter=14
        ),
        "cover_subtitle": ParagraphStyle(
            "cs", base, fontName=BOLD, fontSize=15, leading=20, spaceAfter=24
        ),
        "cover": ParagraphStyle("cv", base, fontSize=12, leading=18, alignment=TA_LEFT),
    }


def _text(text: str) -> str:
    """Paragraph markup from plain text: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def _table(block: C.Table, st: dict[str, ParagraphStyle]) -> Table:
    head = [Paragraph(_text(h), st["cellhead"]) for h in block.header]
    body = [[Paragraph(_text(v), st["cell"]) for v in row] for row in block.rows]
    table = Table([head, *body], colWidths=[w * TEXT_WIDTH for w in block.widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


class _Chart(Flowable):  # type: ignore[misc]
    """A chart's PNG at a known size, read only when its page is drawn: the document is laid
    out while the later charts are still being drawn."""

    def __init__(
        self,
        path: Path,
        width: float,
        height: float,
        ready: Callable[[Path], Path] | None,
    ) -> None:
        super().__init__()
        self.path, self.width, self.height, self.ready = path, width, height, ready

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if self.ready is not None:  # None: the layout pass, which only counts pages
            self.canv.drawImage(str(self.ready(self.path)), 0, 0, self.width, self.height)


class _Heading(Paragraph):  # type: ignore[misc]
    """A heading that becomes a bookmark (the PDF's outline) where it is drawn."""

    def __init__(self, text: str, level: int, key: str, style: ParagraphStyle) -> None:
        super().__init__(_text(text), style)
        self.outline = (text, level - 1, key)


class _Template(SimpleDocTemplate):  # type: ignore[misc]
    """Bookmarks each heading and notes its page (for the table of contents)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages: dict[str, int] = {}

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, _Heading):
            text, level, key = flowable.outline
            self.pages[key] = self.page
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            self.canv.showOutline()


def _contents(
    doc: C.Document, st: dict[str, ParagraphStyle], pages: dict[str, int] | None
) -> Table:
    """Linked headings and their pages ("00" in the layout pass: the same width)."""
    rows = [
        [
            Paragraph(f'<a href="#{key}">{_text(text)}</a>', st["body"]),
            Paragraph(str(pages.get(key, "")) if pages is not None else "00", st["page"]),
        ]
        for key, text in C.contents_entries(doc)
    ]
    table = Table(rows, colWidths=[TEXT_WIDTH - 1.5 * cm, 1.5 * cm])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE)]))
    return table


def _flowables(
    doc: C.Document, ready: Callable[[Path], Path] | None, pages: dict[str, int] | None
) -> list[Any]:
    """``ready`` None: a layout pass (no image drawn); ``pages``: the headings' pages."""
    st = _styles()
    out: list[Any] = []
    for i, block in enumerate(doc.blocks):
        if isinstance(block, C.Heading):
            # A heading never ends a page on its own.
            out.append(CondPageBreak(4 * cm))
            style = st["h1" if block.level == 1 else "h2"]
            out.append(_Heading(block.text, block.level, C.heading_key(i), style))
        elif isinstance(block, C.Contents):
            out.append(_Heading(block.title, 1, C.heading_key(i), st["h1"]))
            out.append(_contents(doc, st, pages))
        elif isinstance(block, C.Para):
            out.append(Paragraph(_text(block.text), st[block.style]))
        elif isinstance(block, C.Table):
            out.append(_table(block, st))
            out.append(Spacer(1, 6))
        elif isinstance(block, C.Image):
            image = _Chart(block.path, TEXT_WIDTH, TEXT_WIDTH * block.aspect, ready)
            caption = Paragraph(_text(C.figure_caption(block)), st["caption"])
            out.append(KeepTogether([image, Spacer(1, 4), caption]))
        elif isinstance(block, C.PageBreak):
            out.append(PageBreak())
    return out


def write_pdf(doc: C.Document, path: Path, *, ready: Callable[[Path], Path] = Path) -> Path:
    """``ready``: waits until an image file exists and returns its path."""
    register_fonts()
    # Images as plain Flate streams: ASCII85 (pure Python) is slower and only makes the
    # file larger; no reader needs a 7-bit PDF.
    rl_config.useA85 = 0

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, 1.2 * cm, doc.title)
        canvas.drawRightString(A4[0] - MARGIN, 1.2 * cm, f"Side {document.page}")
        canvas.restoreState()

    def build(target: Any, images: Callable[[Path], Path] | None, pages: Any) -> _Template:
        template = _Template(
            target,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=doc.title,
            author="Erhvervshus Nordjylland",
            lang="da-DK",
        )
        flowables = _flowables(doc, images, pages)
        template.build(flowables, onFirstPage=lambda c, d: None, onLaterPages=footer)
        return template

    # The table of contents needs every heading's page: a first pass lays the document out
    # without drawing a chart (it does not wait for them), the second writes the file.
    layout = build(io.BytesIO(), None, None)
    build(str(path), ready, layout.pages)
    return path
