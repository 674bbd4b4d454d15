"""Danish number input: comma decimals, thousands points, ambiguity refused."""

from __future__ import annotations

import pytest

from dashboard.views.numbers import NumberInputError, danish_number_text, parse_danish_number

FIELD = "Omsætningsvækst"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,5", 2.5),
        ("-0,8", -0.8),
        ("\u22120,8", -0.8),  # typographic minus
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        (" 12 ", 12.0),
        ("0", 0.0),
        ("", None),
        ("   ", None),
    ],
)
def test_danish_numbers_are_read(text: str, value: float | None) -> None:
    assert parse_danish_number(text, field=FIELD) == value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2.5", "skriv 2,5"),
        ("1.234", "Skriv 1234 eller 1,234"),
        ("abc", "ikke et tal"),
        ("1e5", "ikke et tal"),
        ("NaN", "ikke et tal"),
        ("12,34,5", "ikke et korrekt skrevet tal"),
        ("1.23,5", "ikke et korrekt skrevet tal"),
    ],
)
def test_ambiguous_or_wrong_numbers_are_refused_in_danish(text: str, words: str) -> None:
    with pytest.raises(NumberInputError) as caught:
        parse_danish_number(text, field=FIELD)
    assert caught.value.message.startswith(f"{FIELD}: '{text}'")
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.5, "2,5"), (-0.8, "-0,8"), (1234.5, "1.234,5"), (12.0, "12,0"), (None, "")],
)
def test_numbers_are_shown_again_the_danish_way(value: float | None, text: str) -> None:
    assert danish_number_text(value) == text
    if value is not None:
        assert parse_danish_number(text, field=FIELD) == value
