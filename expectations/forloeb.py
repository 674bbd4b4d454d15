"""Rules for the CRM export of guidance courses (docs/exports.md, `forloeb`)."""

from __future__ import annotations

from expectations import rules as r
from expectations.schema import Kind

KIND = Kind.FORLOEB


def rules(params: r.RuleParams) -> list[r.Rule]:
    return [
        *r.required(KIND),
        *r.unique_id(KIND, "forloeb_id", params.existing_ids),
        r.cvr(),
        r.kommune(params.kommuner, params.kommune_names),
        r.value_set(KIND, "kategori"),
        r.value_set(KIND, "fagomraade"),
        r.in_period(KIND, "startdato", params),
        r.helper_rule(
            "slutdato",
            "_slutdato_ok",
            "slutdato.efter_start",
            "'Slutdato' må ikke ligge før Startdato",
        ),
    ]
