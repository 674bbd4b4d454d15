"""Streamlit entry point: only routing (st.navigation over thin pages, by role).

It sits at the repository root, with the page files in ``dashboard/pages/``: a ``pages/``
folder beside the entry script would make Streamlit route a first visitor's deep link (such
as ``/maal?maal=3``) to the bare page script, without page config, menu or login gate.
"""

from __future__ import annotations

import streamlit as st

from dashboard.ui.auth import current_user
from dashboard.ui.indlaes import warm_upload_check
from dashboard.ui.navigation import pages_for, run_page, user_box
from dashboard.ui.widgets import danish_widget_texts

# page_icon stays an emoji: a ":material/…:" favicon is fetched from fonts.gstatic.com.
st.set_page_config(
    page_title="Resultatkontrakt – Erhvervshus Nordjylland",
    page_icon="📊",
    layout="wide",
)
user = current_user()
if user is not None and user.has("uploader"):
    warm_upload_check()  # ready before the first file, not started by it
navigation = st.navigation(pages_for(user))
user_box(user)
danish_widget_texts()
run_page(user, navigation)
