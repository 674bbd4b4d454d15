"""Contract files: every year loads, holds every KPI id of docs/kpis.md, and bad files are refused."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from data.errors import ContractError
from data.reference import CONTRACT_DIR
from metrics.contract import KpiKind, contract_for, load_contracts, parse_contract

ROOT = Path(__file__).resolve().parents[2]
KPI_IDS = [
    "m1_kendskabsgrad",
    "m1_nye_virksomheder",
    "m2_kommuner_daekket",
    "m2_andel_vejledte",
    "m3_meget_tilfreds",
    "m3_nps",
    "m4_henvisning_benyttet",
    "m5_groen_kendskab",
    "m5_indsatser",
    "m6_forventet_effekt",
    "m6_kontrolgruppe",
    "m7_digital_effekt",
    "m8_indsatser",
    "m9_indsatser",
    "m10_indsatser",
    "m11_unikke_virksomheder",
    "m11_vaekst_drift_forloeb",
    "m11_korte_ew_forloeb",
]


def raw_2022() -> dict[str, Any]:
    return tomllib.loads((CONTRACT_DIR / "2022.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_every_year_has_every_goal_and_kpi(year: int) -> None:
    contract = load_contracts()[year]
    assert [g.number for g in contract.goals] == list(range(1, 12))
    assert sorted(k.id for k in contract.kpis) == sorted(KPI_IDS)
    assert contract.goal(3).title == "Mål 3 – Kvalitet, kompetencer og virksomhedernes tilfredshed"
    for kpi in contract.kpis:
        assert (
            kpi.target is not None or kpi.target_all_kommuner or kpi.kind is KpiKind.KOMMUNE_SHARE
        )


def test_targets_per_year_follow_the_contract_text() -> None:
    c = load_contracts()
    assert c[2021].kpi("m1_kendskabsgrad").target == 45.0
    assert c[2022].kpi("m1_kendskabsgrad").kind is KpiKind.CHECKLIST  # the campaign
    assert c[2023].kpi("m1_kendskabsgrad").target == 50.0
    assert [c[y].kpi("m4_henvisning_benyttet").target for y in (2021, 2022, 2023)] == [
        45.0,
        47.0,
        50.0,
    ]
    assert (
        c[2021].kpi("m5_groen_kendskab").target == 69.0
        and c[2023].kpi("m5_groen_kendskab").target == 74.0
    )
    assert len(c[2022].activities(c[2022].kpi("m8_indsatser"))) == 3
    assert len(c[2022].activities(c[2022].kpi("m9_indsatser"))) == 5
    assert len(c[2022].activities(c[2022].kpi("m10_indsatser"))) == 4
    assert [c[2022].kpi(k).target for k in KPI_IDS[-3:]] == [800.0, 350.0, 600.0]


def test_year_without_file_continues_latest_contract() -> None:
    assert contract_for(2024).based_on == 2023
    assert contract_for(2024).year == 2024
    assert contract_for(2020).based_on == 2021


def test_every_kpi_id_is_documented() -> None:
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + (ROOT / "GLOSSARY.md").read_text(
        encoding="utf-8"
    )
    missing = [k for k in KPI_IDS if f"`{k}`" not in docs]
    assert not missing, f"KPI ids missing from README/GLOSSARY: {missing}"


def _first_kpi(raw: dict[str, Any], goal: int = 3) -> dict[str, Any]:
    kpi: dict[str, Any] = raw["goals"][goal - 1]["kpis"][0]
    return kpi


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: _first_kpi(r).update(kind="magic"), "ukendt KPI-type 'magic'"),
        (lambda r: _first_kpi(r).pop("target"), "målet ('target') mangler"),
        (lambda r: _first_kpi(r)["params"].update(column="nope"), "kolonnen 'nope'"),
        (
            lambda r: _first_kpi(r, 8)["params"].update(activities=["x"]),
            "ukendte eller ingen indsatser",
        ),
        (lambda r: r["goals"][0].pop("title"), "feltet 'title' mangler"),
        (lambda r: r.update(erhvervshus="atlantis"), "ukendt erhvervshus"),
        (lambda r: _first_kpi(r).update(target="all"), "kun bruges for typen 'coverage'"),
        (lambda r: _first_kpi(r).update(unit="kr"), "ukendt enhed"),
        (lambda r: r["goals"][1]["kpis"].append(dict(_first_kpi(r))), "findes to gange"),
    ],
)
def test_invalid_contract_is_refused_with_clear_message(mutate: Any, message: str) -> None:
    raw = raw_2022()
    mutate(raw)
    with pytest.raises(ContractError, match=re.escape(message)):
        parse_contract(raw, name="2022.toml")
