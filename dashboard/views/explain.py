"""How to read the figures: the short Danish explanations of n, the interval, NPS, the
projection, each status and the discretion rule, and the "usikkert" marker. No Streamlit here.

The pages show :func:`how_to_read` in a "Sådan læses tallene" section; the report prints
:func:`discretion_text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard.views import format as fmt
from metrics.status import STATUS_ICONS, KpiStatus

HOW_TO_READ_TITLE = "Sådan læses tallene"
UNCERTAIN_ICON = "±"
UNCERTAIN = "usikkert"
UNCERTAIN_TEXT = f"{UNCERTAIN_ICON} {UNCERTAIN}"

STATUS_MEANINGS: dict[str, str] = {
    KpiStatus.OPFYLDT: "målet er nået (for andele og NPS først, når året er slut).",
    KpiStatus.PAA_VEJ: (
        "året er ikke slut, og fremskrivningen til årets udgang når målet "
        "(for andele: tallet indtil nu; for tjeklister: alle indsatser er i gang eller "
        "gennemført, så 0,0 % kan være på vej)."
    ),
    KpiStatus.I_RISIKO: "året er ikke slut, og fremskrivningen når ikke målet.",
    KpiStatus.IKKE_OPFYLDT: "året er slut, og målet blev ikke nået.",
    KpiStatus.AFVENTER: "der er endnu ingen data, eller tallet vises ikke af diskretionshensyn.",
}


def uncertain(cell: Mapping[str, Any]) -> bool:
    """A share that meets its target (or is on its way) while its 95 % interval reaches below
    the target: the target may not really be met. Only figures from a sample have an interval."""
    status = cell.get("status")
    target, low = cell.get("target"), cell.get("ci_low")
    if cell.get("suppressed") or cell.get("value") is None or target is None or low is None:
        return False
    return status in (KpiStatus.OPFYLDT, KpiStatus.PAA_VEJ) and float(low) < float(target)


def status_with_uncertainty(cell: Mapping[str, Any]) -> str:
    """'✔ Opfyldt', or '✔ Opfyldt (± usikkert)' where the interval reaches below the target."""
    text = f"{STATUS_ICONS[cell['status']]} {cell['status']}"
    return f"{text} ({UNCERTAIN_TEXT})" if uncertain(cell) else text


def discretion_text(min_n: int) -> str:
    """The one written rule for which figures are hidden."""
    return (
        f"Et resultat, der bygger på færre end {min_n} svar (brugerevalueringen), respondenter "
        f"(kendskabsmålingen) eller vejledte virksomheder (andelen af nye virksomheder i CRM), "
        f"vises ikke – hverken værdi, n eller interval – i sider, diagrammer, tabeller og "
        f"datafiler; der står »færre end {min_n} svar« (eller respondenter, vejledte "
        "virksomheder). Kommunernes tal lægger op til husets, og drift og vækst lægger op til "
        "»alle«: for at et skjult tal ikke kan regnes ud ved at trække de viste fra, skjules "
        f"også den mindste nabocelle (»{fmt.SECONDARY}«), til de skjulte celler i hver sum "
        f"er mindst to, har mindst {min_n} svar tilsammen og ikke alle har svaret ens. Antal "
        "virksomheder og forløb er optællinger af erhvervshusets arbejde, ikke af nogens svar, "
        "og vises altid."
    )


def how_to_read(min_n: int = 5) -> list[tuple[str, str]]:
    """(term, explanation) for the "Sådan læses tallene" section."""
    return [
        (
            "n",
            "det antal, tallet bygger på, og hvad der tælles: svar i brugerevalueringen, "
            "respondenter i kendskabsmålingen, vejledte virksomheder i CRM, indsatser i en "
            "tjekliste. Hvor n intet siger (antal kommuner, antal forløb, Mål 6), vises det ikke.",
        ),
        (
            fmt.INTERVAL,
            f"et tal fra en stikprøve (en spørgeskemaundersøgelse) er usikkert: med 95{fmt.NBSP}% "
            "sikkerhed ligger den sande andel inden for intervallet. Jo færre svar, jo bredere "
            "interval. Tal, der tæller alle (CRM-optællinger, tjeklister), har intet interval.",
        ),
        (
            UNCERTAIN_TEXT,
            "resultatet når målet, men intervallet går under målet: med så få svar kan målet "
            "lige så vel være nået som ikke nået.",
        ),
        (
            "NPS (Net Promoter Score)",
            "andelen, der giver 9–10 for at anbefale erhvervshuset, minus andelen, der giver "
            "0–6; fra −100 til 100. NPS vises uden interval.",
        ),
        (
            "Fremskrevet",
            "et antal (virksomheder, forløb) regnet frem til årets udgang ud fra tidligere års "
            "fordeling over kvartalerne (lige meget pr. kvartal, når der ikke er tidligere år).",
        ),
        *[(f"{STATUS_ICONS[s]} {s}", meaning) for s, meaning in STATUS_MEANINGS.items()],
        ("Diskretion", discretion_text(min_n)),
    ]
