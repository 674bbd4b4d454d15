"""A course, an answer or a respondent counts once: its ID may be in only one active batch of
its kind (Forløb ID, Svar ID, Respondent ID).

The upload preview reports such IDs as a rule of the file; this module checks the rule again
inside the transaction that saves (or restores) a batch, so two uploads previewed side by side
cannot both become active. The check is a query over the saved rows, not a unique index: the
rows do not carry their batch's status, and copying it into every row would rewrite whole
batches on each replace, restore and withdraw. The query is made safe against concurrent saves
by serialising them: on SQLite the saving transaction holds the database's single write lock
from its first insert on; on PostgreSQL it takes a transaction-level advisory lock per
Erhvervshus and kind before the check, so the second save sees the first's committed rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, aliased

from data.errors import UserFacingError
from data.schema import Base, Batch, BatchStatus, BrugerevalueringRow, ForloebRow, KendskabRow
from expectations.rules import column_of
from expectations.schema import KIND_LABELS, Kind

ID_COLUMNS = {
    Kind.FORLOEB: "forloeb_id",
    Kind.BRUGEREVALUERING: "svar_id",
    Kind.KENDSKAB: "respondent_id",
}
ID_MODELS: dict[Kind, type[Base]] = {
    Kind.FORLOEB: ForloebRow,
    Kind.BRUGEREVALUERING: BrugerevalueringRow,
    Kind.KENDSKAB: KendskabRow,
}
MAX_LISTED_IDS = 1000


@dataclass(frozen=True, slots=True)
class HoldingBatch:
    id: int
    kind: str
    period: str
    filename: str
    count: int  # how many of the new batch's IDs it holds

    def describe(self) -> str:
        kind = KIND_LABELS.get(Kind(self.kind), self.kind)
        return f"indlæsning {self.id} ({kind}, {self.period}, fil '{self.filename}')"


class DuplicateIdError(UserFacingError):
    """IDs of a batch being saved are already in another active batch of the same kind."""

    title = "ID findes allerede"

    def __init__(self, kind: Kind, holders: list[HoldingBatch], ids: list[str]) -> None:
        label = column_of(kind, ID_COLUMNS[kind]).label
        total = sum(h.count for h in holders)
        where = "; ".join(f"{h.count} i den aktive {h.describe()}" for h in holders)
        super().__init__(
            f"{total} værdier af '{label}' findes allerede i en anden aktiv indlæsning: {where} "
            f"(fx '{ids[0]}'). Hvert ID må kun tælle i én aktiv indlæsning; træk den anden "
            "indlæsning tilbage eller ret filen. Intet er gemt."
        )
        self.kind = kind
        self.label = label
        self.holders = holders
        self.ids = ids


def _lock_key(erhvervshus: str, kind: str) -> int:
    digest = hashlib.sha256(f"erhvervshus-ids:{erhvervshus}:{kind}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def check_ids_unique(session: Session, batch: Batch) -> None:
    """Raise :class:`DuplicateIdError` when the (flushed, active) ``batch`` shares IDs with
    another active batch of its kind. Call inside the saving transaction, after the rows are
    inserted; the caller's transaction is then rolled back."""
    kind = Kind(batch.kind)
    if kind not in ID_COLUMNS:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"),
            {"key": _lock_key(batch.erhvervshus, batch.kind)},
        )
    model = ID_MODELS[kind]
    other = aliased(model)
    new_id = getattr(model, ID_COLUMNS[kind])
    other_id = getattr(other, ID_COLUMNS[kind])
    shared = (
        select(other_id.label("id"), Batch.id.label("batch_id"))
        .select_from(model)
        .join(other, other_id == new_id)
        .join(Batch, other.batch_id == Batch.id)  # type: ignore[attr-defined]
        .where(
            model.batch_id == batch.id,  # type: ignore[attr-defined]
            Batch.id != batch.id,
            Batch.status == BatchStatus.ACTIVE,
            Batch.erhvervshus == batch.erhvervshus,
            Batch.kind == batch.kind,
        )
        .subquery()
    )
    counts = session.execute(
        select(shared.c.batch_id, func.count())
        .group_by(shared.c.batch_id)
        .order_by(shared.c.batch_id)
    ).all()
    if not counts:
        return
    info = {
        b.id: b for b in session.scalars(select(Batch).where(Batch.id.in_([c[0] for c in counts])))
    }
    holders = [
        HoldingBatch(i, info[i].kind, info[i].period, info[i].filename, int(n)) for i, n in counts
    ]
    ids = list(
        session.scalars(select(shared.c.id).distinct().order_by(shared.c.id).limit(MAX_LISTED_IDS))
    )
    raise DuplicateIdError(kind, holders, ids)
