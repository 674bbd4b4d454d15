"""A reader with every file the export publishes tries to recompute each suppressed municipal
cell (house totals, the other municipalities' values and n, the segments) and cannot.

The data is :mod:`tests.metrics.test_disclosure`'s table (Læsø's one "Meget tilfreds" answer
among Morsø's and Aalborg's), loaded as an export file and written out as the report's CSVs.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from dashboard.report.data import load_report_data
from dashboard.report.figures import report_charts
from dashboard.report.tables import report_tables, write_csvs
from data.db import make_engine
from data.export_files import Dialect, export_file
from data.ingest import ingest
from data.migrate import upgrade
from expectations.schema import Kind
from tests.metrics.test_disclosure import KPI, TRUTH, Key, answers, possible_shares
from tests.upload.upload_files import valid_cvrs

SEGMENTS = {"Alle": None, "Drift": "drift", "Vækst": "vækst"}


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("recompute")
    engine = make_engine(f"sqlite:///{root / 'db.sqlite'}")
    upgrade(engine)
    rows = answers()
    cvrs = valid_cvrs(len(rows))
    for i, (row, cvr) in enumerate(zip(rows, cvrs, strict=True)):
        row.update(svar_id=f"S{i}", cvr=cvr, besvarelsesdato=date(2022, 5, 2))
    content, ext = export_file(pl.DataFrame(rows), Kind.BRUGEREVALUERING, Dialect.EXCEL_DA)
    result = ingest(
        engine,
        kind=Kind.BRUGEREVALUERING,
        content=content,
        filename=f"svar.{ext}",
        period="2022Q2",
        user="test@ehnj.dk",
    )
    assert result.outcome.name == "LOADED", result.report.to_text()
    data = load_report_data(engine, 2022, today=date(2026, 11, 22))
    write_csvs(report_tables(data), report_charts(data), root / "csv")
    return root / "csv"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def published(csv_dir: Path) -> tuple[dict[Key, tuple[int, int]], set[Key], set[Key]]:
    """Shown cells (n, count of "Meget tilfreds"), "færre end 5" cells and the other hidden
    cells, from the house's and the municipalities' KPI tables as published."""
    shown: dict[Key, tuple[int, int]] = {}
    small: set[Key] = set()
    secondary: set[Key] = set()
    rows = [*read(csv_dir / "noegletal_2022.csv"), *read(csv_dir / "kommuner_2022.csv")]
    for r in rows:
        if r["Nøgletal-id"] != KPI:
            continue
        kommune = int(r["Kommunekode"]) if r.get("Kommunekode") else None
        key: Key = (kommune, SEGMENTS[r["Segment"]])
        text = " ".join(r.values())
        if "færre end 5" in text:
            small.add(key)
        elif "skjult af diskretionshensyn" in text:
            secondary.add(key)
        elif r["n"]:
            n = int(r["n"])
            value = float(r["Resultat"].replace(",", "."))
            shown[key] = (n, round(value * n / 100))
        else:
            continue
        if key in small | secondary:
            assert r["n"] == "" and r["Resultat"] == "", r  # no n, no value
    return shown, small, secondary


def test_every_suppressed_municipal_cell_stays_unknown(csv_dir: Path) -> None:
    shown, small, secondary = published(csv_dir)
    assert (825, None) in small  # Læsø's one answer is suppressed …
    assert secondary  # … and a neighbour hides it from subtraction
    assert shown.get((None, None)) == TRUTH[(None, None)]  # the house's figure is published
    for cell in small | secondary:
        assert cell[0] is not None  # only municipal cells are hidden
        assert len(possible_shares(shown, small, cell)) > 1, cell


def test_the_chart_files_tell_no_more(csv_dir: Path) -> None:
    files = sorted((csv_dir / "diagramdata").glob("*kommune*.csv"))
    assert files
    hidden_values = {"100,0", "66,7", "75,0", "50,0"}  # Læsø, Morsø drift/vækst, Aalborg vækst
    notes = 0
    for path in files:
        notes += sum(bool(r.get("Bemærkning")) for r in read(path))
        for r in read(path):
            if r.get("Bemærkning"):
                assert r.get("Resultat", "") == "" and r.get("n", "") == "", (path.name, r)
        assert not any(
            r.get("Resultat") in hidden_values and r.get("Bemærkning") for r in read(path)
        )
    assert notes  # the hidden cells are there, saying why
