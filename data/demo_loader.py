"""Load the demo data into a database: export files per quarter in the source systems' dialects,
ingested through the upload pipeline; activity statuses, comments and Mål 6 figures."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from data.db import session_factory
from data.demo import ACTIVITY_PLAN, COMMENTS, YEARS, generate
from data.export_files import Dialect, export_file
from data.ingest import Outcome, ingest
from data.records import record_activity, record_comment, record_control_group
from data.reference import Erhvervshus
from data.users import Role, add_user
from expectations.schema import Kind

DEMO_USER = "demo@erhvervshusnord.dk"
# Demo accounts with known passwords; they exist only in a database filled by `erhvervshus demo`.
DEMO_ACCOUNTS = (
    ("direktor@demo.dk", Role.UPLOADER, "direktor-demo-2022", "Demo-direktør"),
    ("sekretariat@demo.dk", Role.EXPORTER, "sekretariat-demo-2022", "Demo-sekretariat"),
    ("admin@demo.dk", Role.ADMIN, "admin-demo-2022!", "Demo-administrator"),
)
AWARENESS_QUARTER = {2020: 3, 2021: 4, 2023: 4}  # September 2020; autumn 2021 and 2023


def _quarter(col: str) -> pl.Expr:
    return pl.col(col).dt.year().cast(pl.String) + "Q" + pl.col(col).dt.quarter().cast(pl.String)


def load_demo(
    engine: Engine, house: Erhvervshus, contracts_by_year: dict[int, list[tuple[int, str]]]
) -> int:
    """Fill the database through the real upload path; ``contracts_by_year`` maps a year to
    its (goal, activity_id) list. Every export file is written in one of the source systems'
    dialects, in turn, and ingested (validated, then stored). Returns the number of batches.
    """
    demo = generate(house)
    uploads: list[tuple[Kind, str, pl.DataFrame]] = []
    for kind, frame, date_col in (
        (Kind.FORLOEB, demo.forloeb, "startdato"),
        (Kind.BRUGEREVALUERING, demo.brugerevaluering, "besvarelsesdato"),
    ):
        for (period,), part in frame.with_columns(_period=_quarter(date_col)).group_by(
            "_period", maintain_order=True
        ):
            uploads.append((kind, str(period), part.drop("_period")))
    for year, frame in demo.kendskab.items():
        uploads.append((Kind.KENDSKAB, f"{year}Q{AWARENESS_QUARTER[year]}", frame))
    dialects = list(Dialect)
    for i, (kind, period, frame) in enumerate(uploads):
        content, ext = export_file(frame, kind, dialects[i % len(dialects)])
        result = ingest(
            engine,
            kind=kind,
            content=content,
            filename=f"{kind}_{period}.{ext}",
            period=period,
            user=DEMO_USER,
            house_key=house.key,
        )
        if result.outcome is not Outcome.LOADED:
            raise AssertionError(
                f"demo file {kind} {period} was not loaded:\n{result.report.to_text()}"
            )
    with session_factory(engine).begin() as session:
        for email, role, password, name in DEMO_ACCOUNTS:
            add_user(session, email, {role}, actor=DEMO_USER, password=password, name=name)
        _activities(session, house, contracts_by_year)
        for year, comments in COMMENTS.items():
            for goal, text in comments.items():
                record_comment(
                    session,
                    erhvervshus=house.key,
                    year=year,
                    goal=goal,
                    text=text,
                    author=DEMO_USER,
                )
        record_control_group(
            session,
            erhvervshus=house.key,
            year=2021,
            revenue_pp=11.4,
            employment_pp=4.2,
            productivity_effect=2.1,
            source="Erhvervsstyrelsen, effektmåling af vejledte virksomheder 2021 (demo-tal)",
            entered_by=DEMO_USER,
        )
    return len(uploads)


def _activities(
    session: Session, house: Erhvervshus, contracts_by_year: dict[int, list[tuple[int, str]]]
) -> None:
    for year in YEARS:
        plan = ACTIVITY_PLAN.get(year)
        if plan is None:
            continue
        for goal, activity_id in contracts_by_year.get(year, []):
            status = plan.get(activity_id, plan["*"])
            for entry in _history(year, status):
                record_activity(
                    session,
                    erhvervshus=house.key,
                    year=year,
                    goal=goal,
                    activity_id=activity_id,
                    changed_by=DEMO_USER,
                    **entry,
                )


def _history(year: int, final: str) -> list[dict[str, Any]]:
    """The status entries leading to ``final``: started in March, done in November."""
    if final == "Ikke startet":
        return [
            {
                "status": final,
                "status_date": date(year, 6, 1),
                "comment": "Udskudt; afventer fælles nordjysk proces.",
            }
        ]
    entries: list[dict[str, Any]] = [{"status": "I gang", "status_date": date(year, 3, 15)}]
    if final == "Gennemført":
        entries.append(
            {
                "status": final,
                "status_date": date(year, 11, 20),
                "comment": "Gennemført som aftalt i resultatkontrakten.",
                "evidence": f"Afrapportering til KKR Nordjylland {year}",
            }
        )
    return entries
