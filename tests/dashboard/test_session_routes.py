"""The session cookie's HTTP routes (Starlette, no browser): the hand-over sets a signed,
HttpOnly, SameSite=Lax cookie (Secure behind TLS) once, redirects only to paths on this server,
and logout deletes the cookie. `erhvervshus serve` runs the ASGI entry and refuses a wrong
session length with a Danish message."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from typer.testing import CliRunner

import dashboard.cli.app as cli_app
from dashboard.web import session_routes
from dashboard.web.session_routes import (
    NEXT_COOKIE,
    ROUTES,
    decode_next,
    encode_next,
    safe_next,
)
from data.db import make_engine, session_factory
from data.sessions import COOKIE_NAME, sign, signing_key, start_session, unsign, verify_token
from data.users import add_user

EMAIL = "direktor@ehnj.dk"


@pytest.fixture
def client(
    migrated_sqlite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    shutil.copyfile(migrated_sqlite, tmp_path / "routes.db")
    url = f"sqlite:///{tmp_path / 'routes.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("ERHVERVSHUS_SESSION_SECRET", raising=False)
    monkeypatch.delenv("ERHVERVSHUS_COOKIE_SECURE", raising=False)
    session_routes._engine.cache_clear()
    session_routes._key.cache_clear()
    with session_factory(make_engine(url)).begin() as s:
        add_user(s, EMAIL, {"uploader"}, actor="test", password="korrekt hest batteri")
    yield TestClient(Starlette(routes=ROUTES), base_url="http://127.0.0.1")
    session_routes._engine.cache_clear()
    session_routes._key.cache_clear()


def handoff() -> str:
    return start_session(session_routes._engine(), EMAIL)[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/indlaes", "/indlaes"),
        ("/maal?maal=3&aar=2022", "/maal?maal=3&aar=2022"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("indlaes", "/"),
        ("/x\r\nSet-Cookie: a=b", "/"),
    ],
)
def test_only_paths_on_this_server(value: str | None, expected: str) -> None:
    assert safe_next(value) == expected


def test_handoff_sets_the_cookie_once(client: TestClient) -> None:
    token = handoff()
    response = client.get(
        "/_auth/session", params={"t": token, "next": "/indlaes"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/indlaes"
    assert response.headers["cache-control"] == "no-store"
    cookie = response.headers["set-cookie"]
    parts = {p.strip().split("=")[0].lower() for p in cookie.split(";")}
    assert {"httponly", "path", "max-age"} <= parts and "secure" not in parts
    assert "samesite=lax" in cookie.lower()
    max_age = re.search(r"Max-Age=(\d+)", cookie)
    assert max_age is not None and 8 * 3600 - 10 < int(max_age[1]) <= 8 * 3600
    value = response.cookies[COOKIE_NAME]
    engine = session_routes._engine()
    cookie_token = unsign(value, signing_key(engine))
    assert cookie_token is not None and verify_token(engine, cookie_token) is not None
    again = client.get("/_auth/session", params={"t": token, "next": "/"}, follow_redirects=False)
    assert again.status_code == 303 and "set-cookie" not in again.headers


def test_cookie_is_secure_behind_tls(client: TestClient) -> None:
    response = client.get(
        "/_auth/session",
        params={"t": handoff(), "next": "/"},
        headers={"X-Forwarded-Proto": "https"},
        follow_redirects=False,
    )
    assert "secure" in response.headers["set-cookie"].lower()


def test_configured_secret_signs_the_cookie(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERHVERVSHUS_SESSION_SECRET", "en lang hemmelig nøgle til cookies")
    session_routes._key.cache_clear()
    response = client.get("/_auth/session", params={"t": handoff()}, follow_redirects=False)
    value = response.cookies[COOKIE_NAME]
    token, _, _ = value.rpartition(".")
    assert value == sign(token, "en lang hemmelig nøgle til cookies".encode())


def test_bad_token_and_foreign_next_give_no_cookie(client: TestClient) -> None:
    response = client.get(
        "/_auth/session",
        params={"t": "forkert", "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/" and "set-cookie" not in response.headers


def test_logout_deletes_the_cookie(client: TestClient) -> None:
    response = client.get("/_auth/logout", params={"next": "/"}, follow_redirects=False)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=") and "Max-Age=0" in cookie


def test_go_script_is_a_file(client: TestClient) -> None:
    response = client.get("/_auth/go.js")
    assert response.headers["content-type"].startswith("text/javascript")
    assert "location.replace" in response.text


def test_serve_runs_the_asgi_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(cli_app.os, "execv", lambda _exe, cmd: started.append(list(cmd)))
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "ERHVERVSHUS_AUTH": "local"}
    result = CliRunner().invoke(cli_app.app, ["serve"], env=env)
    assert result.exit_code == 0, result.output
    assert Path(started[0][started[0].index("run") + 1]).name == "asgi_app.py"


@pytest.mark.parametrize("hours", ["0", "otte", "-2", "1000"])
def test_serve_refuses_a_wrong_session_length(
    hours: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_app.os, "execv", lambda _exe, _cmd: None)
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "ERHVERVSHUS_AUTH": "local",
        "ERHVERVSHUS_SESSION_HOURS": hours,
    }
    result = CliRunner().invoke(cli_app.app, ["serve"], env=env)
    assert result.exit_code != 0
    assert f"ERHVERVSHUS_SESSION_HOURS='{hours}' er ikke et gyldigt antal timer" in result.output


def test_remembered_page_after_the_provider_login(client: TestClient) -> None:
    kept = client.get("/_auth/remember", params={"next": "/eksport?aar=2022"})
    assert kept.headers["content-type"] == "image/gif"
    cookie = kept.headers["set-cookie"]
    assert cookie.startswith(f"{NEXT_COOKIE}=") and "HttpOnly" in cookie and "Max-Age=600" in cookie
    going = client.get("/_auth/next", follow_redirects=False)
    assert going.status_code == 303 and going.headers["location"] == "/eksport?aar=2022"
    assert "Max-Age=0" in going.headers["set-cookie"]  # used once


@pytest.mark.parametrize("value", [None, "", "ikke base64!", encode_next("//evil.example/")])
def test_remembered_page_is_a_path_here(value: str | None) -> None:
    assert decode_next(value) == "/"
