"""Properties: no input makes the reader raise; valid frames survive a CSV round trip."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from upload_files import (
    CVRS,
    KOMMUNER,
    PERIOD_END,
    PERIOD_START,
    Dialect,
    good_rows,
    render_csv,
    render_xlsx,
)

from data.readers import read_export
from data.readers_typing import typed_frame
from expectations.rules import HELPERS
from expectations.schema import COLUMNS, FAGOMRAADER, KATEGORIER, Kind, cvr_is_valid
from tests.conftest import examples

SETTINGS = settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _read_never_raises(content: bytes, filename: str, kind: Kind) -> None:
    read = read_export(content, filename, kind)
    assert set(read.frame.columns) == {"row_number", *(c.name for c in COLUMNS[kind])}
    if not read.blocking:
        typed, _ = typed_frame(read, kind)
        assert typed.height == read.frame.height
    else:
        assert read.problems


@SETTINGS
@given(
    content=st.binary(max_size=3000),
    kind=st.sampled_from(list(Kind)),
    filename=st.sampled_from(["upload.csv", "upload.xlsx", "upload.txt"]),
)
def test_any_bytes_give_a_result_not_an_exception(
    content: bytes, kind: Kind, filename: str
) -> None:
    _read_never_raises(content, filename, kind)


GOOD_CSV = render_csv(Kind.FORLOEB, good_rows(Kind.FORLOEB))
GOOD_XLSX = render_xlsx(Kind.FORLOEB, good_rows(Kind.FORLOEB))


@SETTINGS
@given(data=st.data(), xlsx=st.booleans())
def test_damaged_good_files_give_a_result_not_an_exception(data: st.DataObject, xlsx: bool) -> None:
    good = GOOD_XLSX if xlsx else GOOD_CSV
    start = data.draw(st.integers(0, len(good)))
    end = data.draw(st.integers(start, min(len(good), start + 200)))
    junk = data.draw(st.binary(max_size=50))
    damaged = good[:start] + junk + good[end:]
    _read_never_raises(damaged, "upload.xlsx" if xlsx else "upload.csv", Kind.FORLOEB)


# --- round trip --------------------------------------------------------------------------

_SAFE_TEXT = st.text(
    alphabet=st.sampled_from(list("abcæøåÆØÅ xyz;,\"'-/1234567890ÉéüÖ")),
    min_size=1,
    max_size=20,
).filter(lambda s: s == s.strip() and s.strip() != "")


def _forloeb_row(i: int) -> st.SearchStrategy[dict[str, object]]:
    days = (PERIOD_END - PERIOD_START).days
    return st.fixed_dictionaries(
        {
            "forloeb_id": st.just(f"F{i:05d}"),
            "cvr": st.sampled_from(CVRS),
            "virksomhed": st.none() | _SAFE_TEXT,
            "kommunekode": st.sampled_from(sorted(KOMMUNER)),
            "kategori": st.sampled_from(KATEGORIER),
            "fagomraade": st.sampled_from(FAGOMRAADER),
            "startdato": st.integers(0, days).map(lambda n: PERIOD_START + timedelta(n)),
            "slutdato": st.none()
            | st.integers(0, 400).map(lambda n: date(2022, 9, 30) + timedelta(n)),
            "henvist_fra": st.none() | _SAFE_TEXT,
            "henvist_til_ekstern": st.booleans(),
        }
    )


def _kendskab_row(i: int) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries(
        {
            "respondent_id": st.just(f"R{i}"),
            "kommunekode": st.sampled_from(sorted(KOMMUNER)),
            "maaleaar": st.just(2022),
            "kender_erhvervshuset": st.booleans(),
            "kender_groenne_ydelser": st.none() | st.booleans(),
            "vaegt": st.none() | st.integers(1, 10_000_000).map(lambda n: n / 100),
        }
    )


DIALECT = st.builds(
    Dialect,
    name=st.just("random"),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "windows-1252"]),
    separator=st.sampled_from([";", ","]),
    date_format=st.sampled_from(["%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%-d-%-m-%Y"]),
    quote_all=st.booleans(),
    salesforce=st.booleans(),
    crlf=st.booleans(),
)


@st.composite
def valid_rows(draw: st.DrawFn, kind: Kind) -> list[dict[str, object]]:
    n = draw(st.integers(1, 12))
    make = _forloeb_row if kind is Kind.FORLOEB else _kendskab_row
    return [draw(make(i)) for i in range(n)]


@SETTINGS
@given(data=st.data(), kind=st.sampled_from([Kind.FORLOEB, Kind.KENDSKAB]), dialect=DIALECT)
def test_csv_round_trip_gives_the_same_typed_frame(
    data: st.DataObject, kind: Kind, dialect: Dialect
) -> None:
    rows = data.draw(valid_rows(kind))
    content = render_csv(kind, rows, dialect)
    read = read_export(content, "roundtrip.csv", kind)
    assert read.problems == []
    assert (read.encoding, read.separator) == (dialect.encoding, dialect.separator)
    typed, problems = typed_frame(read, kind)
    assert problems == []
    dtypes = dict(typed.drop("row_number").schema)
    expected = pl.DataFrame([{c: r[c] for c in dtypes} for r in rows], schema=dtypes, orient="row")
    assert_frame_equal(typed.drop("row_number"), expected)


@SETTINGS
@given(cvr=st.text(alphabet="0123456789x ", max_size=10) | st.sampled_from(CVRS))
def test_vectorised_cvr_check_agrees_with_schema(cvr: str) -> None:
    got = pl.DataFrame({"cvr": [cvr]}).select(HELPERS["_cvr_gyldig"]).item()
    assert got is cvr_is_valid(cvr)
