"""The session cookie's HTTP side: Streamlit's script cannot set a cookie, a route can.

- ``GET /_auth/session?t=<hand-over token>&next=<path>`` trades the one-time token (made by the
  login page, good for a minute) for the signed session cookie (``HttpOnly``, ``SameSite=Lax``,
  ``Secure`` behind TLS) and redirects to ``next``, the page the person asked for.
- ``GET /_auth/logout?next=<path>`` deletes the cookie (the login page has already ended the
  session in the database) and redirects.
- ``GET /_auth/remember?next=<path>`` (an image the OpenID Connect login page loads) keeps the
  page asked for in a short-lived cookie, because the provider's login returns to ``/``;
  ``GET /_auth/next`` then deletes that cookie and redirects to the page.
- ``GET /_auth/go.js`` sends the browser on to the address in its ``data-to`` attribute: a
  script file, because the shipped Content-Security-Policy allows no inline script.

See docs/sessions.md.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from functools import cache

from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dashboard.settings import cookie_always_secure, session_secret
from data.audit import now
from data.db import make_engine
from data.sessions import COOKIE_NAME, redeem_handoff, sign, signing_key

SESSION_PATH = "/_auth/session"
LOGOUT_PATH = "/_auth/logout"
SCRIPT_PATH = "/_auth/go.js"
REMEMBER_PATH = "/_auth/remember"
NEXT_PATH = "/_auth/next"
NEXT_COOKIE = "erhvervshus_next"
NEXT_MAX_AGE = 600  # seconds: time enough for the provider's login
# A transparent 1×1 GIF: the answer to the image that remembers the page.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
GO_JS = """(() => {
  const to = document.currentScript && document.currentScript.dataset.to;
  if (to && to.startsWith("/") && !to.startsWith("//")) window.location.replace(to);
})();
"""


@cache
def _engine() -> Engine:
    return make_engine()


@cache
def _key() -> bytes:
    return signing_key(_engine(), session_secret())


def safe_next(value: str | None) -> str:
    """A path on this server to go on to; anything else (another host, a scheme) is ``/``."""
    if (
        not value
        or not value.startswith("/")
        or value.startswith(("//", "/\\"))
        or any(ch in value for ch in "\\\r\n\t")
        or any(not ch.isprintable() for ch in value)
    ):
        return "/"
    return value


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return cookie_always_secure() or request.url.scheme == "https" or forwarded == "https"


def _set_cookie(response: Response, request: Request, token: str, expires_at: datetime) -> None:
    response.set_cookie(
        COOKIE_NAME,
        sign(token, _key()),
        max_age=max(1, int((expires_at - now()).total_seconds())),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def start(request: Request) -> Response:
    """The hand-over: a valid token gives the cookie; an invalid one only the redirect (the
    page then asks for a login again)."""
    target = safe_next(request.query_params.get("next"))
    response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    redeemed = redeem_handoff(_engine(), request.query_params.get("t", ""))
    if redeemed is not None:
        _set_cookie(response, request, *redeemed)
    return response


def logout(request: Request) -> Response:
    response = RedirectResponse(
        safe_next(request.query_params.get("next")), status_code=303, headers=NO_STORE
    )
    response.delete_cookie(
        COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=_secure(request)
    )
    return response


def encode_next(path: str) -> str:
    return base64.urlsafe_b64encode(safe_next(path).encode()).decode().rstrip("=")


def decode_next(value: str | None) -> str:
    """The path kept in the ``erhvervshus_next`` cookie; ``/`` when it is not a valid one."""
    if not value:
        return "/"
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return "/"
    return safe_next(raw)


def remember(request: Request) -> Response:
    response = Response(PIXEL, media_type="image/gif", headers=NO_STORE)
    response.set_cookie(
        NEXT_COOKIE,
        encode_next(request.query_params.get("next", "/")),
        max_age=NEXT_MAX_AGE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return response


def go_next(request: Request) -> Response:
    response = RedirectResponse(
        decode_next(request.cookies.get(NEXT_COOKIE)), status_code=303, headers=NO_STORE
    )
    response.delete_cookie(
        NEXT_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request)
    )
    return response


def go_script(_request: Request) -> Response:
    return Response(
        GO_JS, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"}
    )


ROUTES = [
    Route(SESSION_PATH, start, methods=["GET"]),
    Route(LOGOUT_PATH, logout, methods=["GET"]),
    Route(REMEMBER_PATH, remember, methods=["GET"]),
    Route(NEXT_PATH, go_next, methods=["GET"]),
    Route(SCRIPT_PATH, go_script, methods=["GET"]),
]
