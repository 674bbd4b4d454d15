"""Time read + type + validate of a 100k-row forløb export (CSV and XLSX).

Run from the repository root:  python benchmarks/ingest_validate.py [ROWS]
Prints the file sizes and the seconds per stage. Target: ≤ 5 s for the CSV on 2 cores
(the ingest adds the database write on top). The first Great Expectations import (≈3.5 s)
is done before timing, as a long-running app or CLI pays it once.
"""

from __future__ import annotations

import csv
import io
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import xlsxwriter

from data.readers import read_export
from data.readers_typing import typed_frame
from expectations.schema import FAGOMRAADER, FORLOEB_COLUMNS, KATEGORIER, Kind
from expectations.validate import validate

KOMMUNER = frozenset({773, 787, 810, 813, 820, 825, 840, 846, 849, 851, 860})
START, END = date(2022, 1, 1), date(2022, 12, 31)


def valid_cvrs(n: int) -> list[str]:
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    found, k = [], 10_000_000
    while len(found) < n:
        if sum(int(d) * w for d, w in zip(str(k), weights, strict=True)) % 11 == 0:
            found.append(str(k))
        k += 1
    return found


def rows(n: int) -> list[list[object]]:
    rng = random.Random(7)
    cvrs = valid_cvrs(5000)
    kommuner = sorted(KOMMUNER)
    out: list[list[object]] = []
    for i in range(n):
        start = START + timedelta(rng.randrange(365))
        slut = start + timedelta(rng.randrange(200)) if rng.random() < 0.6 else None
        out.append(
            [
                f"F{i:06d}",
                rng.choice(cvrs),
                f"Virksomhed {i} ApS; Ærø",
                rng.choice(kommuner),
                rng.choice(KATEGORIER),
                rng.choice(FAGOMRAADER),
                start,
                slut,
                "Aalborg Erhverv" if rng.random() < 0.3 else None,
                rng.random() < 0.2,
            ]
        )
    return out


def to_csv(data: list[list[object]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([c.label for c in FORLOEB_COLUMNS])
    for r in data:
        w.writerow(
            [
                ""
                if v is None
                else (
                    "Ja"
                    if v is True
                    else "Nej"
                    if v is False
                    else v.strftime("%d-%m-%Y")
                    if isinstance(v, date)
                    else v
                )
                for v in r
            ]
        )
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(data: list[list[object]]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": False})
    ws = wb.add_worksheet()
    fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    for j, c in enumerate(FORLOEB_COLUMNS):
        ws.write_string(0, j, c.label)
    for i, r in enumerate(data, start=1):
        for j, v in enumerate(r):
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_string(i, j, "Ja" if v else "Nej")
            elif isinstance(v, date):
                ws.write_datetime(i, j, v, fmt)
            elif isinstance(v, int) or j == 1:
                ws.write_number(i, j, int(v))  # type: ignore[call-overload]
            else:
                ws.write_string(i, j, str(v))
    wb.close()
    return buf.getvalue()


def run(label: str, content: bytes, filename: str) -> float:
    t0 = time.perf_counter()
    read = read_export(content, filename, Kind.FORLOEB)
    t1 = time.perf_counter()
    typed, problems = typed_frame(read, Kind.FORLOEB)
    t2 = time.perf_counter()
    report = validate(
        typed,
        Kind.FORLOEB,
        kommuner=KOMMUNER,
        period_start=START,
        period_end=END,
        source_text=read.frame,
    )
    t3 = time.perf_counter()
    assert not read.problems and not problems and report.ok, report.to_text(5)
    print(
        f"{label}: {len(content) / 2**20:.1f} MB, {typed.height} rows — read {t1 - t0:.2f} s, "
        f"type {t2 - t1:.2f} s, validate {t3 - t2:.2f} s, total {t3 - t0:.2f} s"
    )
    return t3 - t0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    data = rows(n)
    csv_bytes, xlsx_bytes = to_csv(data), to_xlsx(data)
    t = time.perf_counter()
    import great_expectations  # noqa: F401

    print(f"great_expectations import: {time.perf_counter() - t:.2f} s (once per process)")
    run("CSV ", csv_bytes, "forloeb.csv")
    run("XLSX", xlsx_bytes, "forloeb.xlsx")


if __name__ == "__main__":
    main()
