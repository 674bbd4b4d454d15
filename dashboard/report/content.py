"""The report document as plain blocks (headings, paragraphs, tables, images), so the PDF and
the DOCX have the same structure and Danish texts. Renderers: :mod:`dashboard.report.pdf`,
:mod:`dashboard.report.docx`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dashboard.report import rows as R
from dashboard.report.data import DIRECTOR, ReportData
from dashboard.report.figures import ReportChart, alt_text, size_of
from dashboard.views import format as fmt
from dashboard.views.control_group import control_group_lines, latest_figures
from dashboard.views.explain import discretion_text
from dashboard.views.kpi import ACTIVITY_ICONS, NO_TARGET, QUARTER_LABELS, status_text
from data.periods import Quarter
from metrics.status import KpiStatus


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    style: str = "body"  # body | small | quote | cover_title | cover


@dataclass(frozen=True, slots=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float]  # fractions of the text width
    small: bool = False


@dataclass(frozen=True, slots=True)
class Image:
    path: Path
    caption: str  # printed under the image as "Figur n: …"
    aspect: float  # height / width
    alt: str = ""  # alternative text for screen readers
    number: int = 0  # the figure's number in the document


def figure_caption(image: Image) -> str:
    return f"Figur {image.number}: {image.caption}"


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class Contents:
    """The table of contents: the level-1 headings after it, with their pages."""

    title: str = "Indhold"


Block = Heading | Para | Table | Image | PageBreak | Contents


def heading_key(index: int) -> str:
    """The bookmark of the heading at ``index`` in the document's blocks."""
    return f"h{index}"


def contents_entries(document: Document) -> list[tuple[str, str]]:
    """(bookmark, text) of each level-1 heading after the table of contents."""
    start = next((i for i, b in enumerate(document.blocks) if isinstance(b, Contents)), None)
    if start is None:
        return []
    return [
        (heading_key(i), b.text)
        for i, b in enumerate(document.blocks)
        if i > start and isinstance(b, Heading) and b.level == 1
    ]


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)


SUMMARY_HEADER = ("Mål", "Nøgletal", "Opdeling", "Resultat", "Mål for året", "n", "95 %-interval")
SUMMARY_WIDTHS = (0.08, 0.27, 0.11, 0.115, 0.095, 0.075, 0.115, 0.14)


def kpi_rows_table(
    rows: Sequence[Mapping[str, Any]], *, with_goal: bool = True, by_kommune: bool = True
) -> Table:
    """KPI rows as text; 'Opdeling' is the municipality (Mål 2's shares) or the segment."""
    body = [
        [
            *([f"Mål {r['goal']}"] if with_goal else []),
            r["label"],
            (r["kommune_navn"] if by_kommune else "") or r["segment"],
            R.row_value_text(dict(r)),
            (
                f"nøglens andel {fmt.percent(r['key_share'])}"
                if r.get("key_share") is not None
                else fmt.target_text(r["target"], r["unit"])
            ),
            fmt.number(r["n"]) if r["n"] is not None else "",
            R.row_interval_text(dict(r)),
            status_text(r["status"]) if r["status"] is not None else NO_TARGET,
        ]
        for r in rows
    ]
    header = [*SUMMARY_HEADER, "Status"] if with_goal else [*SUMMARY_HEADER[1:], "Status"]
    widths = SUMMARY_WIDTHS if with_goal else (0.35, *SUMMARY_WIDTHS[2:])
    return Table(header, body, widths, small=True)


def _cover(data: ReportData) -> list[Block]:
    return [
        Para(data.contract.title, "cover_title"),
        Para(f"Opfølgning på resultatkontrakten {data.year}", "cover_subtitle"),
        Para(f"{data.house.name} og {data.house.kkr}", "cover"),
        Para(f"Bilag til dagsordenen for {data.house.kkr}", "cover"),
        Para(f"Status pr. {fmt.as_of_text(data.seen)}", "cover"),
        Para(f"Udarbejdet {fmt.long_day(data.made)}", "cover"),
        PageBreak(),
    ]


def _summary(data: ReportData) -> list[Block]:
    return [
        Heading(f"Sammenfatning: alle nøgletal {data.year}"),
        kpi_rows_table([r for r in R.kpi_rows(data) if r["kommune"] is None]),
        Para(
            "Kommunernes andel af de vejledte virksomheder (Mål 2) står under Mål 2; hver "
            "kommunes egne nøgletal står i bilaget.",
            "small",
        ),
        Para("Tegn: " + " · ".join(status_text(s) for s in KpiStatus), "small"),
        Para(
            f"Resultater med færre end {data.contract.min_n} svar vises ikke "
            f"(»{fmt.SUPPRESSED}«), og en nabocelle skjules, så tallet ikke kan regnes ud "
            f"(»{fmt.SECONDARY}«). Tal fra spørgeskemaer vises med antal svar (n) og "
            f"{fmt.INTERVAL}; optællinger fra CRM og tjeklister har intet interval.",
            "small",
        ),
    ]


