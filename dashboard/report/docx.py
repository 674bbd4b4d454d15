"""The report document as DOCX (python-docx): the secretariat edits it in Word, so it has
real headings (navigation pane, table of contents), real Word tables and the chart PNGs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from dashboard.report import content as C

TEXT_WIDTH_CM = 17.0


def _repeat_header(row: object) -> None:
    """The header row repeats on every page a table runs over."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _table(doc: object, block: C.Table) -> None:
    table = doc.add_table(rows=1, cols=len(block.header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.autofit = False
    size = Pt(8 if block.small else 10)
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = size
    _repeat_header(table.rows[0])
    for values in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].add_run(text).font.size = size
    for col, width in zip(table.columns, block.widths, strict=True):
        for cell in col.cells:
            cell.width = Cm(TEXT_WIDTH_CM * width)
    doc.add_paragraph()  # type: ignore[attr-defined]


def write_docx(document: C.Document, path: Path, *, ready: Callable[[Path], Path] = Path) -> Path:
    """``ready``: waits until an image file exists and returns its path."""
    doc = new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    section.footer.paragraphs[0].text = document.title
    doc.core_properties.title = document.title
    doc.core_properties.language = "da-DK"
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for block in document.blocks:
        if isinstance(block, C.Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, C.Para):
            if block.style == "cover_title":
                doc.add_heading(block.text, level=0)
                continue
            par = doc.add_paragraph()
            run = par.add_run(block.text)
            if block.style == "cover_subtitle":
                run.bold, run.font.size = True, Pt(15)
            elif block.style == "cover":
                run.font.size = Pt(12)
            elif block.style == "small":
                run.font.size = Pt(8.5)
            elif block.style == "quote":
                par.style = doc.styles["Quote"]
        elif isinstance(block, C.Table):
            _table(doc, block)
        elif isinstance(block, C.Image):
            doc.add_picture(str(ready(block.path)), width=Cm(TEXT_WIDTH_CM))
            doc.paragraphs[-1].runs[-1].font.color.rgb = RGBColor(0, 0, 0)
        elif isinstance(block, C.PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.save(str(path))
    return path
