"""What a published appendix needs: names or roles (no e-mail address) in every file, XLSX cells
as a reader expects them, a Danish Word file with page numbers, figure captions, alt text and
PDF bookmarks."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import page as page_validation
import pikepdf
from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation
from sqlalchemy import Engine

from dashboard.report.content import SUMMARY_WIDTHS
from dashboard.report.data import DIRECTOR, UPLOADER, load_report_data
from metrics.contract import contract_for
from tests.export.conftest import INJECTION, MADE, YEAR, one

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def _xml_texts(path: Path) -> str:
    """Every text of an Office file's XML parts (document, footers, slides, properties)."""
    with zipfile.ZipFile(path) as zf:
        return "\n".join(
            zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith((".xml", ".rels"))
        )


def test_public_names_come_from_the_users_table_or_a_role(demo_engine: Engine) -> None:
    data = load_report_data(demo_engine, YEAR, today=MADE)
    assert data.public_name("direktor@demo.dk", DIRECTOR) == "Demo-direktør"
    assert data.public_name("Direktor@Demo.dk ", DIRECTOR) == "Demo-direktør"
    assert data.public_name("direktor@ehnj.dk", DIRECTOR) == "Erhvervshusets direktør"
    assert data.public_name(None, UPLOADER) == UPLOADER


def test_no_e_mail_address_in_any_published_file(report: list[Path]) -> None:
    texts = {
        "pdf": pdf_text(one(report, ".pdf")),
        "docx": _xml_texts(one(report, ".docx")),
        "pptx": _xml_texts(one(report, ".pptx")),
        "xlsx": _xml_texts(one(report, ".xlsx")),
    }
    texts |= {p.name: p.read_text(encoding="utf-8-sig") for p in report if p.suffix == ".csv"}
    for name, text in texts.items():
        assert not ADDRESS.search(text), (name, ADDRESS.search(text))
    flat = " ".join(texts["pdf"].split())
    assert "Erhvervshusets direktør, " in flat  # the comment's signature
    assert UPLOADER in flat  # the sources table
    wb = openpyxl.load_workbook(one(report, ".xlsx"))
    sources = [r for r in wb["Datagrundlag"].iter_rows(values_only=True) if r[0]]
    assert sources[1][-1] == "Indlæst af" and {r[-1] for r in sources[2:]} == {UPLOADER}


def _header_index(ws: object, header: str) -> tuple[int, int]:
    """(row, column) of a header cell."""
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        for c in row:
            if c.value == header:
                return c.row, c.column
    raise AssertionError(header)


def test_xlsx_counts_without_decimals_dates_wide_enough(report: list[Path]) -> None:
    wb = openpyxl.load_workbook(one(report, ".xlsx"))
    ws = wb["Datagrundlag"]
    row, col = _header_index(ws, "Rækker")
    assert ws.cell(row + 1, col).number_format == "#,##0"
    row, col = _header_index(ws, "Indlæst")
    assert ws.cell(row + 1, col).is_date
    letter = ws.cell(row, col).column_letter
    assert ws.column_dimensions[letter].width >= 16  # "31-12-2022 14:05", no "########"
    ws = wb["Oversigt"]
    row, _ = _header_index(ws, "Resultat")
    header = [c.value for c in ws[row]]
    counts = [r for r in ws.iter_rows(min_row=row + 1) if r[header.index("Enhed")].value == "antal"]
    assert counts
    for r in counts:
        for name in ("Resultat", "Mål for året"):
            if r[header.index(name)].value is not None:
                assert r[header.index(name)].number_format == "#,##0", (name, r[1].value)
    kommuner = wb["Kommuner"]
    code_row, code_col = _header_index(kommuner, "Kommunekode")
    codes = [kommuner.cell(code_row + i, code_col) for i in range(1, 20)]
    assert codes[0].value == 773 and all(c.number_format == "General" for c in codes)  # Morsø
    shares = [
        r for r in ws.iter_rows(min_row=row + 1) if r[header.index("Enhed")].value == "procent"
    ]
    assert shares and shares[0][header.index("Resultat")].number_format == "#,##0.0"
    ws = wb["Indsatser"]
    row, col = _header_index(ws, "Dato")
    assert ws.column_dimensions[ws.cell(row, col).column_letter].width >= 10


def test_xlsx_injected_text_shows_without_apostrophe_yet_stays_text(report: list[Path]) -> None:
    wb = openpyxl.load_workbook(one(report, ".xlsx"))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    injected = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+"))]
    assert {c.value for c in injected} >= {INJECTION, "+45 12 34 56 78 ringede"}
    assert any(c.value.startswith(INJECTION + " Henvisningerne") for c in injected)
    for c in injected:
        assert c.data_type == "s" and c.quotePrefix, c.coordinate
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for c in cells)


