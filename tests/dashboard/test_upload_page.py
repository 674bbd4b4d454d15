"""The upload page in AppTest as the logged-in director: the period is chosen before the file,
changing it re-checks the file without storing anything, the period of the file's dates is
offered, a 2023 quarter is chosen and replaced, and a rejected file is quarantined only when
the director asks for it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data.db import make_engine
from data.export_files import Dialect, export_file
from data.schema import Batch
from data.store import load_stored_data
from expectations.schema import Kind
from tests.dashboard.test_director_pages import as_director
from tests.dashboard.test_pages import page_text

PAGE = "dashboard/pages/indlaes.py"
CSV = "text/csv"


def q4_2023_files(url: str) -> tuple[bytes, bytes]:
    """100 courses of the demo's 2023Q4 (a good file) and the same with one bad CVR."""
    stored = load_stored_data(make_engine(url), "nordjylland")
    rows = stored.forloeb.filter(pl.col("startdato") >= date(2023, 10, 1)).head(100)
    good, _ = export_file(rows, Kind.FORLOEB, Dialect.EXCEL_DA)
    broken_rows = rows.with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("12345678")).otherwise("cvr").alias("cvr")
    )
    broken, _ = export_file(broken_rows, Kind.FORLOEB, Dialect.EXCEL_DA)
    return good, broken


def batches(url: str, status: str) -> int:
    with make_engine(url).connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(Batch).where(Batch.status == status)
            ).scalar_one()
        )


def box(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.selectbox if b.label == label)


def choose_period(at: AppTest, year: int, q: int) -> None:
    box(at, "Periodens år").select(year).run()
    box(at, "Kvartal").select(q).run()


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    found = [b for b in at.button if b.label == label]
    assert found, (label, [b.label for b in at.button])
    return found[0]


@pytest.fixture
def director_url(tmp_path: Path) -> str:
    from tests.dashboard.conftest import build_demo_db

    return build_demo_db(tmp_path / "demo.db")


def test_changing_the_period_rechecks_without_quarantine_and_a_2023_quarter_is_replaced(
    director_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, _ = q4_2023_files(director_url)
    rejected_before = batches(director_url, "rejected")
    at = as_director(director_url, monkeypatch, PAGE)
    assert "2023" in box(at, "Periodens år").options  # every contract year
    choose_period(at, 2023, 1)
    at.file_uploader[0].upload("forloeb_q4.csv", good, CSV)
    at.run()
    text = page_text(at)
    assert "Filen blev afvist" in text  # its dates are not in 2023Q1
    assert "Filens datoer ligger i 4. kvartal 2023 – vælg den periode?" in text
    assert batches(director_url, "rejected") == rejected_before  # nothing stored by a check

    choose_period(at, 2023, 2)  # another wrong period: checked again, still nothing stored
    assert "Filen blev afvist" in page_text(at)
    assert batches(director_url, "rejected") == rejected_before

    button(at, "Vælg 4. kvartal 2023").click().run()  # the suggested period
    assert box(at, "Kvartal").value == 4 and box(at, "Periodens år").value == 2023
    assert [s.value for s in at.success] == ["Filen er godkendt: 100 rækker, ingen problemer."]
    assert "Erstatter indlæsning nr." in page_text(at)
    assert batches(director_url, "rejected") == rejected_before
    replaced_before = batches(director_url, "replaced")
    button(at, "Gem indlæsningen").click().run()
    assert not at.exception, at.exception
    assert any("Indlæst: 100 rækker" in s.value for s in at.success)
    assert batches(director_url, "replaced") == replaced_before + 1
    with make_engine(director_url).connect() as conn:
        active = conn.execute(
            select(Batch.filename).where(
                Batch.kind == "forloeb", Batch.period == "2023Q4", Batch.status == "active"
            )
        ).scalar_one()
    assert active == "forloeb_q4.csv"


def test_a_rejected_file_is_quarantined_only_when_the_director_confirms(
    director_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, broken = q4_2023_files(director_url)
    rejected_before = batches(director_url, "rejected")
    at = as_director(director_url, monkeypatch, PAGE)
    choose_period(at, 2023, 4)
    at.file_uploader[0].upload("forloeb_fejl.csv", broken, CSV)
    at.run()
    assert "Filen blev afvist: 1 problem i 1 regel." in page_text(at)
    assert batches(director_url, "rejected") == rejected_before
    button(at, "Gem i karantæne").click().run()
    assert not at.exception, at.exception
    assert batches(director_url, "rejected") == rejected_before + 1
    assert any("gemt i karantæne som indlæsning nr." in s.value for s in at.success)


def test_a_running_quarter_is_warned_about_and_the_columns_and_templates_are_shown(
    director_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = as_director(director_url, monkeypatch, PAGE)
    today = date.today()
    box(at, "Periodens år").select(today.year).run()
    running = (today.month - 1) // 3 + 1
    box(at, "Kvartal").select(running).run()
    assert any("er ikke slut endnu" in w.value for w in at.warning)
    assert any(e.label.startswith("Forventede kolonner og skabeloner") for e in at.expander)
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Hent skabelon (CSV)" in labels and "Hent skabelon (Excel)" in labels


def test_a_restore_shows_how_the_kpis_move_before_it_is_confirmed(
    director_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data.ingest import Outcome, ingest

    good, _ = q4_2023_files(director_url)
    engine = make_engine(director_url)
    stored = ingest(
        engine,
        kind=Kind.FORLOEB,
        content=good,
        filename="forloeb_q4.csv",
        period="2023Q4",
        user="direktor@test.dk",
    )
    assert stored.outcome is Outcome.LOADED and stored.replaced_batch_id is not None
    old = stored.replaced_batch_id
    at = as_director(director_url, monkeypatch, "dashboard/pages/indlaesninger.py")
    at.selectbox(key="batches.chosen").select(old).run()
    button(at, "Gendan indlæsningen").click().run()
    assert not at.exception, at.exception
    assert "Sådan ændres nøgletallene for 2023" in [h.value for h in at.subheader]
    assert "Status efter gendannelsen: pr. " in page_text(at)
    changes = at.dataframe[-1].value
    assert "Mål 11" in changes["Mål"].to_list()  # the unique companies of 2023 move back
    assert batches(director_url, "replaced") == 1  # nothing restored before the confirmation
    button(at, "Ja, gendan").click().run()
    assert not at.exception, at.exception
    with engine.connect() as conn:
        status = conn.execute(select(Batch.status).where(Batch.id == old)).scalar_one()
    assert status == "active"
    assert any(f"Indlæsning nr. {old} er aktiv igen" in s.value for s in at.success)
