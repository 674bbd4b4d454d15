"""The director's hand-kept records: activity status, a comment per goal, Mål 6's control-group
figures. Each form checks the role again on the server when it is saved; each save is one
transaction with its audit entry, and every page shows the change at once (the data version
follows the audit log)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
import streamlit as st
from sqlalchemy.orm import Session

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.views import format as fmt
from dashboard.views.kpi import ACTIVITY_ICONS, status_text
from dashboard.views.numbers import NumberInputError, danish_number_text, parse_danish_number
from dashboard.views.text import md
from data.db import session_factory
from data.errors import UserFacingError
from data.records import record_activity, record_comment, record_control_group
from data.reference import DEFAULT_ERHVERVSHUS
from data.store import GoalCommentView
from expectations.schema import INDSATS_STATUS
from metrics.contract import Activity, Goal, KpiKind

FLASH_KEY = "records.flash"
CONTROL_GROUP_FIELDS = (  # the Danish Business Authority's figures for Mål 6, in points
    ("revenue_pp", "Vækst: ekstra omsætningsvækst (procentpoint)"),
    ("employment_pp", "Vækst: ekstra beskæftigelsesvækst (procentpoint)"),
    ("productivity_effect", "Drift: produktivitetseffekt (procentpoint)"),
)


def flash() -> None:
    """The outcome of the last save, shown once after the rerun."""
    text = st.session_state.pop(FLASH_KEY, None)
    if text:
        st.success(text, icon=":material/check_circle:")  # our own sentence


def save(action: Callable[[Session, str], Any], done: str) -> None:
    """Run ``action(session, user_email)`` in one transaction as the checked uploader."""
    user = require_role("uploader")
    try:
        with (
            st.spinner("Gemmer …", show_time=True),
            session_factory(cache.engine()).begin() as session,
        ):
            action(session, user.email)
    except UserFacingError as exc:
        st.error(md(exc.message))
        return
    st.session_state[FLASH_KEY] = done
    st.rerun()


def goal_progress(goal: Goal, cells: pl.DataFrame) -> None:
    """The goal's checklist KPI: percent done and status (icon and word)."""
    for kpi in goal.kpis:
        if kpi.kind is not KpiKind.CHECKLIST:
            continue
        rows = cells.filter(pl.col("kpi") == kpi.id, pl.col("segment").is_null())
        if rows.is_empty():
            continue
        c = rows.row(0, named=True)
        done = f"{fmt.number(c['numerator'] or 0)} af {fmt.number(c['n'] or 0)} gennemført"
        st.markdown(
            f"{kpi.label}: **{fmt.kpi_value(c['value'], kpi.unit)}** ({done}) · "
            f"{status_text(c['status'])}"
        )


def activity_form(year: int, goal: Goal, activity: Activity, entry: dict[str, Any] | None) -> None:
    status = entry["status"] if entry else INDSATS_STATUS[0]
    first, last = date(year, 1, 1), date(year, 12, 31)
    default_day = min(max(date.today(), first), last)  # a change is dated today (in the year)
    # The whole title, never cut: an activity is recognised without opening it.
    label = f"{ACTIVITY_ICONS.get(status, '•')} {status} – {' '.join(activity.text.split())}"
    with (
        st.expander(label, expanded=False),
        st.form(key=f"activity.{year}.{activity.id}", border=False),
    ):
        left, right = st.columns(2)
        new_status = left.selectbox("Status", INDSATS_STATUS, index=INDSATS_STATUS.index(status))
        when = right.date_input(
            "Ny status gælder fra",
            value=default_day,
            min_value=first,
            max_value=last,
            format="DD-MM-YYYY",
            help="Bruges kun, når status ændres. Gemmes kun dokumentation eller kommentar, "
            "beholder status sin dato.",
        )
        evidence = st.text_input("Dokumentation (tekst eller link)", value=_text(entry, "evidence"))
        comment = st.text_area("Kommentar", value=_text(entry, "comment"), height=68)
        if entry:
            st.caption(
                f"Nuværende status gælder fra {fmt.day(entry['status_date'])} · ændret af "
                f"{md(entry['changed_by'])} {fmt.timestamp(entry['changed_at'])}"
            )
        if st.form_submit_button("Gem indsatsen", icon=":material/save:"):
            save(
                lambda s, who: record_activity(
                    s,
                    erhvervshus=DEFAULT_ERHVERVSHUS,
                    year=year,
                    goal=goal.number,
                    activity_id=activity.id,
                    status=new_status,
                    status_date=when,
                    changed_by=who,
                    evidence=evidence.strip() or None,
                    comment=comment.strip() or None,
                ),
                f"Indsatsen er gemt: {new_status}.",
            )


