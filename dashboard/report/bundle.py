"""The whole annual report for a year: charts, documents, data files and one ZIP.

:func:`build_report` is what the export page and ``erhvervshus export`` call; it writes the
audit entry too (who, year, as-of, files).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from dashboard.report.content import build_document
from dashboard.report.data import ReportData, load_report_data
from dashboard.report.docx import write_docx
from dashboard.report.figures import report_charts
from dashboard.report.pdf import write_pdf
from dashboard.report.static import write_charts
from dashboard.report.tables import report_tables, write_csvs, write_xlsx
from data.audit import AuditAction, audit
from data.db import session_factory
from data.errors import UserFacingError
from data.periods import Quarter

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, text: str) -> None:
    pass


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


def build_report(
    engine: Engine,
    year: int,
    as_of: Quarter | None,
    out_dir: Path,
    *,
    actor: str,
    progress: Progress = _no_progress,
    today: date | None = None,
) -> list[Path]:
    """Write every file of the year's report under ``out_dir``; the ZIP of them all is the
    last path returned."""
    check_period(year, as_of)
    progress(0.02, "Beregner nøgletal …")
    data = load_report_data(engine, year, as_of, today=today)
    if not any(b.quarter.year == year for b in data.batches):
        raise UserFacingError(
            f"Der er ingen indlæste data for {year} at eksportere.", title="Ingen data"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = report_stem(data)
    charts = report_charts(data)
    progress(0.08, "Tegner diagrammer …")
    files = write_charts(
        charts,
        out_dir / "diagrammer",
        progress=lambda done, total: progress(0.08 + 0.7 * done / total, "Tegner diagrammer …"),
    )
    progress(0.8, "Skriver rapporten (PDF og Word) …")
    document = build_document(data, charts, {name: f["png"] for name, f in files.items()})
    paths = [
        write_pdf(document, out_dir / f"{stem}.pdf"),
        write_docx(document, out_dir / f"{stem}.docx"),
    ]
    progress(0.92, "Skriver tallene (Excel og CSV) …")
    tables = report_tables(data)
    paths.append(write_xlsx(data, tables, charts, out_dir / f"{stem}.xlsx"))
    paths += write_csvs(tables, charts, out_dir / "csv")
    paths += [p for f in files.values() for p in f.values()]
    zip_path = out_dir / f"{stem}.zip"
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            zf.write(p, p.relative_to(out_dir).as_posix())
    paths.append(zip_path)
    with session_factory(engine).begin() as session:
        audit(
            session,
            actor,
            AuditAction.EXPORT,
            f"rapport {year}",
            year=year,
            as_of=str(as_of) if as_of else None,
            files=[p.relative_to(out_dir).as_posix() for p in paths],
        )
    progress(1.0, "Færdig")
    return paths