def _goal(
    data: ReportData, number: int, charts: Sequence[ReportChart], files: Mapping[str, Path]
) -> list[Block]:
    goal = data.contract.goal(number)
    out: list[Block] = [Heading(goal.title)]
    own = [r for r in R.kpi_rows(data) if r["goal"] == number]
    if own:
        out.append(kpi_rows_table(own, with_goal=False))
    for c in charts:
        if c.goal == number and c.in_document and c.name in files:
            out.append(_image(c, files[c.name]))
    for kpi in goal.kpis:
        if kpi.kind == "control_group":
            known_by = data.seen.end if data.seen.explicit else None
            entry = latest_figures(data.control_group, data.year, known_by)
            if entry is not None:
                who = str(entry["entered_by"] or "")
                entry = entry | {"entered_by": data.public_name(who, DIRECTOR)}
            out.extend(Para(line, "small") for line in control_group_lines(kpi, entry, data.year))
    activities = R.activity_rows(data, number)
    if activities:
        out.append(Heading("Indsatser", 2))
        out.append(
            Table(
                ("Indsats", "Status", "Dato", "Dokumentation og kommentar"),
                [
                    [
                        a["activity"],
                        f"{ACTIVITY_ICONS.get(a['status'], '•')} {a['status']}",
                        fmt.day(a["date"]) if a["date"] else "",
                        " – ".join(x for x in (a["evidence"], a["comment"]) if x),
                    ]
                    for a in activities
                ],
                (0.42, 0.14, 0.12, 0.32),
                small=True,
            )
        )
    comment = data.comments.get(number)
    out.append(Heading("Direktørens kommentar", 2))
    if comment is None:
        out.append(Para("Ingen kommentar for året.", "small"))
    else:
        out.append(Para(comment.text, "quote"))
        signature = data.public_name(comment.author, DIRECTOR)
        out.append(Para(f"{signature}, {fmt.timestamp(comment.created_at)}", "small"))
    out.append(Heading("Målet og metoden i kontrakten", 2))
    out.append(Para(goal.goal_text))
    out.append(Para("Metode: " + goal.method))
    if goal.reporting:
        out.append(Para("Afrapportering: " + goal.reporting))
    return out


def _image(chart: ReportChart, path: Path) -> Image:
    width, height = size_of(chart)
    return Image(path, chart.title, height / width, alt_text(chart))


def _kommuner(
    data: ReportData, charts: Sequence[ReportChart], files: Mapping[str, Path]
) -> list[Block]:
    out: list[Block] = [Heading(f"Kommunerne {data.year}")]
    for c in charts:
        if c.goal is None and c.name in files:
            out.append(_image(c, files[c.name]))
    out.append(Heading("Bilag: nøgletal pr. kommune"))
    out.append(
        Para(
            "Hver kommunes nøgletal er beregnet på kommunens egne rækker. Tjeklister og "
            "kontrolgruppetal opgøres kun for hele erhvervshuset og står i sammenfatningen.",
            "small",
        )
    )
    for kode in sorted(data.house.codes, key=lambda k: data.house.kommune(k).navn):
        out.append(Heading(f"{data.house.kommune(kode).navn} Kommune ({kode})", 2))
        out.append(kpi_rows_table(R.kpi_rows(data, kode), by_kommune=False))
    return out


def _period(period: str) -> str:
    """'2022Q1' as the charts' axes write a quarter: '1. kvt. 2022'."""
    quarter = Quarter.parse(period)
    return f"{QUARTER_LABELS[quarter.q]} {quarter.year}"


def _sources(data: ReportData) -> list[Block]:
    rows = R.source_rows(data)
    return [
        Heading("Datagrundlag og metode"),
        Para(
            "Tallene er beregnet ud fra de aktive indlæsninger af eksporterne fra CRM, "
            "brugerevalueringen, kendskabsmålingen og indsatsernes status. Året før indgår, "
            "fordi nye virksomheder og udviklingen måles mod det."
        ),
        Table(
            ("Type", "Periode", "Fil", "Rækker", "Indlæst", "Af"),
            [
                [
                    r["kind"],
                    _period(r["period"]),
                    r["filename"],
                    fmt.number(r["rows"]),
                    fmt.timestamp(r["uploaded_at"]),
                    r["uploaded_by"],
                ]
                for r in rows
            ],
            (0.15, 0.12, 0.25, 0.075, 0.19, 0.215),  # no word broken (a role is short)
            small=True,
        ),
        Heading("Diskretion", 2),
        Para(discretion_text(data.contract.min_n) + " Status er da »Afventer data«."),
        Heading("Beregning", 2),
        Para(
            "En andel i en spørgeskemaundersøgelse beregnes blandt dem, der har svaret på "
            "spørgsmålet (blanke og »Ved ikke« tæller ikke med). Net Promoter Score er andelen, "
            "der svarer 9–10, minus andelen, der svarer 0–6. Intervaller er 95 % Wilson-"
            "intervaller. Antal fremskrives til årets udgang ud fra tidligere års kvartalsprofil."
        ),
        Para(f"Kontrakt: {data.contract.source}", "small"),
    ]


def build_document(
    data: ReportData, charts: Sequence[ReportChart], files: Mapping[str, Path]
) -> Document:
    """``files``: chart name → PNG path (charts without a file are left out)."""
    # Only the cover has a page of its own: the rest flows, so no page is left nearly empty.
    blocks: list[Block] = [*_cover(data), Contents(), *_summary(data)]
    for goal in data.contract.goals:
        blocks += _goal(data, goal.number, charts, files)
    blocks += _kommuner(data, charts, files)
    blocks += _sources(data)
    numbered = iter(range(1, len(blocks) + 1))
    blocks = [replace(b, number=next(numbered)) if isinstance(b, Image) else b for b in blocks]
    title = f"{data.contract.title} – opfølgning {data.year}"
    return Document(title, blocks)
