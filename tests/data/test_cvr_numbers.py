"""CVR as the engine's integer: exact both ways for 8-digit text, refused for anything else."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.store import CVR_DTYPE, StoredCvrError, cvr_text, with_cvr_numbers
from tests.conftest import examples

EIGHT_DIGITS = st.text(alphabet="0123456789", min_size=8, max_size=8)


@settings(max_examples=examples(200))
@given(st.lists(EIGHT_DIGITS, max_size=20))
def test_eight_digit_text_comes_back_unchanged(texts: list[str]) -> None:
    numbers = with_cvr_numbers(pl.DataFrame({"cvr": texts}, schema={"cvr": pl.String}), source="x")
    assert numbers.schema["cvr"] == CVR_DTYPE
    assert numbers.select(cvr_text(pl.col("cvr")))["cvr"].to_list() == texts
    # different texts stay different companies
    assert numbers["cvr"].n_unique() == len(set(texts))


@settings(max_examples=examples(200))
@given(
    st.text(alphabet="0123456789 +-.,xe٣", max_size=12).filter(
        lambda t: not t.isascii() or not t.isdigit() or len(t) != 8
    )
)
def test_anything_else_is_refused_never_null(text: str) -> None:
    frame = pl.DataFrame({"cvr": ["10000000", text]})
    with pytest.raises(StoredCvrError, match="1 række"):
        with_cvr_numbers(frame, source="x")


def test_a_blank_is_refused() -> None:
    with pytest.raises(StoredCvrError, match="første: tom"):
        with_cvr_numbers(pl.DataFrame({"cvr": [None]}, schema={"cvr": pl.String}), source="x")
