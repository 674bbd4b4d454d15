"""The deck for the KKR meeting (python-pptx, 16:9): a title slide, one summary slide of every
goal with its status, one slide per goal with its main chart and figures, and a slide of the
municipalities (the map). The charts are the PNGs the report's renderer made; every picture
carries its alternative text, and every status is an icon and a word (never colour alone).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.util import Emu, Inches, Pt

from dashboard.report import rows as R
from dashboard.report.data import ReportData
from dashboard.report.figures import REPORT_FONT, ReportChart, alt_text, size_of
from dashboard.views import format as fmt
from dashboard.views.goals import goal_status, goal_status_text
from dashboard.views.kpi import NO_TARGET, status_text

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13,333 × 7,5 in: 16:9
MARGIN = Inches(0.5)
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5  # the default template's "Title Slide", "Title Only"
CHART_BOX = (MARGIN, Inches(1.35), Inches(8.4), Inches(5.5))  # left, top, max width, height
FIGURES_LEFT = Inches(9.1)
MAP_NAME = "kort_vejledte_virksomheder"
LONG_TITLE = 48  # characters: a longer goal title is set smaller (two lines fit the box)


def main_charts(data: ReportData, charts: Sequence[ReportChart]) -> dict[int | None, ReportChart]:
    """Goal number → the goal's first chart of the document; None → the municipal map."""
    out: dict[int | None, ReportChart] = {}
    for c in charts:
        if c.goal is not None and c.in_document and c.goal not in out:
            out[c.goal] = c
    maps = [c for c in charts if c.goal is None]
    chosen = next((c for c in maps if c.name == MAP_NAME), maps[0] if maps else None)
    if chosen is not None:
        out[None] = chosen
    return out


def _font(run: Any, size: int, bold: bool = False) -> None:
    """Every run in the charts' font (one family on every slide), Danish proofing."""
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, REPORT_FONT
    run.font.language_id = MSO_LANGUAGE_ID.DANISH


def _title(slide: Any, text: str, size: int = 28) -> None:
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = (
        MARGIN,
        Inches(0.3),
        SLIDE_W - 2 * MARGIN,
        Inches(0.95),
    )
    title.text = text
    for par in title.text_frame.paragraphs:
        for run in par.runs:
            _font(run, size, bold=True)


def _lines(
    slide: Any, box: tuple[int, int, int, int], lines: Sequence[tuple[str, int, bool]]
) -> None:
    """A text box of (text, size in pt, bold) paragraphs."""
    shape = slide.shapes.add_textbox(*box)
    frame = shape.text_frame
    frame.word_wrap = True
    for i, (text, size, bold) in enumerate(lines):
        par = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = par.add_run()
        run.text = text
        _font(run, size, bold)
        par.space_after = Pt(4)


def _footer(slide: Any, data: ReportData) -> None:
    text = f"{data.house.name} · Opfølgning på resultatkontrakten {data.year}"
    box = (MARGIN, SLIDE_H - Inches(0.45), SLIDE_W - 2 * MARGIN, Inches(0.35))
    _lines(slide, box, [(text, 10, False)])


def _picture(slide: Any, path: Path, chart: ReportChart, box: tuple[int, int, int, int]) -> None:
    """The chart's PNG as large as the box allows at its own proportions, with alt text."""
    left, top, max_w, max_h = box
    width, height = size_of(chart)
    scale = min(max_w / width, max_h / height)
    picture = slide.shapes.add_picture(
        str(path), left, top, Emu(int(width * scale)), Emu(int(height * scale))
    )
    props = picture._element.nvPicPr.cNvPr
    props.set("descr", alt_text(chart))
    props.set("title", chart.title)


def _cover(prs: Any, data: ReportData) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    _title(slide, f"Opfølgning på resultatkontrakten {data.year}", 36)
    slide.shapes.title.top = Inches(2.0)
    slide.shapes.title.height = Inches(1.4)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top = MARGIN, Inches(3.6)
    subtitle.width, subtitle.height = SLIDE_W - 2 * MARGIN, Inches(2.4)
    subtitle.text = "\n".join(
        (
            data.contract.title,
            f"Til mødet i {data.house.kkr}",
            f"Status pr. {fmt.as_of_text(data.seen)} · udarbejdet {fmt.long_day(data.made)}",
        )
    )
    for par in subtitle.text_frame.paragraphs:
        for run in par.runs:
            _font(run, 18)


