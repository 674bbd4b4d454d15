"""Text from files, users and forms made safe for Streamlit's Markdown elements.

``st.markdown``, ``st.caption``, ``st.info``/``success``/``warning``/``error`` and
``st.toast`` render their text as Markdown (and Streamlit's own ``:material/…:``,
``:red[…]`` and ``$…$`` extensions), so a file named ``![p](http://host/x.png).csv`` would
become an image the browser fetches. :func:`md` escapes every ASCII punctuation character
(CommonMark allows a backslash before each), which leaves no markup, link, image, emphasis,
directive or formula, and folds line breaks into spaces so a name cannot start a new block.
Use it on every stored or typed string placed in such text; the rest of the sentence (our
own Danish words) stays Markdown.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md(text: object) -> str:
    """``text`` as Markdown source that renders as exactly that text."""
    flat = " ".join(str(text).split())
    return _PUNCTUATION.sub(r"\\\1", flat)


def md_figure(text: object) -> str:
    """Like :func:`md`, but keeps non-breaking spaces (``78,4 %``, ``mål ≥ 80 %``), so a
    figure never breaks between the number and its unit."""
    flat = " ".join(re.split(r"[ \t\r\n\f\v]+", str(text).strip()))
    return _PUNCTUATION.sub(r"\\\1", flat)
