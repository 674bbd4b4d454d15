"""One case of the broken-file corpus and the helpers that make one: a good file with one
cell replaced (CSV or XLSX), or a whole file that breaks a structural rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upload_files import DIALECTS, Dialect, first_data_row, good_rows, render_csv, render_xlsx

from expectations.schema import Kind


@dataclass(frozen=True)
class Case:
    id: str
    kind: Kind
    content: bytes
    rule_id: str
    filename: str = "upload.csv"
    row: int | None = None
    column: str | None = None
    value: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


def cell(
    id: str,
    kind: Kind,
    index: int,
    name: str,
    value: Any,
    rule_id: str,
    column: str,
    text: str | None = None,
    dialect: Dialect = DIALECTS[0],
    **options: Any,
) -> Case:
    """Row ``index`` of the good rows with one cell replaced."""
    rows = good_rows(kind)
    rows[index] = {**rows[index], name: value}
    shown = text if text is not None else ("" if value is None else str(value))
    return Case(
        id,
        kind,
        render_csv(kind, rows, dialect),
        rule_id,
        row=first_data_row(dialect) + index,
        column=column,
        value=shown,
        options=options,
    )


def xlsx_cell(
    id: str, kind: Kind, index: int, name: str, value: Any, rule_id: str, column: str, text: str
) -> Case:
    content = render_xlsx(kind, good_rows(kind), raw_cells={(index, name): value})
    return Case(id, kind, content, rule_id, "upload.xlsx", row=2 + index, column=column, value=text)


def structural(
    id: str,
    kind: Kind,
    content: bytes,
    rule_id: str,
    *,
    filename: str = "upload.csv",
    column: str | None = None,
    row: int | None = None,
) -> Case:
    return Case(id, kind, content, rule_id, filename, row=row, column=column)
