"""Streamlit entry point: only routing (st.navigation over thin pages, by role).

The page files live in ``app_pages/``, not ``pages/``: with a ``pages/`` folder beside this
file, Streamlit treats the app as a v1 multipage app until some session has run
``st.navigation``, so the first visitors after a restart who open a deep link such as
``/maal?maal=3`` got the bare page script (file names in the menu, no wide layout).
"""

from __future__ import annotations

import streamlit as st

from dashboard.auth import current_user
from dashboard.navigation import pages_for, user_box

# page_icon stays an emoji: a ":material/…:" favicon is fetched from fonts.gstatic.com.
st.set_page_config(
    page_title="Resultatkontrakt – Erhvervshus Nordjylland",
    page_icon="📊",
    layout="wide",
)
user = current_user()
navigation = st.navigation(pages_for(user))
user_box(user)
navigation.run()
