"""Shaping an upload preview for the director's page: the problems and how the KPIs would move.

No Streamlit here; the page draws what these functions return.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from dashboard.views import format as fmt
from dashboard.views.kpi import SEGMENT_LABELS, status_text
from data.export_files import Dialect, export_file
from data.periods import Quarter, ended
from data.preview import UploadPreview
from data.reference import erhvervshus
from data.schema import BatchStatus
from data.store import BatchInfo, StoredData
from expectations.report import ValidationReport
from expectations.schema import COLUMNS, KIND_LABELS, Dtype, Kind
from metrics.contract import contract_for
from metrics.service import as_of_of, kpi_cells

PROBLEM_COLUMNS = ("Række", "Kolonne", "Værdi", "Regel")
BATCH_STATUS_WORDS: dict[str, str] = {
    BatchStatus.ACTIVE: "aktiv",
    BatchStatus.REPLACED: "erstattet",
    BatchStatus.REJECTED: "afvist",
    BatchStatus.WITHDRAWN: "trukket tilbage",
}
BATCH_STATUS_ICONS: dict[str, str] = {
    BatchStatus.ACTIVE: "✔",
    BatchStatus.REPLACED: "↺",
    BatchStatus.REJECTED: "✖",
    BatchStatus.WITHDRAWN: "⏸",
}


KIND_ORDER = {str(k): i for i, k in enumerate(Kind)}


def file_problems(report: ValidationReport, limit: int = 3) -> list[str]:
    """The first problems about the whole file (unreadable, too large, …) as sentences."""
    return [p.rule for p in report.cells if p.row is None and p.column is None][:limit]


def batch_status(status: str) -> str:
    """'✔ aktiv' – icon and word, never colour alone."""
    return f"{BATCH_STATUS_ICONS.get(status, '•')} {BATCH_STATUS_WORDS.get(status, status)}"


def batch_table(batches: Sequence[BatchInfo]) -> pl.DataFrame:
    """The upload history as Danish text columns: newest period first, then per kind, the
    newest batch of a kind and period first."""
    rows = [
        {
            "Nr.": str(b.id),
            "Eksport": KIND_LABELS[Kind(b.kind)],
            "Periode": b.period,
            "Status": batch_status(b.status),
            "Rækker": fmt.number(b.row_count),
            "Indlæst af": b.uploaded_by,
            "Tidspunkt": fmt.timestamp(b.uploaded_at),
            "Fil": b.filename,
            "SHA-256": b.sha256[:12] + "…",
        }
        for b in sorted(batches, key=lambda b: (b.period, -KIND_ORDER[b.kind], b.id), reverse=True)
    ]
    columns = (
        "Nr.",
        "Eksport",
        "Periode",
        "Status",
        "Rækker",
        "Indlæst af",
        "Tidspunkt",
        "Fil",
        "SHA-256",
    )
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String))


def problem_rows(report: ValidationReport, limit: int = 1000) -> pl.DataFrame:
    """The first ``limit`` problems as a text table (row as numbered in the file)."""
    return pl.DataFrame(
        [
            {
                "Række": "" if p.row is None else str(p.row),
                "Kolonne": p.column or "",
                "Værdi": p.value or "",
                "Regel": p.rule,
            }
            for p in report.cells[:limit]
        ],
        schema=dict.fromkeys(PROBLEM_COLUMNS, pl.String),
    )


def rule_rows(report: ValidationReport) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"Regel": r.rule, "Kolonne": r.column or "flere", "Antal": fmt.number(r.count)}
            for r in report.rules
        ],
        schema={"Regel": pl.String, "Kolonne": pl.String, "Antal": pl.String},
    )


def _year_cells(stored: StoredData, year: int, today: date) -> pl.DataFrame:
    cells = kpi_cells(stored, erhvervshus(), years=(year,), today=today)
    return cells.filter(pl.col("year") == year, pl.col("kommune").is_null())


def kpi_changes(
    current: StoredData, candidate: StoredData, *, year: int, today: date | None = None
) -> pl.DataFrame:
    """The year's house-level KPI cells whose value or status would change from ``current``
    (the stored data) to ``candidate`` (after the upload, :func:`data.preview.with_candidate`).
    Both are seen as the pages see them on ``today`` (:func:`data.periods.resolve_as_of`):
    a running year as of its last ended quarter with data, never judged as over.

    Columns (Danish text): Mål, Nøgletal, Opdeling, Nu, Efter indlæsning, Status nu,
    Status efter. Empty when nothing moves.
    """
    today = today or date.today()
    contract = contract_for(year)
    keys = ["kpi", "segment"]
    fields = ["value", "status", "suppressed", "secondary"]
    before = _year_cells(current, year, today).select(*keys, *fields)
    after = _year_cells(candidate, year, today).select(*keys, *fields)
    joined = before.join(
        after, on=keys, how="full", coalesce=True, suffix="_efter", nulls_equal=True
    )
    rows = []
    for kpi in contract.kpis:
        for c in joined.filter(pl.col("kpi") == kpi.id).iter_rows(named=True):
            now = fmt.kpi_value(
                c["value"],
                kpi.unit,
                suppressed=bool(c["suppressed"]),
                kind=kpi.kind,
                secondary=bool(c["secondary"]),
            )
            then = fmt.kpi_value(
                c["value_efter"],
                kpi.unit,
                suppressed=bool(c["suppressed_efter"]),
                kind=kpi.kind,
                secondary=bool(c["secondary_efter"]),
            )
            if now == then and c["status"] == c["status_efter"]:
                continue
            rows.append(
                {
                    "Mål": f"Mål {kpi.goal}",
                    "Nøgletal": kpi.label,
                    "Opdeling": SEGMENT_LABELS.get(c["segment"], c["segment"]),
                    "Nu": now,
                    "Efter indlæsning": then,
                    "Status nu": status_text(c["status"]) if c["status"] else "",
                    "Status efter": status_text(c["status_efter"]) if c["status_efter"] else "",
                }
            )
    columns = ("Mål", "Nøgletal", "Opdeling", "Nu", "Efter indlæsning", "Status nu", "Status efter")
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String))


def seen_after(candidate: StoredData, year: int, today: date) -> str:
    """'30. september 2026 (3. kvartal 2026; året er ikke slut)': the "Status efter" date."""
    return fmt.as_of_text(as_of_of(candidate, year, today=today))


def upload_years(today: date, first_year: int) -> list[int]:
    """The years whose quarters can be uploaded: ``first_year`` (the first contract year) up
    to this year, newest first."""
    return list(range(today.year, first_year - 1, -1))


def quarter_choices(year: int, today: date, kind: Kind) -> list[int]:
    """The quarters of ``year`` that have begun by ``today`` (a running one included); the
    awareness survey is measured in the autumn (Q3 or Q4)."""
    quarters = [q for q in range(1, 5) if Quarter(year, q).start <= today]
    return [q for q in quarters if kind is not Kind.KENDSKAB or q in (3, 4)]


def quarter_label(quarter: Quarter, today: date) -> str:
    """'3. kvartal' or, for a quarter not yet ended, '4. kvartal (ikke slut)'."""
    running = " (ikke slut)" if not ended(quarter, today) else ""
    return f"{quarter.q}. kvartal{running}"


def period_warning(quarter: Quarter, today: date) -> str | None:
    """The warning for a quarter that has not ended yet; None for an ended one."""
    if ended(quarter, today):
        return None
    return (
        f"{quarter.label} er ikke slut endnu (det slutter {fmt.long_day(quarter.end)}). "
        "En fil for kvartalet er foreløbig: indlæs den igen, når kvartalet er slut."
    )


def period_hint(preview: UploadPreview) -> str | None:
    """'Filens datoer ligger i 3. kvartal 2023 – vælg den periode?' when the file's dates
    point to another quarter than the one chosen."""
    if preview.date_period is None or preview.date_period == preview.period:
        return None
    wanted = Quarter.parse(preview.date_period)
    if preview.kind is Kind.KENDSKAB:  # Q3 or Q4 of the Måleår are both right
        if wanted.year == Quarter.parse(preview.period).year:
            return None
        return f"Filens måleår er {wanted.year} – vælg {wanted.label}?"
    return f"Filens datoer ligger i {wanted.label} – vælg den periode?"


DTYPE_WORDS: dict[Dtype, str] = {
    Dtype.TEXT: "tekst",
    Dtype.INT: "heltal",
    Dtype.FLOAT: "tal (decimalkomma)",
    Dtype.DATE: "dato (31-12-2023)",
    Dtype.BOOL: "Ja/Nej",
}


def column_rows(kind: Kind, kommune_names: Sequence[str] = ()) -> pl.DataFrame:
    """The expected columns of ``kind``: header, other accepted headers, required, type and
    the allowed values, as Danish text."""
    rows = []
    for c in COLUMNS[kind]:
        allowed = "; ".join(c.values)
        if c.name == "kommunekode" and kommune_names:
            allowed = "husets kommuner: " + ", ".join(kommune_names)
        rows.append(
            {
                "Kolonne": c.label,
                "Også læst som": ", ".join(c.aliases),
                "Skal udfyldes": "Ja" if c.required else "Nej",
                "Type": DTYPE_WORDS[c.dtype],
                "Tilladte værdier": allowed,
            }
        )
    columns = ("Kolonne", "Også læst som", "Skal udfyldes", "Type", "Tilladte værdier")
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String))


def template_file(kind: Kind, *, xlsx: bool) -> tuple[bytes, str]:
    """An empty export of ``kind`` (the header row only) as the upload reads it: Danish Excel
    CSV (UTF-8 with BOM, ';') or XLSX. Returns the bytes and the file name."""
    empty = pl.DataFrame(schema=dict.fromkeys((c.name for c in COLUMNS[kind]), pl.String))
    content, ext = export_file(empty, kind, Dialect.XLSX if xlsx else Dialect.EXCEL_DA)
    return content, f"skabelon_{kind}.{ext}"


def default_period(today: date) -> Quarter:
    """The last finished quarter: what the director uploads after a quarter ends."""
    current = Quarter.of(today)
    return Quarter(current.year - 1, 4) if current.q == 1 else Quarter(current.year, current.q - 1)
