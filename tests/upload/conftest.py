"""The broken-file corpus, each file checked once per test session.

Checking a file runs Great Expectations, the slow part of these tests. The checks are
computed on first use and shared; the tests only read them (``FileCheck`` and its report
are frozen)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from broken_files import Case
from upload_files import ACTIVITY_IDS, KOMMUNER, PERIOD_END, PERIOD_START

from data.upload_check import FileCheck, inspect_file


def check_case(case: Case) -> FileCheck:
    options = {"existing_ids": frozenset(), "activity_ids": ACTIVITY_IDS, **case.options}
    return inspect_file(
        case.content,
        case.filename,
        case.kind,
        kommuner=KOMMUNER,
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        **options,
    )


@pytest.fixture(scope="session")
def corpus_check() -> Callable[[Case], FileCheck]:
    """The check of a corpus file, computed once per session."""
    done: dict[str, FileCheck] = {}

    def check(case: Case) -> FileCheck:
        if case.id not in done:
            done[case.id] = check_case(case)
        return done[case.id]

    return check
