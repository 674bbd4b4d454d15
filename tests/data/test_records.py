"""Hand-kept records: a save that keeps an activity's status keeps its date; the audit log
holds the old and the new values."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine, select

from data.audit import AuditAction, audit
from data.db import session_factory
from data.errors import UserFacingError
from data.records import (
    current_activity,
    record_activity,
    record_comment,
    record_control_group,
)
from data.schema import AuditLog
from data.store import data_version
from data.users import add_user, login

HOUSE = "nordjylland"
WHO = "direktor@ehnj.dk"


def save(engine: Engine, status: str, on: date | None, **extra: str) -> None:
    with session_factory(engine).begin() as session:
        record_activity(
            session,
            erhvervshus=HOUSE,
            year=2022,
            goal=8,
            activity_id="m8_nye_midler",
            status=status,
            status_date=on,
            changed_by=WHO,
            **extra,
        )


def current(engine: Engine) -> tuple[str, date]:
    with session_factory(engine)() as session:
        row = current_activity(session, erhvervshus=HOUSE, year=2022, activity_id="m8_nye_midler")
        assert row is not None
        return row.status, row.status_date


def last_audit(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        details = conn.execute(select(AuditLog.details).order_by(AuditLog.id.desc())).scalar()
    assert details is not None
    result: dict[str, object] = json.loads(details)
    return result


def test_a_comment_only_save_keeps_the_date(engine: Engine) -> None:
    save(engine, "I gang", date(2022, 3, 15))
    save(engine, "I gang", date(2022, 12, 31), comment="Møde med KKR afholdt.")
    assert current(engine) == ("I gang", date(2022, 3, 15))
    assert last_audit(engine) == {
        "status": "I gang",
        "date": "2022-03-15",
        "old_status": "I gang",
        "old_date": "2022-03-15",
    }


def test_a_status_change_takes_the_date_given(engine: Engine) -> None:
    save(engine, "I gang", date(2022, 3, 15))
    save(engine, "Gennemført", date(2022, 11, 20))
    assert current(engine) == ("Gennemført", date(2022, 11, 20))
    audit = last_audit(engine)
    assert (audit["old_status"], audit["old_date"]) == ("I gang", "2022-03-15")
    with pytest.raises(UserFacingError, match="Angiv datoen"):
        save(engine, "I gang", None)
    with pytest.raises(UserFacingError, match="ligger ikke i kontraktåret 2022"):
        save(engine, "I gang", date(2023, 1, 2))


def test_control_group_audit_holds_old_and_new_figures(engine: Engine) -> None:
    for revenue in (25.0, 2.5):
        with session_factory(engine).begin() as session:
            record_control_group(
                session,
                erhvervshus=HOUSE,
                year=2022,
                revenue_pp=revenue,
                employment_pp=-0.8,
                productivity_effect=None,
                source="Erhvervsstyrelsen",
                entered_by=WHO,
            )
    audit = last_audit(engine)
    assert audit["old"] == {
        "revenue_pp": 25.0,
        "employment_pp": -0.8,
        "productivity_effect": None,
        "source": "Erhvervsstyrelsen",
    }
    assert isinstance(audit["new"], dict) and audit["new"]["revenue_pp"] == 2.5


def test_the_data_version_follows_records_and_ignores_logins(engine: Engine) -> None:
    """The pages' caches are keyed on :func:`data.store.data_version`: every record typed in on
    a page changes it; a login (an audit entry only) does not."""
    with session_factory(engine).begin() as session:
        add_user(session, WHO, {"uploader"}, actor="test", password="en-lang-adgangskode-1")
    versions = [data_version(engine)]
    login(engine, WHO, "en-lang-adgangskode-1")
    with session_factory(engine).begin() as session:
        audit(session, WHO, AuditAction.LOGIN, "test")
    assert data_version(engine) == versions[-1]

    save(engine, "I gang", date(2022, 3, 15))
    versions.append(data_version(engine))
    with session_factory(engine).begin() as session:
        record_comment(
            session, erhvervshus=HOUSE, year=2022, goal=8, text="Godt i gang.", author=WHO
        )
    versions.append(data_version(engine))
    with session_factory(engine).begin() as session:
        record_control_group(
            session,
            erhvervshus=HOUSE,
            year=2022,
            revenue_pp=1.5,
            employment_pp=None,
            productivity_effect=None,
            source="Erhvervsstyrelsens notat",
            entered_by=WHO,
        )
    versions.append(data_version(engine))
    assert len(set(versions)) == 4
