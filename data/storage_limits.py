"""What the storage columns can hold, read from the SQLAlchemy schema, for the upload rules.

SQLite accepts a 300-character string in a ``VARCHAR(255)`` and PostgreSQL refuses it, so
the validation must know the schema's lengths and integer sizes: then a file gets the same
verdict on both engines, with a Danish message instead of a database error.
"""

from __future__ import annotations

from sqlalchemy import Integer, SmallInteger, String
from sqlalchemy.types import TypeEngine

from data.batches import ROW_MODELS
from data.schema import ActivityStatus
from expectations.rules import StorageLimits
from expectations.schema import COLUMNS, Kind

INT_RANGES: dict[type, tuple[int, int]] = {
    SmallInteger: (-(2**15), 2**15 - 1),
    Integer: (-(2**31), 2**31 - 1),
}
# Activities files are stored as status entries: the file's column → the table's column.
ACTIVITY_COLUMNS = {
    "maal": "goal",
    "indsats_id": "activity_id",
    "status": "status",
    "dato": "status_date",
    "dokumentation": "evidence",
    "kommentar": "comment",
}


def _column_type(kind: Kind, name: str) -> TypeEngine[object]:
    if kind is Kind.INDSATSER:
        return ActivityStatus.__table__.columns[ACTIVITY_COLUMNS[name]].type
    return ROW_MODELS[kind].__table__.columns[name].type


def storage_limits(kind: Kind) -> StorageLimits:
    """Maximum text lengths and integer ranges of ``kind``'s canonical columns."""
    lengths: dict[str, int] = {}
    ranges: dict[str, tuple[int, int]] = {}
    for column in COLUMNS[kind]:
        sql_type = _column_type(kind, column.name)
        if isinstance(sql_type, String) and sql_type.length is not None:
            lengths[column.name] = sql_type.length
        for int_type, bounds in INT_RANGES.items():
            if type(sql_type) is int_type:
                ranges[column.name] = bounds
    return StorageLimits(lengths, ranges)
