"""The upload page's preview: nothing is written, the replaced batch is named, identical and
quarantined files are recognised, the KPI changes are hand-checked, the error list is XLSX."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import Engine, func, select
from upload_files import ACTIVITY_IDS, good_rows, render_csv

from dashboard.views.upload import kpi_changes
from data.ingest import Outcome, ingest, store_preview
from data.preview import preview_upload, problems_workbook, with_candidate
from data.reference import erhvervshus
from data.schema import Batch
from data.store import load_stored_data
from expectations.schema import Kind

SIX = render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB))  # 5 unique CVR, 3 vækst/drift, 3 korte
TWO = render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB)[:2])  # F001 vækst 851, F002 drift 773


def preview(engine: Engine, content: bytes, period: str = "2022Q3"):  # type: ignore[no-untyped-def]
    return preview_upload(
        engine,
        kind=Kind.FORLOEB,
        content=content,
        filename="f.csv",
        period=period,
        activity_ids=ACTIVITY_IDS,
    )


def batches(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Batch)).scalar_one())


def test_preview_writes_nothing_and_names_the_replaced_batch(engine: Engine) -> None:
    first = preview(engine, SIX)
    assert first.storable and first.current is None and batches(engine) == 0
    assert first.detected_text() == "UTF-8, skilletegn semikolon (;)"
    stored = store_preview(engine, first, content=SIX, user="direktor")
    assert stored.outcome is Outcome.LOADED
    second = preview(engine, TWO)
    assert second.current is not None and second.current.id == stored.batch_id
    assert second.current.row_count == 6 and batches(engine) == 1
    again = preview(engine, SIX)
    assert again.identical and not again.storable


def test_store_refuses_content_other_than_previewed(engine: Engine) -> None:
    with pytest.raises(ValueError):
        store_preview(engine, preview(engine, SIX), content=TWO, user="direktor")


def test_a_quarantined_file_is_recognised_and_not_stored_again(engine: Engine) -> None:
    broken = SIX.replace(b"10000017", b"10000018")  # CVR fails the modulus-11 check
    first = preview(engine, broken)
    assert not first.report.ok
    quarantined = store_preview(engine, first, content=broken, user="direktor")
    assert quarantined.outcome is Outcome.REJECTED
    again = preview(engine, broken)
    assert again.rejected_before == quarantined.batch_id
    assert [r.rule_id for r in again.report.rules] == [r.rule_id for r in first.report.rules]
    assert store_preview(engine, again, content=broken, user="direktor").batch_id == (
        quarantined.batch_id
    )
    assert batches(engine) == 1


def test_kpi_changes_of_a_replacement_are_hand_computed(engine: Engine) -> None:
    house = erhvervshus()
    ingest(engine, kind=Kind.FORLOEB, content=SIX, filename="f.csv", period="2022Q3", user="d")
    candidate = with_candidate(engine, preview(engine, TWO))
    assert candidate.forloeb.height == 2  # the replaced batch's rows are left out
    changes = kpi_changes(load_stored_data(engine, house.key), candidate, year=2022)
    by_kpi = {r["Nøgletal"]: r for r in changes.iter_rows(named=True)}
    assert by_kpi["Unikke vejledte virksomheder"]["Nu"] == "5"
    assert by_kpi["Unikke vejledte virksomheder"]["Efter indlæsning"] == "2"
    assert by_kpi["Vækst- og Driftsforløb"]["Nu"] == "3"
    assert by_kpi["Vækst- og Driftsforløb"]["Efter indlæsning"] == "2"
    assert by_kpi["Korte forløb og Early Warning"]["Efter indlæsning"] == "0"
    assert by_kpi["Kommuner med vejledte virksomheder"]["Nu"] == "5 kommuner"
    assert by_kpi["Kommuner med vejledte virksomheder"]["Efter indlæsning"] == "2 kommuner"
    # No courses in 2021: "new" cannot be told (ingen data); two CVRs are also too few.
    new_share = next(r for r in by_kpi.values() if r["Mål"] == "Mål 1")
    # CRM registrations, not answers: the hidden share says what it had too few of
    assert (new_share["Nu"], new_share["Efter indlæsning"]) == (
        "ingen data",
        "færre end 5 vejledte virksomheder",
    )
    assert new_share["Status nu"] == new_share["Status efter"]
    # Only what moves is listed: satisfaction has no data before or after.
    assert not any(r["Mål"] == "Mål 3" for r in by_kpi.values())
    same = kpi_changes(
        load_stored_data(engine, house.key),
        candidate=load_stored_data(engine, house.key),
        year=2022,
    )
    assert same.is_empty()


def test_problems_workbook_holds_every_problem_as_text(engine: Engine) -> None:
    broken = SIX.replace(b"10000017", b'=HYPERLINK("x")')
    report = preview(engine, broken).report
    book = openpyxl.load_workbook(io.BytesIO(problems_workbook(report, "f.csv")))
    assert book.sheetnames == ["Regler", "Problemer"]
    sheet = book["Problemer"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Række", "Kolonne", "Værdi", "Regel", "Regel-id")
    assert len(rows) - 1 == report.problem_count
    assert any(r[2] == '=HYPERLINK("x")' for r in rows[1:])
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)  # no formulas
