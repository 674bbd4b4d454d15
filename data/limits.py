"""The limits an uploaded file is checked under, in one place (README's upload section).

They are set from the largest real export a house sends, with room to spare: a year of a
large house's CRM courses is ≈ 30.000 rows of 10 columns (≈ 4 MB as CSV); the biggest survey
export ≈ 20.000 rows of 11 columns. So a file may hold at most 200.000 data rows, 50 columns
and 4.000.000 cells (200.000 × 20), and at most 25 MB (the browser's ``server.maxUploadSize``;
the CLI and the quarantine use the same cap). A check runs in a worker process with at most
6 GB of address space, 120 s of CPU and 180 s of wall time. Address space is not memory in
use: after importing Polars, pandas and Great Expectations the worker has reserved ≈ 1 GB
(≈ 0,36 GB resident), and checking the 100k-row CSV reserves ≈ 2,3 GB while ≈ 0,5 GB is
resident, so 3 GB would refuse ordinary files.
"""

from __future__ import annotations

from data.readers_csv import UnreadableFile
from expectations.report import MAX_LISTED_PROBLEMS, MAX_QUOTED_CHARS

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 50
MAX_CELLS = 4_000_000
# Lines above the header and below the data (title block, footer) allowed on top of MAX_ROWS.
EXTRA_LINES = 100
# The report's bounds (MAX_LISTED_PROBLEMS, MAX_QUOTED_CHARS) live with the report.

WORKER_ADDRESS_SPACE = 6 * 1024**3
WORKER_CPU_SECONDS = 120
WORKER_WALL_SECONDS = 180


class FileTooLarge(UnreadableFile):
    """The file is beyond a limit of this module; the message names the limit."""

    title = "Filen er for stor"


def da_int(n: int) -> str:
    """1234567 → '1.234.567'."""
    return f"{n:,}".replace(",", ".")


def size_text(n: int) -> str:
    """Bytes as Danish megabytes, '25 MB' or '0,3 MB'."""
    mb = n / 2**20
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB".replace(".", ",")


def check_file_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise FileTooLarge(
            f"Filen fylder {size_text(size)}; grænsen er {size_text(MAX_FILE_BYTES)}. "
            "Del filen op (fx pr. kvartal) og indlæs delene hver for sig."
        )


def check_extent(rows: int, columns: int, cells: int, *, what: str) -> None:
    """Refuse a grid of ``rows`` × ``columns`` (``cells`` filled) beyond the limits."""
    if rows > MAX_ROWS + EXTRA_LINES:
        raise FileTooLarge(
            f"Filen er for stor til at blive læst: {what} har {da_int(rows)} rækker; grænsen er {da_int(MAX_ROWS)} datarækker. "
            "Del filen op og indlæs delene hver for sig."
        )
    if columns > MAX_COLUMNS:
        raise FileTooLarge(
            f"Filen er for stor til at blive læst: {what} har {da_int(columns)} kolonner; grænsen er {MAX_COLUMNS} kolonner. "
            "Gem kun eksportens kolonner."
        )
    if max(cells, rows * columns) > MAX_CELLS:
        raise FileTooLarge(
            f"Filen er for stor til at blive læst: {what} har "
            f"{da_int(max(cells, rows * columns))} celler; grænsen er "
            f"{da_int(MAX_CELLS)} celler. Del filen op og indlæs delene hver for sig."
        )


__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_LISTED_PROBLEMS",
    "MAX_QUOTED_CHARS",
    "MAX_ROWS",
    "FileTooLarge",
    "check_extent",
    "check_file_size",
]
