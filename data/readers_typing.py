"""Text frame → typed frame: parse each canonical column into its dtype, Danish-style.

Accepted forms (documented for users in the upload page's help text):

- text: surrounding whitespace stripped; empty → blank (null). Category columns (Kategori,
  Segment, …) are matched case- and whitespace-insensitively and written in the canonical
  spelling, so "vækstforløb" becomes "Vækstforløb"; unknown values are kept for the rules.
- whole numbers: digits with an optional sign; leading zeros allowed ("0851" → 851).
- decimal numbers: decimal comma with optional thousands dots ("1.234,5", "0,87"); a dot
  followed by other than exactly three digits is a decimal point ("0.87"), so "1.234" is
  read as 1234. XLSX number cells (written with a decimal point by calamine) are read as such.
- dates: 31-12-2022, 31.12.2022, 31/12/2022, 2022-12-31, single-digit day/month allowed
  (1-7-2022); a time after the date ("31-12-2022 10:15") is ignored.
- Ja/Nej: Ja, Nej (any case) and also true/false, sand/falsk (Excel's boolean cells in
  English or Danish) and 1/0. "J"/"N" are not accepted: too easy to confuse.

A cell that cannot be parsed becomes null in the typed frame *and* a :class:`CellProblem`
(row, Danish column label, the text as read, the rule) — nothing is dropped silently.
"""

from __future__ import annotations

from collections import Counter

import polars as pl

from data.readers import ROW_NUMBER, ReadResult
from expectations.report import MAX_LISTED_PROBLEMS, CellProblem
from expectations.schema import COLUMNS, Column, Dtype, Kind

_TRUE = ("ja", "true", "sand", "1")
_FALSE = ("nej", "false", "falsk", "0")
_INT = r"^[+-]?\d+$"
_DANISH_NUMBER = r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$"
_POINT_NUMBER = r"^[+-]?\d+\.\d+(?:[eE][+-]?\d+)?$"
_DMY = r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
_YMD = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"

MESSAGES: dict[Dtype, str] = {
    Dtype.INT: "'{label}' skal være et helt tal",
    Dtype.FLOAT: "'{label}' skal være et tal med decimalkomma, fx 1,5",
    Dtype.DATE: "'{label}' skal være en gyldig dato som 31-12-2022, 31.12.2022 eller 2022-12-31",
    Dtype.BOOL: "'{label}' skal være Ja eller Nej",
}
NUL_MESSAGE = (
    "'{label}' indeholder et NUL-tegn (i Excel skrevet som _x0000_), som ikke kan gemmes; "
    "fjern det fra cellen"
)
RULE_SUFFIX: dict[Dtype, str] = {
    Dtype.INT: "heltal",
    Dtype.FLOAT: "tal",
    Dtype.DATE: "dato",
    Dtype.BOOL: "ja_nej",
}


def _clean(name: str) -> pl.Expr:
    stripped = pl.col(name).str.strip_chars()
    return pl.when(stripped != "").then(stripped)


def _parse_int(text: pl.Expr) -> pl.Expr:
    return pl.when(text.str.contains(_INT)).then(text.cast(pl.Int64, strict=False))


