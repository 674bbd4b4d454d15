"""The words of the contract: KPI kinds, units, the sources a KPI reads, and cell layouts.

What each kind *does* (its job, parameters, suppression, …) is in :mod:`metrics.registry`.
"""

from __future__ import annotations

from enum import StrEnum


class KpiKind(StrEnum):
    SURVEY_SHARE = "survey_share"  # share of answers in a set, user evaluation
    NPS = "nps"  # Net Promoter Score, user evaluation
    WEIGHTED_SHARE = "weighted_share"  # weighted share, awareness survey
    NEW_SHARE = "new_share"  # share of unique CVR not guided the year before
    COVERAGE = "coverage"  # number of municipalities with guided companies
    KOMMUNE_SHARE = "kommune_share"  # a municipality's share of unique guided companies
    UNIQUE_COUNT = "unique_count"  # distinct CVR guided
    COURSE_COUNT = "course_count"  # number of courses in given categories
    CHECKLIST = "checklist"  # percent of activities done
    CONTROL_GROUP = "control_group"  # Mål 6 control-group figures entered by hand


class Unit(StrEnum):
    PCT = "pct"  # percent, 0–100
    NPS = "nps"  # Net Promoter Score, −100–100
    ANTAL = "antal"  # a count
    KOMMUNER = "kommuner"  # a number of municipalities
    KRITERIER = "kriterier"  # Mål 6: criteria met of those the contract sets (value: percent)


class Source(StrEnum):
    """Where a KPI's figures come from: an uploaded export, or records kept in the dashboard.

    The first four values are the upload kinds of ``expectations.schema.Kind``.
    """

    FORLOEB = "forloeb"
    BRUGEREVALUERING = "brugerevaluering"
    KENDSKAB = "kendskab"
    INDSATSER = "indsatser"
    CONTROL_GROUP = "kontrolgruppe"


class Cells(StrEnum):
    ALL = "all"  # one cell for everything in scope
    SEGMENT = "segment"  # drift, vækst and all
    KOMMUNE = "kommune"  # one cell per municipality
