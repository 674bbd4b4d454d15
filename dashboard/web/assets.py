"""Scripts the pages load from the server itself (the Content-Security-Policy allows no inline
script): ``GET /_ui/dansk.js``, Streamlit's own widget texts in Danish (:file:`dansk.js`)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

DANISH_PATH = "/_ui/dansk.js"
DANISH_JS = (Path(__file__).with_name("dansk.js")).read_text(encoding="utf-8")


def danish_script(_request: Request) -> Response:
    return Response(
        DANISH_JS, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"}
    )


ROUTES = [Route(DANISH_PATH, danish_script, methods=["GET"])]
