"""Indlæsninger: the upload history per kind and period – who, when, file, rows, checksum,
status; the original file; restore or withdraw a batch (role ``uploader``)."""

from __future__ import annotations

import streamlit as st

from dashboard.ui import cache
from dashboard.ui.auth import require_role
from dashboard.ui.indlaesninger import FLASH_KEY, batch_details, batch_label
from dashboard.ui.widgets import run_page
from dashboard.views.upload import batch_table
from data.reference import DEFAULT_ERHVERVSHUS
from data.store import list_batches
from expectations.schema import KIND_LABELS, Kind

ALL = "alle"


def body() -> None:
    require_role("uploader")
    st.title("Indlæsninger")
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    batches = list_batches(cache.engine(), DEFAULT_ERHVERVSHUS)
    if not batches:
        st.info("Der er ingen indlæsninger endnu. Brug siden *Indlæs data*.")
        return
    kind = st.selectbox(
        "Eksport",
        [ALL, *Kind],
        format_func=lambda k: "Alle eksporter" if k == ALL else KIND_LABELS[Kind(k)],
        key="batches.kind",
    )
    shown = [b for b in batches if kind == ALL or b.kind == kind]
    st.caption(
        "Den aktive indlæsning for hver eksport og periode indgår i tallene; erstattede og "
        "tilbagetrukne kan gendannes, afviste ligger i karantæne med deres rapport."
    )
    st.dataframe(batch_table(shown), hide_index=True, width="stretch", height=400)
    by_id = {b.id: b for b in shown}
    chosen = st.selectbox(
        "Vælg en indlæsning",
        sorted(by_id, reverse=True),
        format_func=lambda i: batch_label(by_id[i]),
        key="batches.chosen",
    )
    if chosen is not None:
        with st.container(border=True):
            batch_details(by_id[chosen], batches)


run_page(body)
