"""Canonical columns and value sets of each export kind (docs/exports.md).

Every reader, the storage tables and the KPI jobs use these names. Column labels are the
Danish headers a person sees in the export files; ``name`` is the identifier in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The export kinds the director uploads (docs/exports.md)."""

    FORLOEB = "forloeb"
    BRUGEREVALUERING = "brugerevaluering"
    KENDSKAB = "kendskab"
    INDSATSER = "indsatser"


class Dtype(StrEnum):
    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    BOOL = "bool"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    label: str
    dtype: Dtype
    required: bool = True
    aliases: tuple[str, ...] = ()
    #: Allowed values of a category column (matched case-insensitively when typed); empty = any.
    values: tuple[str, ...] = ()


KATEGORIER: tuple[str, ...] = ("Vækstforløb", "Driftsforløb", "Kort forløb", "Early Warning")
FAGOMRAADER: tuple[str, ...] = (
    "Kvalificeret arbejdskraft",
    "Grøn omstilling og cirkulær økonomi",
    "Innovation",
    "Digitalisering og automatisering",
    "Internationalisering",
    "Ledelse/organisation",
    "Salg/markedsføring",
    "Finansiering",
)
SEGMENTER: tuple[str, ...] = ("Drift", "Vækst")
TILFREDSHED: tuple[str, ...] = (
    "Meget tilfreds",
    "Tilfreds",
    "Hverken/eller",
    "Utilfreds",
    "Meget utilfreds",
    "Ved ikke",
)
FORVENTET_EFFEKT: tuple[str, ...] = (
    "I høj grad",
    "I nogen grad",
    "I lav grad",
    "Slet ikke",
    "Ved ikke",
)
VED_IKKE = "Ved ikke"
INDSATS_STATUS: tuple[str, ...] = ("Ikke startet", "I gang", "Gennemført")

# Aliases: header names seen in (or expected from) the source systems besides the label.
# Headers are compared after ``normalize_header`` (case-folded, whitespace collapsed, a
# trailing ':' dropped), so aliases only need to list genuinely different spellings:
# ASCII transliterations (ø→oe, å→aa, æ→ae), Salesforce's "-nummer"/"nr." forms and the
# short names used in the survey tool's exports.
_CVR_ALIASES = ("cvr-nummer", "cvr nummer", "cvrnummer", "cvr nr", "cvr nr.", "cvr-nr", "cvr-nr.")
_KOMMUNE_ALIASES = ("kommune kode", "kommunenr", "kommunenr.", "kommunenummer", "kommune nr")

FORLOEB_COLUMNS: tuple[Column, ...] = (
    Column(
        "forloeb_id",
        "Forløb ID",
        Dtype.TEXT,
        aliases=("forløbs id", "forloeb id", "forloebs id", "forløb-id", "forløbsid", "id"),
    ),
    Column("cvr", "CVR", Dtype.TEXT, aliases=_CVR_ALIASES),
    Column(
        "virksomhed",
        "Virksomhed",
        Dtype.TEXT,
        required=False,
        aliases=("virksomhedsnavn", "firmanavn"),
    ),
    Column("kommunekode", "Kommunekode", Dtype.INT, aliases=_KOMMUNE_ALIASES),
    Column(
        "kategori",
        "Kategori",
        Dtype.TEXT,
        aliases=("forløbstype", "forløbskategori"),
        values=KATEGORIER,
    ),
    Column(
        "fagomraade", "Fagområde", Dtype.TEXT, aliases=("fagomraade", "tema"), values=FAGOMRAADER
    ),
    Column("startdato", "Startdato", Dtype.DATE, aliases=("start dato", "start", "startdate")),
    Column(
        "slutdato", "Slutdato", Dtype.DATE, required=False, aliases=("slut dato", "slut", "enddate")
    ),
    Column("henvist_fra", "Henvist fra", Dtype.TEXT, required=False, aliases=("henvist af",)),
    Column(
        "henvist_til_ekstern",
        "Henvist til ekstern",
        Dtype.BOOL,
        aliases=("henvist ekstern", "henvist til ekstern aktør"),
    ),
)

