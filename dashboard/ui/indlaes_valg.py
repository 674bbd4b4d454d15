"""The upload page's choices before a file (Streamlit-facing): the period (every quarter of every
contract year, a quarter not yet ended marked), the period the file's dates point to, and the
expected columns with their aliases and a template file per export kind."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.ui.filters import CONTRACT_YEARS
from dashboard.views.upload import (
    column_rows,
    default_period,
    period_hint,
    period_warning,
    quarter_choices,
    quarter_label,
    template_file,
    upload_years,
)
from data.periods import Quarter
from data.preview import UploadPreview
from data.reference import erhvervshus
from expectations.schema import KIND_LABELS, Kind

YEAR_KEY = "upload.year"
DEFAULT_KEY = "upload.default_period"  # the period the suggestion button chose
PERIOD_GEN_KEY = "upload.period_generation"  # new period widgets after a suggestion
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_select(kind: Kind, today: date) -> str:
    """The period of the upload, chosen before the file: a year from the first contract year
    to this one and one of its quarters (the last finished quarter by default). Every quarter
    of every contract year can be chosen, also to correct an old one; a quarter that has not
    ended is marked and warned about. The awareness survey is measured in the autumn."""
    # The suggestion button (:func:`suggested_period`) sets a new default and new widgets.
    default = Quarter.parse(st.session_state.get(DEFAULT_KEY, str(default_period(today))))
    generation = st.session_state.get(PERIOD_GEN_KEY, 0)
    years = upload_years(today, min(CONTRACT_YEARS))
    left, right = st.columns(2)
    year: int = left.selectbox(
        "Periodens år", years, index=_index(years, default.year), key=f"{YEAR_KEY}.{generation}"
    )
    quarters = quarter_choices(year, today, kind) or [3, 4]
    key = f"{quarter_key(kind)}.{generation}"
    if st.session_state.get(key, quarters[0]) not in quarters:
        del st.session_state[key]  # e.g. Q4 kept from an earlier year
    q: int = right.selectbox(
        "Kvartal",
        quarters,
        index=_index(quarters, default.q),
        format_func=lambda n: quarter_label(Quarter(year, n), today),
        key=key,
    )
    quarter = Quarter(year, q)
    warning = period_warning(quarter, today)
    if warning:
        st.warning(warning, icon=":material/schedule:")
    return str(quarter)


def _index(options: list[int], wanted: int) -> int:
    return options.index(wanted) if wanted in options else len(options) - 1


def quarter_key(kind: Kind) -> str:
    return f"upload.quarter.{kind}"


def _choose_period(period: str) -> None:
    st.session_state[DEFAULT_KEY] = period
    st.session_state[PERIOD_GEN_KEY] = st.session_state.get(PERIOD_GEN_KEY, 0) + 1


def suggested_period(preview: UploadPreview, today: date) -> None:
    """'Filens datoer ligger i 3. kvartal 2023 – vælg den periode?' with a button that
    chooses it (the file is then checked again for that period; nothing is stored)."""
    hint = period_hint(preview)
    if hint is None or preview.date_period is None:
        return
    wanted = Quarter.parse(preview.date_period)
    choosable = wanted.year in upload_years(
        today, min(CONTRACT_YEARS)
    ) and wanted.q in quarter_choices(wanted.year, today, preview.kind)
    st.info(hint, icon=":material/event:")
    if choosable:
        st.button(
            f"Vælg {wanted.label}",
            key="upload.suggested",
            icon=":material/event_available:",
            on_click=_choose_period,
            args=(preview.date_period,),
        )


def expected_columns(kind: Kind) -> None:
    """The columns the check expects, with the other headers it accepts, and an empty
    template per file type to download."""
    with st.expander(f"Forventede kolonner og skabeloner – {KIND_LABELS[kind]}"):
        names = [f"{k.kode} {k.navn}" for k in erhvervshus().kommuner]
        # A static table: every alias and allowed value is read whole, wrapped, not cut.
        st.table(column_rows(kind, names).to_pandas().set_index("Kolonne"))
        st.caption(
            "Kolonnernes rækkefølge er fri, og overskrifter læses uden hensyn til store og små "
            "bogstaver. CSV: UTF-8 eller Windows-1252, semikolon eller komma, datoer som "
            "31-12-2023. XLSX: første ark."
        )
        left, right = st.columns(2)
        for where, xlsx, label, mime in (
            (left, False, "Hent skabelon (CSV)", "text/csv"),
            (right, True, "Hent skabelon (Excel)", XLSX),
        ):
            content, name = template_file(kind, xlsx=xlsx)
            where.download_button(
                label,
                content,
                file_name=name,
                mime=mime,
                icon=":material/download:",
                on_click="ignore",
                key=f"upload.template.{kind}.{'xlsx' if xlsx else 'csv'}",
            )
