"""Numbers a person types, read the Danish way (babel, ``da_DK``, strict).

``2,5`` is 2.5, ``-0,8`` is −0.8 and ``1.234,5`` is 1234.5. A number that could be read two
ways is refused with a Danish message that names both readings: ``2.5`` (an English decimal
point, or a misplaced thousands point) and ``1.234`` (1234 the Danish way, 1.234 the English
way). Exponents, NaN and infinity are refused too. No Streamlit here.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from data.errors import UserFacingError

LOCALE = "da_DK"
_PLAIN = re.compile(r"^[+-]?[0-9.,]+$")  # digits, sign, points and commas only
_ONE_POINT_THREE_DIGITS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")


class NumberInputError(UserFacingError):
    title = "Tallet kan ikke læses"


def parse_danish_number(text: str, *, field: str) -> float | None:
    """The number in ``text`` (None when blank), or :class:`NumberInputError` naming
    ``field``, the text and the rule."""
    raw = text.strip().replace("\u2212", "-")  # a typographic minus is a minus
    if not raw:
        return None
    if not _PLAIN.match(raw):
        raise NumberInputError(
            f"{field}: '{text.strip()}' er ikke et tal. Skriv fx 2,5 eller -0,8 "
            "(komma som decimaltegn)."
        )
    if _ONE_POINT_THREE_DIGITS.match(raw):
        whole = raw.replace(".", "")
        decimal = raw.replace(".", ",")
        raise NumberInputError(
            f"{field}: '{raw}' kan læses både som {whole} (punktum som tusindtalsskilletegn) "
            f"og som {decimal} (punktum som decimaltegn). Skriv {whole} eller {decimal}."
        )
    try:
        value = parse_decimal(raw, locale=LOCALE, strict=True)
    except NumberFormatError as exc:
        if "." in raw and "," not in raw:
            raise NumberInputError(
                f"{field}: '{raw}' har punktum som decimaltegn. På dansk skrives decimaler "
                f"med komma: skriv {raw.replace('.', ',')}, hvis det er det, du mener."
            ) from exc
        raise NumberInputError(
            f"{field}: '{raw}' er ikke et korrekt skrevet tal. Skriv fx 2,5 eller 1.234,5 "
            "(komma som decimaltegn, punktum mellem tusinder)."
        ) from exc
    if not isinstance(value, Decimal) or not value.is_finite():
        raise NumberInputError(f"{field}: '{raw}' er ikke et endeligt tal.")
    return float(value)


def danish_number_text(value: float | None) -> str:
    """A stored number as shown again (in a field, a preview, the audit log): '2,5', '-0,8',
    '1.234,5', '12,0'; all its decimals up to three; '' for none."""
    if value is None:
        return ""
    return format_decimal(Decimal(str(value)), format="#,##0.0##", locale=LOCALE)
