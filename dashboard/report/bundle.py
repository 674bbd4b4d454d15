"""The whole annual report for a year: charts, documents, data files and one ZIP.

:func:`build_report` is what the export page and ``erhvervshus export`` call; it writes the
audit entry too (who, year, as-of, files).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from dashboard.report.content import build_document
from dashboard.report.data import ReportData, load_report_data
from dashboard.report.deck import main_charts, write_pptx
from dashboard.report.docx import write_docx
from dashboard.report.figures import SCALE, first_charts, iter_report_charts, size_of
from dashboard.report.pdf import write_pdf
from dashboard.report.renderer import ChartRenderer
from dashboard.report.static import ChartFiles, StartCharts, outcome
from dashboard.report.tables import report_tables, write_csvs, write_xlsx
from data.audit import AuditAction, audit
from data.db import session_factory
from data.errors import UserFacingError
from data.periods import Quarter

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, text: str) -> None:
    pass


def _drawn(progress: Progress, start: float, end: float) -> Callable[[int, int], None]:
    """Progress while the charts are drawn: 'x af 144 diagrammer' (files)."""

    def step(done: int, total: int) -> None:
        progress(start + (end - start) * done / total, f"{done} af {total} diagrammer tegnet …")

    return step


def report_stem(data: ReportData) -> str:
    as_of = "" if data.as_of is None else f"_pr_{str(data.as_of).lower()}"
    return f"resultatopfoelgning_{data.year}{as_of}"


def check_period(year: int, as_of: Quarter | None) -> None:
    if as_of is not None and as_of.year != year:
        raise UserFacingError(
            f"Status pr. {as_of} ligger ikke i år {year}.", title="Ugyldig periode"
        )
    if not 2000 <= year <= 2100:
        raise UserFacingError(f"År {year} er ikke et kontraktår.", title="Ugyldigt år")


# Already compressed: stored as they are (deflating them again costs time and saves nothing).
STORED = {".png", ".pdf", ".docx", ".xlsx", ".pptx"}


@contextmanager
def _renderer(given: ChartRenderer | None) -> Iterator[ChartRenderer]:
    if given is not None:
        yield given
    else:
        with ChartRenderer() as own:
            yield own


def build_report(
    engine: Engine,
    year: int,
    as_of: Quarter | None,
    out_dir: Path,
    *,
    actor: str,
    progress: Progress = _no_progress,
    today: date | None = None,
    renderer: ChartRenderer | None = None,
    start_charts: StartCharts | None = None,
) -> list[Path]:
    """Write every file of the year's report under ``out_dir``; the ZIP of them all is the
    last path returned.

    The charts and the PDF are drawn by ``renderer`` (default: one started here and stopped
    at the end); ``start_charts`` replaces the charts' drawing (the benchmark's old path).
    Chromium starts while the data loads and draws each chart as soon as it is built;
    meanwhile the XLSX and CSV files are written, then the Word file and the deck (each
    waits for its charts only), while Chromium prints the charts' PDFs and the report's."""
    check_period(year, as_of)
    with _renderer(renderer) as drawing:  # Chromium starts while the data loads
        start = start_charts or (lambda charts, folder: ChartFiles(drawing, charts, folder))
        progress(0.02, "Beregner nøgletal …")
        data = load_report_data(engine, year, as_of, today=today)
        if not any(b.quarter.year == year for b in data.batches):
            raise UserFacingError(
                f"Der er ingen indlæste data for {year} at eksportere.", title="Ingen data"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = report_stem(data)
        progress(0.06, "Bygger diagrammerne …")
        jobs = start(iter_report_charts(data), out_dir / "diagrammer")
        charts = jobs.charts
        progress(0.1, "Skriver tallene (Excel og CSV) …")
        tables = report_tables(data)
        paths = [write_xlsx(data, tables, charts, out_dir / f"{stem}.xlsx")]
        paths += write_csvs(tables, charts, out_dir / "csv")
        jobs.progress = _drawn(progress, 0.15, 0.9)
        document = build_document(data, charts, jobs.png_paths())
        progress(0.15, "Skriver rapporten (PDF og Word) …")
        with ThreadPoolExecutor(1, thread_name_prefix="report-pdf") as pdf_thread:
            # Chromium prints the PDF (after the charts) while Python writes Word and the deck.
            pdf = pdf_thread.submit(
                write_pdf, document, out_dir / f"{stem}.pdf", drawing, ready=jobs.ready
            )
            docx = write_docx(document, out_dir / f"{stem}.docx", ready=jobs.ready)
            deck = write_pptx(
                data, charts, jobs.png_paths(), out_dir / f"{stem}.pptx", ready=jobs.ready
            )
            files = jobs.finish()
            paths[:0] = [pdf.result(), docx, deck]
    paths += [p for f in files.values() for p in f.values()]
    zip_path = out_dir / f"{stem}.zip"
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            kind = zipfile.ZIP_STORED if p.suffix in STORED else zipfile.ZIP_DEFLATED
            zf.write(p, p.relative_to(out_dir).as_posix(), compress_type=kind)
    paths.append(zip_path)
    _audit(engine, actor, f"rapport {year}", year, as_of, paths, out_dir)
    progress(1.0, "Færdig")
    return paths


def _audit(
    engine: Engine,
    actor: str,
    what: str,
    year: int,
    as_of: Quarter | None,
    paths: list[Path],
    out_dir: Path,
) -> None:
    with session_factory(engine).begin() as session:
        audit(
            session,
            actor,
            AuditAction.EXPORT,
            what,
            year=year,
            as_of=str(as_of) if as_of else None,
            files=[p.relative_to(out_dir).as_posix() for p in paths],
        )


def build_deck(
    engine: Engine,
    year: int,
    as_of: Quarter | None,
    out_dir: Path,
    *,
    actor: str,
    today: date | None = None,
    renderer: ChartRenderer | None = None,
) -> list[Path]:
    """Only the deck for the meeting: the main chart of each goal and the map drawn as PNGs
    (under ``diagrammer/``), then the PPTX; the deck is the last path returned."""
    check_period(year, as_of)
    with _renderer(renderer) as drawing:  # Chromium starts while the data loads
        data = load_report_data(engine, year, as_of, today=today)
        if not any(b.quarter.year == year for b in data.batches):
            raise UserFacingError(
                f"Der er ingen indlæste data for {year} at eksportere.", title="Ingen data"
            )
        charts = first_charts(data)
        chosen = list(main_charts(data, charts).values())
        futures = [drawing.image(c.figure.to_json(), *size_of(c), SCALE) for c in chosen]
        folder = out_dir / "diagrammer"
        folder.mkdir(parents=True, exist_ok=True)
        pngs = {c.name: folder / f"{c.name}.png" for c in chosen}
        for chart, future in zip(chosen, futures, strict=True):
            pngs[chart.name].write_bytes(outcome(chart, future)[1])
    paths = [*pngs.values()]
    paths.append(write_pptx(data, charts, pngs, out_dir / f"{report_stem(data)}.pptx"))
    _audit(engine, actor, f"præsentation {year}", year, as_of, paths, out_dir)
    return paths
