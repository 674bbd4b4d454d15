"""Buttons that start slow work: disabled while it runs, with a progress text meanwhile.

The click sets a flag (in the button's callback, before the page is drawn again), so the
button is drawn disabled in the very run that does the work and cannot start it twice; the
flag is used up by that run, whether the work ends, fails or is not reached.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import streamlit as st


def _flag(key: str) -> str:
    return f"{key}.busy"


def _start(key: str) -> None:
    st.session_state[_flag(key)] = True


def busy_button(
    label: str,
    *,
    key: str,
    kind: Literal["primary", "secondary"] = "secondary",
    icon: str | None = None,
    disabled: bool = False,
    where: Any = None,
) -> bool:
    """A button that is disabled while its work runs; True in the run that should do it.

    ``where`` is a container (a column) to draw it in; the page itself by default."""
    # The flag lives for the one run after the click: a run that does not reach the work
    # (another choice made meanwhile) leaves no flag behind to start it later unasked.
    running = bool(st.session_state.pop(_flag(key), False))
    (where or st).button(
        label,
        key=key,
        type=kind,
        icon=icon,
        disabled=disabled or running,
        on_click=_start,
        args=(key,),
    )
    return running


@contextmanager
def busy(key: str, text: str) -> Iterator[None]:
    """The work of :func:`busy_button` ``key``: a progress text while it runs; the button is
    enabled again afterwards."""
    try:
        with st.spinner(text, show_time=True):
            yield
    finally:
        st.session_state.pop(_flag(key), None)
