"""Rules for the activity status import (docs/exports.md, `indsatser`)."""

from __future__ import annotations

from expectations import rules as r
from expectations.schema import Kind

KIND = Kind.INDSATSER


def rules(params: r.RuleParams) -> list[r.Rule]:
    found = [
        *r.required(KIND),
        # Each activity's status is given once per file; other batches are not consulted.
        *r.unique_id(KIND, "indsats_id", frozenset()),
        r.value_set(KIND, "status"),
    ]
    if params.activity_ids is not None:
        found.append(
            r.Rule(
                "indsats_id.kendt",
                "indsats_id",
                r.Check.IN_SET,
                "'Indsats' skal være et indsats-id fra årets kontraktfil",
                values=tuple(sorted(params.activity_ids)),
            )
        )
    return found
