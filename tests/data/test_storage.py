"""Storage on SQLite and PostgreSQL: migration, batches (replace, same bytes, restore), reads."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import polars as pl
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from data.batches import restore_batch, store_batch
from data.db import session_factory
from data.errors import UserFacingError
from data.schema import AuditLog, Batch, ForloebRow
from data.store import (
    CVR_DTYPE,
    StoredCvrError,
    cvr_text,
    is_empty,
    list_batches,
    load_stored_data,
)
from expectations.schema import Kind
from tests.factories import course


def frame(n: int, start: date = date(2022, 8, 1)) -> pl.DataFrame:
    return pl.DataFrame([course(f"1{i:07d}", start, fid=f"F{i}") for i in range(n)])


def store(
    engine: Engine, content: bytes, n: int, rows: pl.DataFrame | None = None
) -> tuple[int, bool]:
    """``n`` good rows, or ``rows`` as they are."""
    with session_factory(engine).begin() as s:
        r = store_batch(
            s,
            erhvervshus="nordjylland",
            kind=Kind.FORLOEB,
            period="2022Q3",
            filename="f.csv",
            content=content,
            uploaded_by="direktor",
            frame=frame(n) if rows is None else rows,
        )
    return r.batch_id, r.unchanged


def count_rows(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(ForloebRow)).scalar_one())


def test_store_replace_same_bytes_and_restore(engine: Engine) -> None:
    assert is_empty(engine)
    first, _ = store(engine, b"first", 3)
    assert load_stored_data(engine, "nordjylland").forloeb.height == 3
    again, unchanged = store(engine, b"first", 3)
    assert (again, unchanged) == (first, True)
    store(engine, b"second", 5)
    stored = load_stored_data(engine, "nordjylland")
    assert stored.forloeb.height == 5 and count_rows(engine) == 8  # the old rows are kept
    assert {b.status for b in list_batches(engine, "nordjylland")} == {"active", "replaced"}
    with session_factory(engine).begin() as s:
        restore_batch(s, first, "direktor")
    assert load_stored_data(engine, "nordjylland").forloeb.height == 3
    with engine.connect() as c:
        actions = c.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()
    assert actions == ["upload", "upload_replace", "restore"]
    with session_factory(engine).begin() as s, pytest.raises(UserFacingError):
        restore_batch(s, first, "direktor")  # already active


def test_only_one_active_batch_per_period(engine: Engine) -> None:
    store(engine, b"one", 1)
    with pytest.raises(IntegrityError), session_factory(engine).begin() as s:
        # Bypassing store_batch: the database itself refuses a second active batch.
        s.add(
            Batch(
                erhvervshus="nordjylland",
                kind="forloeb",
                period="2022Q3",
                filename="x",
                uploaded_by="x",
                uploaded_at=datetime(2022, 10, 1, tzinfo=UTC),
                sha256="0" * 64,
                content=b"",
                row_count=0,
                status="active",
            )
        )
    assert len(list_batches(engine, "nordjylland", active_only=True)) == 1


def test_failed_batch_writes_nothing(engine: Engine) -> None:
    bad = frame(3).with_columns(kommunekode=pl.lit(None, pl.Int32))  # NOT NULL column
    with pytest.raises(IntegrityError):
        store(engine, b"x", 3, bad)
    assert is_empty(engine) and count_rows(engine) == 0


def test_loaded_frames_have_the_engine_schema(engine: Engine) -> None:
    store(engine, b"first", 2)
    f = load_stored_data(engine, "nordjylland").forloeb
    assert f.schema["startdato"] == pl.Date and f.schema["kommunekode"] == pl.Int32
    assert f["startdato"].to_list() == [date(2022, 8, 1)] * 2
    assert f.schema["cvr"] == CVR_DTYPE and f["cvr"].to_list() == [10_000_000, 10_000_001]
    assert f.select(cvr_text(pl.col("cvr")))["cvr"].to_list() == ["10000000", "10000001"]


@pytest.mark.parametrize("stored", ["1234567", " 1234567", "+1234567", "1234567x", "١٢٣٤٥٦٧٨"])
def test_a_stored_cvr_that_is_not_8_digits_stops_the_load(engine: Engine, stored: str) -> None:
    """Stored CVR must be 8 digits (the upload checks it); anything else would not come back
    as the same text from the engine's integer, so loading refuses rather than guesses."""
    second = pl.int_range(pl.len()) == 1
    store(
        engine,
        b"x",
        3,
        frame(3).with_columns(cvr=pl.when(second).then(pl.lit(stored)).otherwise("cvr")),
    )
    with pytest.raises(
        StoredCvrError, match=f"1 række\\(r\\) i forløb .*første: '{re.escape(stored)}'"
    ):
        load_stored_data(engine, "nordjylland")