def test_docx_is_danish_numbered_and_has_no_footer_on_the_cover(report: list[Path]) -> None:
    doc = Document(str(one(report, ".docx")))
    styles = doc.styles.element
    default = styles.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert default is not None and default.get(qn("w:val")) == "da-DK"
    langs = [e.get(qn("w:val")) for e in styles.iter(qn("w:lang"))]
    langs += [e.get(qn("w:val")) for e in doc.element.body.iter(qn("w:lang"))]
    assert langs and set(langs) == {"da-DK"}
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    assert theme is not None and theme.get(qn("w:val")) == "da-DK"
    runs = list(doc.element.body.iter(qn("w:r")))
    assert all(r.find(f"{qn('w:rPr')}/{qn('w:lang')}") is not None for r in runs)
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_footer.paragraphs[0].text == ""
    footer = section.footer._element
    fields = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "Side " in section.footer.paragraphs[0].text


def test_every_chart_has_a_caption_and_alt_text(report: list[Path]) -> None:
    doc = Document(str(one(report, ".docx")))
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    pictures = list(doc.element.body.iter(qn("wp:docPr")))
    assert len(pictures) == len(captions) > 20
    assert captions == [c for c in captions if re.fullmatch(r"Figur \d+: .+", c)]
    assert [int(c.split(":")[0].split()[1]) for c in captions] == list(range(1, len(captions) + 1))
    for p in pictures:
        assert p.get("descr", "").startswith("Diagram: "), p.get("name")
    flat = " ".join(pdf_text(one(report, ".pdf")).split())
    for caption in captions:
        assert " ".join(caption.split()) in flat


def test_pdf_has_a_bookmark_for_every_goal(report: list[Path]) -> None:
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-q", str(one(report, ".pdf"))],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    outline = ElementTree.fromstring(xml).find("outline")
    assert outline is not None
    top = [" ".join("".join(i.itertext()).split()) for i in outline.findall("item")]
    goals = [" ".join(g.title.split()) for g in contract_for(YEAR).goals]
    assert top[:2] == ["Indhold", f"Sammenfatning: alle nøgletal {YEAR}"]
    assert [t for t in top if t.startswith("Mål ")] == goals
    assert "Datagrundlag og metode" in top
    assert outline.find("outline") is not None  # the goals' own sections one level down


def test_pptx_text_is_danish(report: list[Path]) -> None:
    prs = Presentation(str(one(report, ".pptx")))
    runs = [
        r
        for s in prs.slides
        for shape in s.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for r in p.runs
    ]
    assert runs and all(r.font.language_id is not None for r in runs)
    assert {str(r.font.language_id) for r in runs} == {"DANISH (1030)"}


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def test_pdf_table_of_contents_gives_each_section_its_page(report: list[Path]) -> None:
    pdf = one(report, ".pdf")
    contents = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert contents.split()[0] == "Indhold"
    entries = [
        (m.group(1).strip(), int(m.group(2)))
        for m in re.finditer(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", contents, re.MULTILINE)
    ]
    goals = [g.title for g in contract_for(YEAR).goals]
    assert [t for t, _ in entries if t.startswith("Mål ")] == goals
    assert entries[-1][0] == "Datagrundlag og metode"
    assert [p for _, p in entries] == sorted(p for _, p in entries)
    for title, page in entries:
        # Sections flow (no page is left nearly empty): the heading is on its page and not on
        # the page before (a long title wraps over two lines).
        assert " ".join(title.split()) in " ".join(_page_text(pdf, page).split()), (title, page)
        if page - 1 > 2:  # page 2 is the contents, which lists every title
            before = " ".join(_page_text(pdf, page - 1).split())
            assert " ".join(title.split()) not in before, (title, page)


def test_pdf_is_tagged_with_alt_text_and_passes_a_pdf_ua_checker(report: list[Path]) -> None:
    pdf = one(report, ".pdf")
    result = page_validation.validate_pdf(str(pdf), profile="ua1")
    assert result.is_compliant, [(f.rule_id, f.message) for f in result.failures]
    kinds: list[str] = []
    alts: list[str] = []

    def walk(element: object) -> None:
        if not isinstance(element, pikepdf.Dictionary):
            return
        if "/S" in element:
            kinds.append(str(element.S))
            if element.S == "/Figure":
                alts.append(str(element.get("/Alt", "")))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid)

    with pikepdf.open(pdf) as doc:
        assert doc.Root.Lang == "da-DK" and doc.Root.MarkInfo.Marked
        walk(doc.Root.StructTreeRoot)
    captions = re.findall(r"Figur \d+: ", pdf_text(pdf))
    assert len(alts) == len(captions) > 20
    assert all(a.startswith("Diagram: ") for a in alts), alts
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/P", "/Link"} <= set(kinds)


