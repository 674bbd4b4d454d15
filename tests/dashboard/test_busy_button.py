"""A button that starts slow work is drawn disabled in the run that does the work, so it cannot
be pressed twice; it is enabled again when the work is done, also after a failure."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def script() -> None:
    import streamlit as st

    from dashboard.ui.busy import busy, busy_button

    if busy_button("Gem", key="gem"):
        with busy("gem", "Gemmer …"):
            st.session_state["done"] = st.session_state.get("done", 0) + 1
            if st.session_state.get("fail"):
                raise RuntimeError("gik galt")


def test_the_button_is_disabled_while_its_work_runs_and_enabled_after() -> None:
    at = AppTest.from_function(script).run()
    assert not at.button[0].disabled
    at.button[0].click().run()
    assert at.session_state["done"] == 1
    assert at.button[0].disabled  # drawn disabled before the work started
    at.run()
    assert not at.button[0].disabled and at.session_state["done"] == 1


def test_a_failed_work_enables_the_button_again() -> None:
    at = AppTest.from_function(script)
    at.session_state["fail"] = True
    at.run()
    at.button[0].click().run()
    assert at.exception  # the failure is shown
    at.session_state["fail"] = False
    at.run()
    assert not at.button[0].disabled


def test_one_click_does_the_work_once() -> None:
    at = AppTest.from_function(script)
    at.session_state["gem.busy"] = True  # as the click's callback leaves it
    at.run()  # this run is the click's: it does the work once
    assert at.session_state["done"] == 1
    at.run()
    assert at.session_state["done"] == 1 and not at.button[0].disabled
