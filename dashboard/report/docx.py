"""The report document as DOCX (python-docx): the secretariat edits it in Word, so it has
real headings (navigation pane, table of contents), real Word tables and the chart PNGs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from dashboard.report import content as C
from dashboard.report.figures import REPORT_FONT

TEXT_WIDTH_CM = 17.0
LANGUAGE = "da-DK"
# DejaVu Sans in Word's font table: shown as Verdana where it is not installed (the same
# family class and proportions, its PANOSE number tells Word so)
FONT_TABLE_ENTRY = [
    ("w:altName", "Verdana"),
    ("w:panose1", "020B0603030804020204"),
    ("w:charset", "00"),
    ("w:family", "swiss"),
    ("w:pitch", "variable"),
]
SETTINGS_AFTER_UPDATE = [
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
]


def _danish(r_pr: Any) -> None:
    """Proofing language Danish on a run's or a style's properties."""
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    lang = OxmlElement("w:lang")
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), LANGUAGE)
    r_pr.append(lang)


def _all_danish(doc: Any) -> None:
    """Every style, the defaults and every run: Word checks the spelling in Danish."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if r_pr is not None:
            _danish(r_pr)
    for style in styles.findall(qn("w:style")):
        _danish(style.get_or_add_rPr())
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)
    for part in (doc.element.body, *(s.footer._element for s in doc.sections)):
        for run in part.iter(qn("w:r")):
            _danish(run.get_or_add_rPr())


def _rfonts(fonts: Any, font: str) -> None:
    """``font`` for every script, instead of the theme's."""
    for attr in list(fonts.attrib):
        if attr.lower().endswith("theme"):  # the theme would win
            del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)


def _one_font(doc: Any, font: str) -> None:
    """Every style and the defaults in ``font``, the charts' font, so the document has one font
    family; the font table tells Word to show Verdana (the closest common design) where the
    font is not installed."""
    styles = doc.styles.element
    r_pr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr is not None and r_pr.find(qn("w:rFonts")) is None:
        r_pr.insert(0, OxmlElement("w:rFonts"))  # rFonts comes first in rPr
    for fonts in styles.iter(qn("w:rFonts")):  # the defaults', the styles' and table parts'
        _rfonts(fonts, font)
    table = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    fonts = etree.fromstring(table.blob)
    entry = etree.SubElement(fonts, qn("w:font"), {qn("w:name"): font})
    for tag, value in FONT_TABLE_ENTRY:
        etree.SubElement(entry, qn(tag), {qn("w:val"): value})
    # python-docx reads the font table as a plain part: its bytes are replaced whole
    table._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field(paragraph: Any, instruction: str, shown_text: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) that Word fills in when it lays out the page;
    ``shown_text`` until then."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind is None:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {text} "
            run._r.append(code)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        if kind == "separate":
            shown = OxmlElement("w:t")
            shown.set(qn("xml:space"), "preserve")
            shown.text = shown_text
            run._r.append(shown)


def _footer(section: Any, title: str) -> None:
    """The title and 'Side n af m' on every page but the cover (a first page of its own)."""
    section.different_first_page_header_footer = True
    par = section.footer.paragraphs[0]
    par.text = f"{title}\t"
    par.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    par.add_run("Side ")
    _field(par, "PAGE")
    par.add_run(" af ")
    _field(par, "NUMPAGES")
    for run in par.runs:
        run.font.size = Pt(8)


def _contents(doc: Any, document: C.Document, block: C.Contents) -> None:
    """Word's own table of contents (a TOC field of the level-1 headings, linked), filled in
    when the file is opened; until then it lists the headings without pages."""
    doc.add_paragraph(block.title, style="TOC Heading")
    entries = "; ".join(text for _, text in C.contents_entries(document))
    _field(doc.add_paragraph(), 'TOC \\o "1-1" \\h \\z \\u', entries)
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # In the schema's order (Word refuses a file whose settings are out of order).
    later = [e for e in settings if e.tag in {qn(f"w:{n}") for n in SETTINGS_AFTER_UPDATE}]
    if later:
        later[0].addprevious(update)
    else:
        settings.append(update)


def _picture(doc: Any, path: Path, image: C.Image) -> None:
    shape = doc.add_picture(str(path), width=Cm(TEXT_WIDTH_CM))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", image.alt)
    doc_pr.set("title", image.caption)
    doc.add_paragraph(C.figure_caption(image), style="Caption")


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
        # The grid's width (LibreOffice lays the table out by it) and each cell's (Word's).
        col.width = Cm(TEXT_WIDTH_CM * width)
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
    _footer(section, document.title)
    doc.core_properties.title = document.title
    doc.core_properties.language = LANGUAGE
    _one_font(doc, REPORT_FONT)
    doc.styles["Normal"].font.size = Pt(10.5)
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
            _picture(doc, ready(block.path), block)
        elif isinstance(block, C.Contents):
            _contents(doc, document, block)
        elif isinstance(block, C.PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _all_danish(doc)
    doc.save(str(path))
    return path
