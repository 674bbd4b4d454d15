"""`erhvervshus serve` binds the loopback address unless told otherwise (--address)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import dashboard.cli.app as cli_app


def _streamlit_args(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *options: str) -> list[str]:
    started: list[list[str]] = []
    monkeypatch.setattr(cli_app.os, "execv", lambda _exe, cmd: started.append(list(cmd)))
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "ERHVERVSHUS_AUTH": "local"}
    result = CliRunner().invoke(cli_app.app, ["serve", "--port", "8600", *options], env=env)
    assert result.exit_code == 0, result.output
    (cmd,) = started
    return cmd


def _address(cmd: list[str]) -> str:
    return cmd[cmd.index("--server.address") + 1]


def test_serve_binds_loopback_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _address(_streamlit_args(tmp_path, monkeypatch)) == "127.0.0.1"


def test_serve_binds_the_given_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cmd = _streamlit_args(tmp_path, monkeypatch, "--address", "0.0.0.0")
    assert _address(cmd) == "0.0.0.0"


def test_serve_with_workers_supervises_consecutive_ports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    supervised: list[list[tuple[int, list[str]]]] = []
    monkeypatch.setattr(cli_app, "exit_code", lambda commands, echo: supervised.append(commands))
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "ERHVERVSHUS_AUTH": "local"}
    args = ["serve", "--port", "8600", "--workers", "3"]
    result = CliRunner().invoke(cli_app.app, args, env=env)
    assert result.exit_code == 0, result.output
    (commands,) = supervised
    assert [port for port, _ in commands] == [8600, 8601, 8602]
    assert [cmd[cmd.index("--server.port") + 1] for _, cmd in commands] == ["8600", "8601", "8602"]
    assert "3 processer" in result.output


@pytest.mark.parametrize("workers", ["0", "33"])
def test_serve_refuses_a_senseless_worker_count(tmp_path: Path, workers: str) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "ERHVERVSHUS_AUTH": "local"}
    result = CliRunner().invoke(cli_app.app, ["serve", "--workers", workers], env=env)
    assert result.exit_code == 1
    assert f"--workers {workers} skal være mellem 1 og 32." in result.output