BRUGEREVALUERING_COLUMNS: tuple[Column, ...] = (
    Column("svar_id", "Svar ID", Dtype.TEXT, aliases=("besvarelses id", "svar-id", "svarid", "id")),
    Column("cvr", "CVR", Dtype.TEXT, aliases=_CVR_ALIASES),
    Column("kommunekode", "Kommunekode", Dtype.INT, aliases=_KOMMUNE_ALIASES),
    Column("segment", "Segment", Dtype.TEXT, values=SEGMENTER),
    Column("besvarelsesdato", "Besvarelsesdato", Dtype.DATE, aliases=("svardato", "dato")),
    Column(
        "tilfredshed",
        "Tilfredshed med kompetencer",
        Dtype.TEXT,
        required=False,
        aliases=("tilfredshed", "tilfredshed med kompetencerne"),
        values=TILFREDSHED,
    ),
    Column(
        "anbefaling",
        "Anbefaling 0-10",
        Dtype.INT,
        required=False,
        aliases=("anbefaling", "anbefaling (0-10)", "anbefaling 0 - 10", "nps"),
    ),
    Column(
        "forventet_effekt",
        "Forventet effekt",
        Dtype.TEXT,
        required=False,
        aliases=("effekt",),
        values=FORVENTET_EFFEKT,
    ),
    Column(
        "digitaliseringsvejledning",
        "Digitaliseringsvejledning",
        Dtype.BOOL,
        aliases=("digitalisering",),
    ),
    Column("modtaget_henvisning", "Modtaget henvisning", Dtype.BOOL),
    Column("benyttet_henvisning", "Benyttet henvisning", Dtype.BOOL, required=False),
)

KENDSKAB_COLUMNS: tuple[Column, ...] = (
    Column(
        "respondent_id",
        "Respondent ID",
        Dtype.TEXT,
        aliases=("respondent", "respondent-id", "respondentid", "id"),
    ),
    Column("kommunekode", "Kommunekode", Dtype.INT, aliases=_KOMMUNE_ALIASES),
    Column("maaleaar", "Måleår", Dtype.INT, aliases=("maaleaar", "år")),
    Column("kender_erhvervshuset", "Kender Erhvervshuset", Dtype.BOOL, aliases=("kender huset",)),
    Column(
        "kender_groenne_ydelser",
        "Kender grønne ydelser",
        Dtype.BOOL,
        required=False,
        aliases=("kender groenne ydelser",),
    ),
    Column("vaegt", "Vægt", Dtype.FLOAT, required=False, aliases=("vaegt", "weight")),
)

INDSATSER_COLUMNS: tuple[Column, ...] = (
    Column("maal", "Mål", Dtype.INT, aliases=("maal",)),
    Column("indsats_id", "Indsats", Dtype.TEXT, aliases=("indsats id", "indsats-id")),
    Column("status", "Status", Dtype.TEXT, values=INDSATS_STATUS),
    Column("dato", "Dato", Dtype.DATE),
    Column("dokumentation", "Dokumentation", Dtype.TEXT, required=False),
    Column("kommentar", "Kommentar", Dtype.TEXT, required=False),
)

COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.FORLOEB: FORLOEB_COLUMNS,
    Kind.BRUGEREVALUERING: BRUGEREVALUERING_COLUMNS,
    Kind.KENDSKAB: KENDSKAB_COLUMNS,
    Kind.INDSATSER: INDSATSER_COLUMNS,
}

KIND_LABELS: dict[Kind, str] = {
    Kind.FORLOEB: "Forløb (CRM)",
    Kind.BRUGEREVALUERING: "Brugerevaluering",
    Kind.KENDSKAB: "Kendskabsmåling",
    Kind.INDSATSER: "Indsatser",
}


def cvr_is_valid(cvr: str) -> bool:
    """8 digits, first not 0, weighted digit sum (2,7,6,5,4,3,2,1) divisible by 11."""
    if len(cvr) != 8 or not cvr.isascii() or not cvr.isdigit() or cvr[0] == "0":
        return False
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    return sum(int(d) * w for d, w in zip(cvr, weights, strict=True)) % 11 == 0


def normalize_header(text: str) -> str:
    """The form in which headers, labels and aliases are compared.

    Case-folded, non-breaking spaces and a stray BOM removed, internal whitespace collapsed,
    a trailing ':' dropped (Salesforce writes "CVR:" in some report layouts).
    """
    cleaned = text.replace("\ufeff", "").replace("\xa0", " ").casefold()
    collapsed = " ".join(cleaned.split())
    return collapsed.rstrip(":").rstrip()


def header_lookup(kind: Kind) -> dict[str, Column]:
    """Normalized label or alias → column, for one export kind."""
    lookup: dict[str, Column] = {}
    for column in COLUMNS[kind]:
        for text in (column.label, column.name, *column.aliases):
            lookup.setdefault(normalize_header(text), column)
    return lookup
