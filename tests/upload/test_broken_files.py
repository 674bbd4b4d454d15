"""Every broken file is rejected with a report naming the row, column, value and rule."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from broken_files import Case, cases

from data.upload_check import FileCheck
from expectations.report import ValidationReport

CASES = cases()
Check = Callable[[Case], FileCheck]


def run(check: Check, case: Case) -> tuple[object, ValidationReport]:
    checked = check(case)
    return checked.frame, checked.report


def test_corpus_is_large_and_ids_are_unique() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_broken_file_is_rejected_with_a_precise_finding(case: Case, corpus_check: Check) -> None:
    frame, report = run(corpus_check, case)
    assert frame is None
    assert not report.ok
    found = [p for p in report.cells if p.rule_id == case.rule_id]
    assert found, report.to_text()
    if case.row is not None:
        found = [p for p in found if p.row == case.row]
        assert found, f"no problem in row {case.row}:\n{report.to_text()}"
    if case.column is not None:
        found = [p for p in found if p.column == case.column]
        assert found, f"no problem in column {case.column!r}:\n{report.to_text()}"
    if case.value is not None:
        assert [p.value for p in found] == [case.value], report.to_text()
    assert all(p.rule for p in found)
    # The rule is counted and the text report and the stored form carry the finding.
    assert any(r.rule_id == case.rule_id and r.count >= 1 for r in report.rules)
    text = report.to_text()
    assert text.startswith("Filen blev afvist")
    assert found[0].rule in text
    assert ValidationReport.from_dict(json.loads(json.dumps(report.to_dict()))) == report


@pytest.mark.parametrize("case", [c for c in CASES if c.value is not None], ids=lambda c: c.id)
def test_cell_cases_break_exactly_one_rule(case: Case, corpus_check: Check) -> None:
    _, report = run(corpus_check, case)
    if case.id.startswith("forkert_periode"):
        assert {r.rule_id for r in report.rules} == {case.rule_id}
        return
    assert [(r.rule_id, r.count) for r in report.rules] == [(case.rule_id, 1)] or (
        case.rule_id.endswith(".unik") and [r.rule_id for r in report.rules] == [case.rule_id]
    ), report.to_text()


def test_text_report_reads_like_the_example(corpus_check: Check) -> None:
    case = next(c for c in CASES if c.id == "cvr_forkert_kontrolciffer")
    _, report = run(corpus_check, case)
    assert report.to_text().splitlines()[0] == (
        "Filen blev afvist: 1 problem i 1 regel (6 datarækker læst)."
    )
    assert (
        f"Række {case.row}, kolonne 'CVR', værdi '{case.value}': "
        "CVR skal være 8 cifre og bestå modulus 11-kontrollen"
    ) in report.to_text()


def test_survey_uploaded_as_courses_names_the_missing_columns(corpus_check: Check) -> None:
    case = next(c for c in CASES if c.id == "brugerevaluering_som_forloeb")
    _, report = run(corpus_check, case)
    missing = {p.column for p in report.cells if p.rule_id == "kolonne.mangler"}
    assert missing == {"Forløb ID", "Kategori", "Fagområde", "Startdato", "Henvist til ekstern"}
    assert "Brugerevaluering" in report.to_text()


def test_report_text_is_limited(corpus_check: Check) -> None:
    case = next(c for c in CASES if c.id == "forkert_periode")
    _, report = run(corpus_check, case)
    text = report.to_text(limit=2)
    assert text.count("Række ") == 2
    assert text.endswith("… og 4 problemer mere.")
