"""Rules for the user evaluation answers (docs/exports.md, `brugerevaluering`)."""

from __future__ import annotations

from expectations import rules as r
from expectations.schema import Kind

KIND = Kind.BRUGEREVALUERING


def rules(params: r.RuleParams) -> list[r.Rule]:
    return [
        *r.required(KIND),
        *r.unique_id(KIND, "svar_id", params.existing_ids),
        r.cvr(),
        r.kommune(params.kommuner, params.kommune_names),
        r.value_set(KIND, "segment"),
        r.in_period(KIND, "besvarelsesdato", params),
        r.value_set(KIND, "tilfredshed"),
        r.value_set(KIND, "forventet_effekt"),
        r.Rule(
            "anbefaling.interval",
            "anbefaling",
            r.Check.BETWEEN,
            "'Anbefaling 0-10' skal være et helt tal fra 0 til 10 eller tom",
            min_value=0,
            max_value=10,
        ),
        r.helper_rule(
            "benyttet_henvisning",
            "_benyttet_ok",
            "benyttet_henvisning.kun_ved_ja",
            "'Benyttet henvisning' skal være tom, når 'Modtaget henvisning' er Nej",
        ),
    ]
