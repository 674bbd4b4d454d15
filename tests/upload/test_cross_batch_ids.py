"""An ID counts in one active batch only, also when two files were previewed side by side
(two browser tabs) or are saved at the same moment: the save itself refuses the second file,
quarantines it and names the batch that holds the IDs (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import Engine, select
from upload_files import good_rows, render_csv

from data.batch_ids import DuplicateIdError
from data.batches import restore_batch, withdraw_batch
from data.db import session_factory
from data.ingest import IngestResult, Outcome, store_preview
from data.preview import UploadPreview, preview_upload
from data.schema import AuditLog
from data.store import list_batches, load_stored_data
from expectations.schema import Kind

Q3 = render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB))
Q4 = render_csv(
    Kind.FORLOEB,
    [
        {**r, "startdato": r["startdato"].replace(month=r["startdato"].month + 3), "slutdato": None}
        for r in good_rows(Kind.FORLOEB)
    ],
)
IDS = len(good_rows(Kind.FORLOEB))


def _preview(engine: Engine, content: bytes, period: str, filename: str) -> UploadPreview:
    preview = preview_upload(
        engine, kind=Kind.FORLOEB, content=content, filename=filename, period=period
    )
    assert preview.storable, preview.report.to_text(5)
    return preview


def _save(engine: Engine, preview: UploadPreview, content: bytes) -> IngestResult:
    return store_preview(engine, preview, content=content, user="direktor")


def _active(engine: Engine) -> list[str]:
    return [b.period for b in list_batches(engine, "nordjylland", active_only=True)]


def _assert_refused_naming(result: IngestResult, holder_period: str, holder_file: str) -> None:
    assert result.outcome is Outcome.REJECTED
    rules = [r.rule for r in result.report.rules]
    assert len(rules) == 1 and f"Forløb (CRM), {holder_period}, fil '{holder_file}'" in rules[0]
    assert {p.column for p in result.report.cells} == {"Forløb ID"}
    assert len(result.report.cells) == IDS and all(p.row for p in result.report.cells)


def test_two_tabs_previewed_then_saved_leave_one_active(engine: Engine) -> None:
    first = _preview(engine, Q3, "2022Q3", "juli.csv")
    second = _preview(engine, Q4, "2022Q4", "oktober.csv")  # previewed before the first is saved
    assert _save(engine, first, Q3).outcome is Outcome.LOADED
    refused = _save(engine, second, Q4)
    _assert_refused_naming(refused, "2022Q3", "juli.csv")
    assert _active(engine) == ["2022Q3"]
    assert load_stored_data(engine, "nordjylland").forloeb.height == IDS
    quarantined = [b for b in list_batches(engine, "nordjylland") if b.status == "rejected"]
    assert [(b.id, b.period, b.filename) for b in quarantined] == [
        (refused.batch_id, "2022Q4", "oktober.csv")
    ]
    with session_factory(engine)() as s:
        details = s.scalars(
            select(AuditLog.details).where(AuditLog.action == "upload_rejected")
        ).all()
    assert len(details) == 1 and json.loads(details[0] or "{}")["problems"] == IDS


@pytest.mark.parametrize("trial", range(3))
def test_saved_at_the_same_moment_leave_one_active(engine: Engine, trial: int) -> None:
    files = {"2022Q3": Q3, "2022Q4": Q4}
    previews = {p: _preview(engine, c, p, f"{p}.csv") for p, c in files.items()}
    barrier = threading.Barrier(2)
    results: dict[str, IngestResult] = {}

    def save(period: str) -> None:
        barrier.wait()
        results[period] = _save(engine, previews[period], files[period])

    threads = [threading.Thread(target=save, args=(p,)) for p in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = sorted(r.outcome for r in results.values())
    assert outcomes == [Outcome.LOADED, Outcome.REJECTED]
    (winner,) = _active(engine)
    loser = next(p for p, r in results.items() if r.outcome is Outcome.REJECTED)
    _assert_refused_naming(results[loser], winner, f"{winner}.csv")
    assert load_stored_data(engine, "nordjylland").forloeb.height == IDS


def test_restoring_a_batch_whose_ids_are_active_elsewhere_is_refused(engine: Engine) -> None:
    july = _save(engine, _preview(engine, Q3, "2022Q3", "juli.csv"), Q3)
    assert july.batch_id is not None
    with session_factory(engine).begin() as s:
        withdraw_batch(s, july.batch_id, "direktor")
    assert _save(engine, _preview(engine, Q4, "2022Q4", "oktober.csv"), Q4).outcome is (
        Outcome.LOADED
    )
    with (
        pytest.raises(DuplicateIdError, match=r"indlæsning \d+ \(Forløb \(CRM\), 2022Q4"),
        session_factory(engine).begin() as s,
    ):
        restore_batch(s, july.batch_id, "direktor")
    assert _active(engine) == ["2022Q4"]


def test_respondent_ids_follow_the_same_rule(engine: Engine) -> None:
    """The awareness survey of 2022 previewed for Q3 and for Q4: only one counts."""
    survey = render_csv(Kind.KENDSKAB, good_rows(Kind.KENDSKAB))
    tabs = [
        preview_upload(engine, kind=Kind.KENDSKAB, content=survey, filename=f, period=p)
        for p, f in (("2022Q3", "sept.csv"), ("2022Q4", "dec.csv"))
    ]
    assert all(t.storable for t in tabs)
    assert _save(engine, tabs[0], survey).outcome is Outcome.LOADED
    refused = _save(engine, tabs[1], survey)
    assert refused.outcome is Outcome.REJECTED
    (rule,) = refused.report.rules
    assert "'Respondent ID'" in rule.rule and "Kendskabsmåling, 2022Q3, fil 'sept.csv'" in rule.rule
    assert _active(engine) == ["2022Q3"]