def test_no_pdf_page_is_left_nearly_empty(report: list[Path]) -> None:
    """Every page between the cover and the last is filled at least half way down: the words'
    lowest edge (images have none, so a page of charts counts by its captions)."""
    pdf = one(report, ".pdf")
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = re.findall(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", html, re.S)
    assert len(pages) > 10
    footer_top = 0.93  # the footer line "… Side n" sits below the text area
    for number, (_, height, body) in enumerate(pages[1:-1], 2):
        bottoms = [
            float(y) / float(height)
            for y in re.findall(r'<word [^>]*yMax="([\d.]+)"', body)
            if float(y) / float(height) < footer_top
        ]
        assert bottoms and max(bottoms) > 0.5, (number, max(bottoms, default=0))


def test_no_word_is_broken_in_the_pdf(report: list[Path]) -> None:
    """Every word of the PDF is a word of the Word file (same document, Word's XML keeps each
    word whole): a word broken over two lines in a table cell would show as two fragments."""
    words = re.compile(r"[^\W\d_]+")
    in_docx = set(words.findall(_xml_texts(one(report, ".docx"))))
    in_pdf = set(words.findall(pdf_text(one(report, ".pdf"))))
    assert in_pdf - in_docx <= {"Side"}, sorted(in_pdf - in_docx)


def test_docx_has_a_table_of_contents_field_word_updates(report: list[Path]) -> None:
    doc = Document(str(one(report, ".docx")))
    fields = [t.text.strip() for t in doc.element.body.iter(qn("w:instrText"))]
    assert fields[0].startswith("TOC ")
    assert [p.text for p in doc.paragraphs if p.style.name == "TOC Heading"] == ["Indhold"]
    update = doc.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_sources_table_breaks_no_word(report: list[Path]) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(one(report, ".pdf")), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    heading = re.compile(r"^\s*Datagrundlag og metode\s*$", re.MULTILINE)
    lines = heading.split(text)[-1].splitlines()  # the section (its table may start a page)
    [header] = [line for line in lines if line.split()[:2] == ["Type", "Periode"]]
    assert header.split() == ["Type", "Periode", "Fil", "Rækker", "Indlæst", "Af"]
    rows = [line for line in lines if line.startswith(("Brugerevaluering ", "Forløb "))]
    assert rows and all(re.search(r"\d\d-\d\d-\d{4} kl\. \d\d:\d\d", r) for r in rows)
    # periods as the charts' axes write them: "1. kvt. 2022", not "2022Q1"
    assert all(
        re.search(r"(Brugerevaluering|Forløb \(CRM\)) +[1-4]\. kvt\. 20\d\d ", r) for r in rows
    )
    assert all(r.rstrip().endswith(UPLOADER) for r in rows)


def test_docx_tables_keep_their_column_widths(report: list[Path]) -> None:
    """The grid itself carries the widths (LibreOffice lays a table out by its grid, Word by its
    cells): the KPI text gets the wide column, so no word is broken in a narrow one."""
    doc = Document(str(one(report, ".docx")))
    grid = [int(c.get(qn("w:w"))) for c in doc.tables[0]._tbl.tblGrid.iter(qn("w:gridCol"))]
    cells = [c.width for c in doc.tables[0].rows[1].cells]
    assert len(grid) == len(SUMMARY_WIDTHS)
    assert grid.index(max(grid)) == 1  # "Nøgletal"
    for twips, emu in zip(grid, cells, strict=True):
        assert abs(twips * 635 - emu) < 635 * 2  # 1 twip = 635 EMU


def test_one_font_family_in_the_pdf_the_word_file_and_the_deck(report: list[Path]) -> None:
    """The charts are drawn in DejaVu Sans, so the text around them is too: the PDF embeds no
    other font, every Word style and the deck's runs name it (no theme font), and Word's font
    table offers Verdana where DejaVu Sans is not installed."""
    fonts = subprocess.run(
        ["pdffonts", str(one(report, ".pdf"))], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    families = {line.split()[0].split("+")[-1].split("-")[0] for line in fonts}
    assert families == {"DejaVuSans"}, fonts
    doc = Document(str(one(report, ".docx")))
    rfonts = list(doc.styles.element.iter(qn("w:rFonts")))
    assert rfonts and all(
        {k.split("}")[1]: v for k, v in r.attrib.items()}
        == dict.fromkeys(("ascii", "hAnsi", "cs", "eastAsia"), "DejaVu Sans")
        for r in rfonts
    )
    with zipfile.ZipFile(one(report, ".docx")) as zf:
        table = ElementTree.fromstring(zf.read("word/fontTable.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    entry = next(f for f in table.iter(f"{w}font") if f.get(f"{w}name") == "DejaVu Sans")
    assert entry.find(f"{w}altName").get(f"{w}val") == "Verdana"  # type: ignore[union-attr]
    prs = Presentation(str(one(report, ".pptx")))
    runs = [
        r
        for s in prs.slides
        for shape in s.shapes
        for frame in _frames(shape)
        for p in frame.paragraphs
        for r in p.runs
    ]
    assert runs and {r.font.name for r in runs} == {"DejaVu Sans"}


def _frames(shape: object) -> list[object]:
    """A shape's text frames: its own, or each cell's of a table."""
    if getattr(shape, "has_table", False):
        return [c.text_frame for row in shape.table.rows for c in row.cells]  # type: ignore[attr-defined]
    return [shape.text_frame] if getattr(shape, "has_text_frame", False) else []  # type: ignore[attr-defined]
