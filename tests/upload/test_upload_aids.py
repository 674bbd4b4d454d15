"""What helps the director upload: the period the file's dates point to, municipality names in
the kommunekode rule, the expected columns and the templates the check reads back."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from upload_files import ACTIVITY_IDS, good_rows, render_csv

from dashboard.views.upload import (
    column_rows,
    period_hint,
    period_warning,
    quarter_choices,
    template_file,
    upload_years,
)
from data.periods import Quarter
from data.preview import preview_upload
from data.upload_check import inspect_here
from expectations.rules import kommune
from expectations.schema import COLUMNS, Kind

SIX = render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB))  # started in 2022Q3


def test_the_file_dates_point_to_their_quarter_and_the_hint_offers_it(engine: Engine) -> None:
    wrong = preview_upload(
        engine,
        kind=Kind.FORLOEB,
        content=SIX,
        filename="f.csv",
        period="2023Q1",
        activity_ids=ACTIVITY_IDS,
    )
    assert not wrong.report.ok and wrong.date_period == "2022Q3"
    assert period_hint(wrong) == "Filens datoer ligger i 3. kvartal 2022 – vælg den periode?"
    right = preview_upload(
        engine,
        kind=Kind.FORLOEB,
        content=SIX,
        filename="f.csv",
        period="2022Q3",
        activity_ids=ACTIVITY_IDS,
    )
    assert right.report.ok and period_hint(right) is None


def test_the_kommunekode_rule_names_the_municipalities() -> None:
    rule = kommune(frozenset({787, 773}), {773: "Morsø", 787: "Thisted"})
    assert rule.message == "Kommunekode skal være en af husets kommuner: 773 Morsø, 787 Thisted"
    assert kommune(frozenset({773})).message.endswith(": 773")  # without names: the codes


def test_a_rejected_kommunekode_names_the_municipalities_in_the_report(engine: Engine) -> None:
    broken = SIX.replace(b";851;", b";101;", 1)  # København is not in Nordjylland
    assert broken != SIX
    checked = preview_upload(
        engine,
        kind=Kind.FORLOEB,
        content=broken,
        filename="f.csv",
        period="2022Q3",
        activity_ids=ACTIVITY_IDS,
    )
    rules = [r.rule for r in checked.report.rules]
    assert any("773 Morsø" in r and "787 Thisted" in r for r in rules), rules


def test_every_contract_year_and_its_quarters_can_be_chosen() -> None:
    today = date(2026, 11, 27)
    assert upload_years(today, 2020) == [2026, 2025, 2024, 2023, 2022, 2021, 2020]
    assert quarter_choices(2023, today, Kind.FORLOEB) == [1, 2, 3, 4]
    assert quarter_choices(2023, today, Kind.KENDSKAB) == [3, 4]
    assert quarter_choices(2027, today, Kind.FORLOEB) == []
    assert period_warning(Quarter(2023, 4), today) is None
    running = period_warning(Quarter(2026, 4), today)
    assert running is not None and running.startswith("4. kvartal 2026 er ikke slut endnu")


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("xlsx", [False, True])
def test_a_template_is_read_by_the_check_with_every_column(kind: Kind, xlsx: bool) -> None:
    content, name = template_file(kind, xlsx=xlsx)
    assert name == f"skabelon_{kind}.{'xlsx' if xlsx else 'csv'}"
    if not xlsx:
        assert content.startswith(b"\xef\xbb\xbf") and b";" in content  # Danish Excel CSV
    checked = inspect_here(
        content,
        name,
        kind,
        kommuner=frozenset({773}),
        period_start=date(2023, 7, 1),
        period_end=date(2023, 9, 30),
        activity_ids=ACTIVITY_IDS,
    )
    # Every header is recognised; the one problem is that a template has no rows yet.
    assert [r.rule_id for r in checked.report.rules] == ["fil.ingen_data"]
    assert checked.header_row == 1
    dropped = content.replace(COLUMNS[kind][0].label.encode(), b"Noget andet", 1)
    if not xlsx:  # a header not of the kind is named as such (the check reads the header)
        wrong = inspect_here(
            dropped,
            name,
            kind,
            kommuner=frozenset({773}),
            period_start=date(2023, 7, 1),
            period_end=date(2023, 9, 30),
        )
        assert [r.rule_id for r in wrong.report.rules] != ["fil.ingen_data"]
    rows = column_rows(kind, ["773 Morsø"])
    assert rows["Kolonne"].to_list() == [c.label for c in COLUMNS[kind]]


def test_an_awareness_file_points_to_the_autumn_of_its_measurement_year(engine: Engine) -> None:
    content = render_csv(Kind.KENDSKAB, good_rows(Kind.KENDSKAB))  # Måleår 2022
    checked = preview_upload(
        engine, kind=Kind.KENDSKAB, content=content, filename="k.csv", period="2023Q4"
    )
    assert not checked.report.ok and checked.date_period == "2022Q4"
    assert period_hint(checked) == "Filens måleår er 2022 – vælg 4. kvartal 2022?"
    same_year = preview_upload(
        engine, kind=Kind.KENDSKAB, content=content, filename="k.csv", period="2022Q3"
    )
    assert same_year.report.ok and period_hint(same_year) is None