def _parse_float(text: pl.Expr, *, point_decimal: bool) -> pl.Expr:
    danish = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    plain: pl.Expr = pl.when(text.str.contains(_DANISH_NUMBER)).then(danish)
    if point_decimal:
        # XLSX number cells arrive as "1234.5"; they never carry thousands dots.
        plain = (
            pl.when(text.str.contains(r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$"))
            .then(text)
            .otherwise(plain)
        )
    else:
        point = text.str.contains(_POINT_NUMBER) & ~text.str.contains(_DANISH_NUMBER)
        plain = pl.when(point).then(text).otherwise(plain)
    return plain.cast(pl.Float64, strict=False)


def _parse_date(text: pl.Expr) -> pl.Expr:
    def iso(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
        return pl.concat_str(y, m.str.zfill(2), d.str.zfill(2), separator="-")

    dmy = text.str.extract_groups(_DMY)
    ymd = text.str.extract_groups(_YMD)
    from_dmy = iso(dmy.struct.field("3"), dmy.struct.field("2"), dmy.struct.field("1"))
    from_ymd = iso(ymd.struct.field("1"), ymd.struct.field("2"), ymd.struct.field("3"))
    return pl.coalesce(from_dmy, from_ymd).str.to_date("%Y-%m-%d", strict=False)


def _parse_bool(text: pl.Expr) -> pl.Expr:
    lower = text.str.to_lowercase()
    return pl.when(lower.is_in(_TRUE)).then(True).when(lower.is_in(_FALSE)).then(False)


def _canonical_value(text: pl.Expr, column: Column) -> pl.Expr:
    canonical = {" ".join(v.casefold().split()): v for v in column.values}
    key = text.str.to_lowercase().str.replace_all(r"\s+", " ")
    return key.replace_strict(canonical, default=text, return_dtype=pl.String)


def _typed_expr(column: Column, *, point_decimal: bool) -> pl.Expr:
    text = _clean(column.name)
    match column.dtype:
        case Dtype.TEXT:
            return _canonical_value(text, column) if column.values else text
        case Dtype.INT:
            return _parse_int(text)
        case Dtype.FLOAT:
            return _parse_float(text, point_decimal=point_decimal)
        case Dtype.DATE:
            return _parse_date(text)
        case Dtype.BOOL:
            return _parse_bool(text)


def typed_frame(
    read: ReadResult, kind: Kind, counts: Counter[str] | None = None
) -> tuple[pl.DataFrame, list[CellProblem]]:
    """Parse the text frame into canonical dtypes; unparseable cells → null + a problem.

    At most :data:`MAX_LISTED_PROBLEMS` problems are listed per rule; ``counts`` (when given)
    receives the complete count per rule id. A NUL character in a cell (Excel writes it as
    ``_x0000_``) is a problem too: no database column can hold it.
    """
    point_decimal = read.encoding == "xlsx"
    columns = COLUMNS[kind]
    text = read.frame
    typed = text.select(
        pl.col(ROW_NUMBER),
        *(_typed_expr(c, point_decimal=point_decimal).alias(c.name) for c in columns),
    )
    problems: list[CellProblem] = []
    if text.height == 0:
        return typed, problems
    checked = [c for c in columns if c.dtype is not Dtype.TEXT]
    failed = text.select(
        pl.col(ROW_NUMBER),
        *(
            (_clean(c.name).is_not_null() & typed[c.name].is_null()).alias(f"_bad_{c.name}")
            for c in checked
        ),
        *(
            pl.col(c.name)
            .str.contains("\x00", literal=True)
            .fill_null(False)
            .alias(f"_nul_{c.name}")
            for c in columns
        ),
    )
    found = [
        (c, f"_nul_{c.name}", f"{c.name}.nul_tegn", NUL_MESSAGE.format(label=c.label))
        for c in columns
    ]
    found += [
        (
            c,
            f"_bad_{c.name}",
            f"{c.name}.{RULE_SUFFIX[c.dtype]}",
            MESSAGES[c.dtype].format(label=c.label),
        )
        for c in checked
    ]
    for c, flag, rule_id, message in found:
        bad_rows = failed.filter(pl.col(flag))[ROW_NUMBER]
        if bad_rows.len() == 0:
            continue
        if counts is not None:
            counts[rule_id] += bad_rows.len()
        listed = bad_rows.head(MAX_LISTED_PROBLEMS)
        values = text.filter(pl.col(ROW_NUMBER).is_in(listed.implode()))
        problems.extend(
            CellProblem(rule_id, message, int(n), c.label, (v or "").replace("\x00", "␀"))
            for n, v in values.select(ROW_NUMBER, c.name).iter_rows()
        )
    return typed, problems
