"""The erhvervshus CLI end to end on SQLite and PostgreSQL: demo, then the KPI table."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from dashboard.cli.app import app
from tests.conftest import POSTGRES_ADMIN_URL
from tests.demo_db import build_record
from tests.metrics.test_contract import KPI_IDS

runner = CliRunner()
FIELDS = [
    "goal",
    "kpi",
    "segment",
    "kommune",
    "value",
    "n",
    "ci_low",
    "ci_high",
    "target",
    "status",
]
STATUSES = {"Opfyldt", "På vej", "I risiko", "Ikke opfyldt", "Afventer data"}


@pytest.fixture
def demo_db(demo_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the demo database that ``erhvervshus demo`` filled, on this engine, from
    empty (the cached template is that command's result; ``tests/demo_db.py``)."""
    result = build_record(demo_database, POSTGRES_ADMIN_URL)
    assert result.exit_code == 0, result.output
    assert "Demodata indlæst" in result.output
    monkeypatch.setenv("DATABASE_URL", demo_database)
    return demo_database


def test_demo_refuses_a_database_with_data(demo_db: str) -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 1
    assert "Databasen har allerede data" in result.output and "Traceback" not in result.output
    assert "allerede data" in runner.invoke(app, ["demo", "--if-empty"]).output


def kpi_json(*args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["kpi", *args, "--json"])
    assert result.exit_code == 0, result.output
    cells: list[dict[str, Any]] = json.loads(result.output)
    return cells


def test_demo_then_kpi_json_has_every_kpi(demo_db: str) -> None:
    cells = kpi_json("--year", "2022")
    assert {c["kpi"] for c in cells} == set(KPI_IDS)
    assert all(list(c) == FIELDS for c in cells)
    assert {c["status"] for c in cells} <= STATUSES
    by = {(c["kpi"], c["segment"], c["kommune"]): c for c in cells}
    assert {s for (k, s, _) in by if k == "m3_nps"} == {None, "drift", "vækst"}
    assert len([c for c in cells if c["kpi"] == "m2_andel_vejledte"]) == 11
    unique = by[("m11_unikke_virksomheder", None, None)]
    assert 850 <= unique["value"] <= 1000 and unique["target"] == 800.0
    courses = (
        by[("m11_vaekst_drift_forloeb", None, None)]["value"]
        + by[("m11_korte_ew_forloeb", None, None)]["value"]
    )
    assert 1100 <= courses <= 1300
    share = by[("m3_meget_tilfreds", "drift", None)]
    assert share["ci_low"] < share["value"] < share["ci_high"]
    statuses = {c["status"] for c in cells if c["kommune"] is None}
    assert {"Opfyldt", "Ikke opfyldt"} <= statuses  # some goals met, some missed
    assert by[("m6_kontrolgruppe", None, None)]["status"] == "Afventer data"


def test_small_municipality_is_suppressed(demo_db: str) -> None:
    cells = kpi_json("--year", "2022", "--kommune", "825")
    survey = [c for c in cells if c["kpi"] in ("m3_meget_tilfreds", "m3_nps")]
    assert survey and all(c["kommune"] == 825 for c in survey)
    assert all(c["value"] is None and (c["n"] is None or c["n"] < 5) for c in survey)
    assert any(c["kpi"] == "m8_indsatser" and c["kommune"] is None for c in cells)


def test_as_of_quarter_projects_counts(demo_db: str) -> None:
    q3 = {
        c["kpi"]: c for c in kpi_json("--year", "2022", "--as-of", "2022Q3") if c["kommune"] is None
    }
    full = {c["kpi"]: c for c in kpi_json("--year", "2022") if c["kommune"] is None}
    assert q3["m11_korte_ew_forloeb"]["value"] < full["m11_korte_ew_forloeb"]["value"]
    assert q3["m11_unikke_virksomheder"]["status"] in {"Opfyldt", "På vej", "I risiko"}
    assert q3["m3_nps"]["status"] in {"På vej", "I risiko"}


def test_readable_danish_table(demo_db: str) -> None:
    result = runner.invoke(app, ["kpi", "--year", "2022"])
    assert result.exit_code == 0
    assert "Mål 11 – Specialiseret vejledning" in result.output
    assert "✔ Opfyldt" in result.output and "%" in result.output


def test_bad_input_is_a_danish_message_not_a_traceback(demo_db: str) -> None:
    result = runner.invoke(app, ["kpi", "--year", "2022", "--kommune", "101"])
    assert result.exit_code == 1 and "Kommunekode 101 hører ikke til" in result.output
    result = runner.invoke(app, ["kpi", "--year", "2022", "--as-of", "2022K3"])
    assert result.exit_code == 1 and "Skriv år og kvartal som 2022Q3" in result.output
    assert "Traceback" not in result.output