def _text(entry: dict[str, Any] | None, field: str) -> str:
    return str(entry[field] or "") if entry else ""


def comment_form(year: int, goal: Goal, current: GoalCommentView | None) -> None:
    with st.form(key=f"comment.{year}.{goal.number}"):
        text = st.text_area(
            f"Kommentar til {goal.title.split(' – ')[0]} for {year}",
            value=current.text if current else "",
            max_chars=3000,
            height=150,
        )
        if current:
            st.caption(
                f"Senest skrevet af {md(current.author)} {fmt.timestamp(current.created_at)}"
            )
        if st.form_submit_button("Gem kommentaren", icon=":material/save:"):
            save(
                lambda s, who: record_comment(
                    s,
                    erhvervshus=DEFAULT_ERHVERVSHUS,
                    year=year,
                    goal=goal.number,
                    text=text,
                    author=who,
                ),
                f"Kommentaren til mål {goal.number} for {year} er gemt.",
            )


def control_group_form(year: int, control_group: pl.DataFrame) -> None:
    """Mål 6: the Danish Business Authority's control-group results for the year's companies."""
    entered = control_group.filter(pl.col("year") == year)
    current = entered.row(-1, named=True) if entered.height else None
    if current is None:
        st.info(
            f"Kontrolgruppetallene for {year} er ikke indtastet: målet vises som "
            "“afventer metode”, indtil Erhvervsstyrelsens resultater foreligger.",
            icon=":material/hourglass_empty:",
        )
    else:
        st.text(
            f"Indtastet {fmt.day(current['entered_date'])} af {current['entered_by']} · "
            f"kilde: {current['source']}"
        )
    pending_key = f"control_group.pending.{year}"
    with st.form(key=f"control_group.{year}"):
        texts = {
            field: column.text_input(
                label,
                value=danish_number_text(_number(current, field)),
                placeholder="fx 2,5 eller -0,8",
                help="Decimaler med komma (2,5); punktum kun mellem tusinder (1.234,5).",
            )
            for column, (field, label) in zip(st.columns(3), CONTROL_GROUP_FIELDS, strict=True)
        }
        source = st.text_input(
            "Kilde (fx Erhvervsstyrelsens notat og dato)",
            value=current["source"] if current else "",
        )
        if st.form_submit_button("Kontrollér tallene", icon=":material/fact_check:"):
            try:
                figures = {
                    field: parse_danish_number(texts[field], field=label)
                    for field, label in CONTROL_GROUP_FIELDS
                }
            except NumberInputError as exc:
                st.session_state.pop(pending_key, None)
                st.error(md(exc.message))  # it quotes what was typed
            else:
                st.session_state[pending_key] = (figures, source)
    pending = st.session_state.get(pending_key)
    if pending is None:
        return
    figures, source = pending
    st.markdown("**Tallene, som de gemmes:**")
    st.text(
        "\n".join(
            f"{label}: {danish_number_text(figures[field]) or 'ikke angivet'}"
            for field, label in CONTROL_GROUP_FIELDS
        )
        + f"\nKilde: {source.strip() or 'ikke angivet'}"
    )
    if st.button("Gem kontrolgruppetallene", icon=":material/save:", type="primary"):
        st.session_state.pop(pending_key, None)
        save(
            lambda s, who: record_control_group(
                s,
                erhvervshus=DEFAULT_ERHVERVSHUS,
                year=year,
                revenue_pp=figures["revenue_pp"],
                employment_pp=figures["employment_pp"],
                productivity_effect=figures["productivity_effect"],
                source=source,
                entered_by=who,
            ),
            f"Kontrolgruppetallene for {year} er gemt.",
        )


def _number(row: dict[str, Any] | None, field: str) -> float | None:
    return None if row is None or row[field] is None else float(row[field])