def _summary(prs: Any, data: ReportData) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, f"Sammenfatning: alle mål {data.year}")
    goals = data.contract.goals
    top = Inches(1.35)
    height = SLIDE_H - top - Inches(0.6)
    shape = slide.shapes.add_table(
        len(goals) + 1, 2, MARGIN, top, SLIDE_W - 2 * MARGIN, Emu(int(height))
    )
    table = shape.table
    table.columns[0].width = Inches(9.3)
    table.columns[1].width = SLIDE_W - 2 * MARGIN - Inches(9.3)
    rows = [("Mål", "Status")] + [
        (g.title, goal_status_text(goal_status(g, data.cells))) for g in goals
    ]
    size = 14 if len(goals) <= 8 else 12
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            cell = table.cell(r, c)
            cell.text = text
            for par in cell.text_frame.paragraphs:
                for run in par.runs:
                    _font(run, size, bold=r == 0)
    _footer(slide, data)


def _figures(data: ReportData, number: int) -> list[tuple[str, int, bool]]:
    """The goal's headline figures (house level, all segments): value, target, n, status."""
    out: list[tuple[str, int, bool]] = []
    rows = [
        r
        for r in R.kpi_rows(data)
        if r["goal"] == number and r["segment"] == R.SEGMENTS[None] and r["kommune"] is None
    ]
    for r in rows[:4]:
        target = fmt.target_text(r["target"], r["unit"]) if r["target"] is not None else NO_TARGET
        status = status_text(r["status"]) if r["status"] is not None else NO_TARGET
        out += [
            (r["label"], 14, True),
            (f"Resultat: {R.row_value_text(r)}", 13, False),
            (f"Mål for året: {target}", 13, False),
            (f"n: {fmt.number(r['n']) if r['n'] is not None else '–'}", 13, False),
            (f"Status: {status}", 13, False),
        ]
    if len(rows) > 4:
        out.append((f"… og {len(rows) - 4} nøgletal mere i rapporten", 12, False))
    return out or [("Målet har ingen nøgletal for året; se indsatserne i rapporten.", 13, False)]


def _goal(
    prs: Any, data: ReportData, number: int, chart: ReportChart | None, png: Path | None
) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    goal = data.contract.goal(number)
    _title(slide, goal.title, 26 if len(goal.title) <= LONG_TITLE else 22)
    if chart is not None and png is not None:
        _picture(slide, png, chart, CHART_BOX)
    box = (FIGURES_LEFT, CHART_BOX[1], SLIDE_W - FIGURES_LEFT - MARGIN, CHART_BOX[3])
    status = goal_status_text(goal_status(goal, data.cells))
    _lines(slide, box, [(f"Målets status: {status}", 16, True), *_figures(data, number)])
    _footer(slide, data)


def _kommuner(prs: Any, data: ReportData, chart: ReportChart | None, png: Path | None) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, f"Kommunerne {data.year}")
    if chart is not None and png is not None:
        box = (MARGIN, CHART_BOX[1], SLIDE_W - 2 * MARGIN, CHART_BOX[3])
        _picture(slide, png, chart, box)
    else:
        _lines(slide, (MARGIN, CHART_BOX[1], Inches(8), Inches(1)), [("Intet kort.", 14, False)])
    _footer(slide, data)


def write_pptx(
    data: ReportData,
    charts: Sequence[ReportChart],
    pngs: Mapping[str, Path],
    path: Path,
    *,
    ready: Callable[[Path], Path] = Path,
) -> Path:
    """``pngs``: chart name → PNG path; ``ready`` waits until a PNG is written."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = f"Opfølgning på resultatkontrakten {data.year}"
    prs.core_properties.language = "da-DK"
    prs.core_properties.author = data.house.name
    main = main_charts(data, charts)

    def png_of(chart: ReportChart | None) -> Path | None:
        if chart is None or chart.name not in pngs:
            return None
        return ready(pngs[chart.name])

    _cover(prs, data)
    _summary(prs, data)
    for goal in data.contract.goals:
        chart = main.get(goal.number)
        _goal(prs, data, goal.number, chart, png_of(chart))
    _kommuner(prs, data, main.get(None), png_of(main.get(None)))
    prs.save(str(path))
    return path
