"""Everything the annual report shows for one year, read and computed once.

The same engine calls as the pages (:mod:`dashboard.ui.cache`), without Streamlit's cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Engine

from data.periods import AsOf, Quarter
from data.reference import DEFAULT_ERHVERVSHUS, Erhvervshus, erhvervshus
from data.store import BatchInfo, GoalCommentView, latest_comments, list_batches, load_stored_data
from data.users import ROLE_LABELS, Role, list_users
from expectations.schema import FAGOMRAADER
from metrics.breakdowns import activity_checklist, theme_distribution
from metrics.contract import Contract, contract_for
from metrics.service import as_of_of, kpi_cells

FIRST_YEAR = 2020  # the baseline year before the first contract (as the pages' year choice)
DIRECTOR = "Erhvervshusets direktør"  # who signs a comment, when the users table has no name
UPLOADER = ROLE_LABELS[Role.UPLOADER]  # who loaded a file, likewise
ROLE_ORDER = (Role.ADMIN, Role.EXPORTER, Role.UPLOADER, Role.VIEWER)


@dataclass(frozen=True, slots=True)
class ReportData:
    year: int
    as_of: Quarter | None  # None: as the one rule sees the year today (as the dashboard)
    seen: AsOf  # how the report sees the year (data.periods.resolve_as_of)
    data_end: date
    house: Erhvervshus
    contract: Contract
    all_cells: pl.DataFrame  # every cell of every year up to ``year`` (all kommuner)
    history: pl.DataFrame  # house-level cells of every year (``kommune`` null)
    cells: pl.DataFrame  # house-level cells of ``year``
    quarters: pl.DataFrame  # house-level cells of ``year`` at the end of each quarter
    themes: pl.DataFrame
    activities: pl.DataFrame
    control_group: pl.DataFrame  # Mål 6 figures as entered (every year)
    comments: dict[int, GoalCommentView]
    batches: list[BatchInfo]
    made: date
    people: dict[str, str]  # e-mail address → the name (or role) a published file shows

    def public_name(self, who: str | None, fallback: str) -> str:
        """A name or a role, never an e-mail address: a published appendix names people as
        the users table knows them, or by ``fallback`` (a role) when it does not."""
        known = self.people.get((who or "").strip().lower())
        return known if known and "@" not in known else fallback


def public_names(engine: Engine) -> dict[str, str]:
    """Each user's name, or the label of their most senior role when the name is blank."""
    out = {}
    for user in list_users(engine):
        role = next((r for r in ROLE_ORDER if r in user.roles), Role.VIEWER)
        out[user.email] = (user.name or "").strip() or ROLE_LABELS[role]
    return out


def load_report_data(
    engine: Engine,
    year: int,
    as_of: Quarter | None = None,
    *,
    house_key: str = DEFAULT_ERHVERVSHUS,
    today: date | None = None,
) -> ReportData:
    today = today or date.today()
    house = erhvervshus(house_key)
    stored = load_stored_data(engine, house.key)
    years = tuple(range(min(FIRST_YEAR, year - 1), year + 1))
    all_cells = kpi_cells(stored, house, years=years, as_of=as_of, today=today)
    seen = as_of_of(stored, year, today=today, requested=as_of)
    shown = seen.engine_quarter
    house_level = pl.col("kommune").is_null()
    last_q = seen.quarter.q if seen.quarter is not None else 0
    quarters = pl.concat(
        [all_cells.clear().with_columns(pl.lit(0).alias("quarter"))]
        + [
            kpi_cells(stored, house, years=(year - 1, year), as_of=Quarter(year, q), today=today)
            .filter(pl.col("year") == year, house_level)
            .with_columns(pl.lit(q).alias("quarter"))
            for q in range(1, last_q + 1)
        ],
        how="diagonal_relaxed",
    )
    history = all_cells.filter(house_level)
    return ReportData(
        year=year,
        as_of=as_of,
        seen=seen,
        data_end=shown.end,
        house=house,
        contract=contract_for(year),
        all_cells=all_cells,
        history=history,
        cells=history.filter(pl.col("year") == year),
        quarters=quarters,
        themes=theme_distribution(
            stored.forloeb.lazy(), year=year, data_end=shown.end, themes=FAGOMRAADER
        ).collect(),
        activities=activity_checklist(
            stored.activities.lazy(), year=year, data_end=shown.end
        ).collect(),
        control_group=stored.control_group,
        comments=latest_comments(engine, house.key, year),
        batches=list_batches(engine, house.key, active_only=True),
        made=today,
        people=public_names(engine),
    )
