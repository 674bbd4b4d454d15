"""Rules for the awareness survey (docs/exports.md, `kendskab`)."""

from __future__ import annotations

from expectations import rules as r
from expectations.schema import Kind

KIND = Kind.KENDSKAB


def rules(params: r.RuleParams) -> list[r.Rule]:
    found = [
        *r.required(KIND),
        *r.unique_id(KIND, "respondent_id", params.existing_ids),
        r.kommune(params.kommuner, params.kommune_names),
        r.helper_rule(
            "kender_groenne_ydelser",
            "_groen_ok",
            "kender_groenne_ydelser.kun_ved_ja",
            "'Kender grønne ydelser' skal være tom, når 'Kender Erhvervshuset' er Nej",
        ),
        r.Rule(
            "vaegt.positiv",
            "vaegt",
            r.Check.BETWEEN,
            "'Vægt' skal være et positivt tal eller tom",
            min_value=0,
            strict_min=True,
        ),
    ]
    if params.maaleaar is not None:
        found.append(
            r.Rule(
                "maaleaar.periode",
                "maaleaar",
                r.Check.IN_SET,
                f"'Måleår' skal være periodens år ({params.maaleaar})",
                values=(params.maaleaar,),
            )
        )
    return found
