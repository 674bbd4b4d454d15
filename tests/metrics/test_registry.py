"""The KPI kind registry and the typed contract parameters: every shipped contract loads into
its kinds' parameter classes, and a malformed parameter is refused at load with a Danish
message naming the file, the KPI and the key."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from data.errors import ContractError, UserFacingError
from data.reference import CONTRACT_DIR
from metrics.contract import load_contract_file, parse_contract
from metrics.kinds import KpiKind, Unit
from metrics.params import ControlGroupParams, SurveyShareParams
from metrics.registry import _ENTRIES, KINDS


def raw_2022() -> dict[str, Any]:
    return tomllib.loads((CONTRACT_DIR / "2022.toml").read_text(encoding="utf-8"))


def kpi_raw(raw: dict[str, Any], kpi_id: str) -> dict[str, Any]:
    for goal in raw["goals"]:
        for kpi in goal["kpis"]:
            if kpi["id"] == kpi_id:
                found: dict[str, Any] = kpi
                return found
    raise KeyError(kpi_id)


def test_every_kind_has_one_registry_entry() -> None:
    assert set(KINDS) == set(KpiKind)
    assert len(_ENTRIES) == len(KINDS)  # a kind entered twice would silently keep the last


@pytest.mark.parametrize("path", sorted(CONTRACT_DIR.glob("*.toml")), ids=lambda p: p.name)
def test_shipped_contracts_load_into_the_kinds_parameter_classes(path: Path) -> None:
    contract = load_contract_file(path)
    for kpi in contract.kpis:
        assert type(kpi.params) is KINDS[kpi.kind].params, kpi.id
        assert kpi.unit is KINDS[kpi.kind].unit
    m3 = contract.kpi("m3_meget_tilfreds").params
    assert isinstance(m3, SurveyShareParams)
    assert m3.positive == ("Meget tilfreds",)
    assert m3.excluded == ("Ved ikke",)


def test_parameters_are_frozen_and_typed() -> None:
    contract = parse_contract(raw_2022(), name="2022.toml")
    params = contract.kpi("m6_kontrolgruppe").params
    assert isinstance(params, ControlGroupParams)
    assert isinstance(params.productivity_min, float)  # written 0.0; an int would do too
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.revenue_pp_min = 0.0  # type: ignore[misc]


def test_a_whole_number_is_read_as_a_float_where_a_float_is_wanted() -> None:
    raw = raw_2022()
    kpi_raw(raw, "m6_kontrolgruppe")["params"]["revenue_pp_min"] = 10
    params = parse_contract(raw, name="2022.toml").kpi("m6_kontrolgruppe").params
    assert isinstance(params, ControlGroupParams)
    assert params.revenue_pp_min == 10.0 and isinstance(params.revenue_pp_min, float)


def test_a_string_instead_of_a_list_is_refused_when_the_file_is_loaded(tmp_path: Path) -> None:
    """`positive = "Meget tilfreds"` once loaded and silently turned 100 % into 0 %."""
    text = (CONTRACT_DIR / "2022.toml").read_text(encoding="utf-8")
    assert text.count('positive = ["Meget tilfreds"]') == 1
    path = tmp_path / "2022.toml"
    path.write_text(
        text.replace('positive = ["Meget tilfreds"]', 'positive = "Meget tilfreds"'),
        encoding="utf-8",
    )
    with pytest.raises(ContractError) as caught:
        load_contract_file(path)
    assert isinstance(caught.value, UserFacingError)
    assert caught.value.message == (
        "2022.toml, mål 3, KPI m3_meget_tilfreds, parameter 'positive': skal være en liste "
        "af værdier (tekst, tal eller sand/falsk), ikke tekst ('Meget tilfreds')."
    )


@pytest.mark.parametrize(
    ("kpi_id", "change", "message"),
    [
        # an unknown key (a typo)
        (
            "m3_meget_tilfreds",
            {"positiv": ["Meget tilfreds"]},
            "KPI m3_meget_tilfreds, parameter 'positiv': ukendt parameter for typen 'survey_share'",
        ),
        # wrong types
        (
            "m3_nps",
            {"promoter_min": "9"},
            "KPI m3_nps, parameter 'promoter_min': skal være et heltal, ikke tekst ('9')",
        ),
        (
            "m3_nps",
            {"promoter_min": True},
            "KPI m3_nps, parameter 'promoter_min': skal være et heltal, ikke sand/falsk (true)",
        ),
        (
            "m1_nye_virksomheder",
            {"lookback_years": 1.5},
            "KPI m1_nye_virksomheder, parameter 'lookback_years': skal være et heltal, "
            "ikke et tal (1.5)",
        ),
        (
            "m11_vaekst_drift_forloeb",
            {"categories": ["Vækstforløb", 3]},
            "KPI m11_vaekst_drift_forloeb, parameter 'categories': skal være en liste af tekster",
        ),
        (
            "m11_unikke_virksomheder",
            {"kommune_target": "alle"},
            "parameter 'kommune_target': skal være en af 'none', 'funding_share', "
            "ikke tekst ('alle')",
        ),
        (
            "m4_henvisning_benyttet",
            {"filter_value": [True]},
            "parameter 'filter_value': skal være en værdi (tekst, tal eller sand/falsk)",
        ),
        # missing required keys
        (
            "m3_meget_tilfreds",
            {"column": None},
            "KPI m3_meget_tilfreds, parameter 'column': parameteren mangler for typen "
            "'survey_share'",
        ),
        (
            "m6_kontrolgruppe",
            {"productivity_min": None},
            "KPI m6_kontrolgruppe, parameter 'productivity_min': parameteren mangler",
        ),
        # references that do not exist
        (
            "m8_indsatser",
            {"activities": ["m8_nye_midler", "m8_findes_ikke"]},
            "KPI m8_indsatser, parameter 'activities': ukendte eller ingen indsatser i "
            "tjeklisten: ['m8_findes_ikke']",
        ),
        ("m8_indsatser", {"activities": []}, "parameter 'activities': listen må ikke være tom"),
        (
            "m5_groen_kendskab",
            {"column": "tilfredshed"},
            "parameter 'column': kolonnen 'tilfredshed' findes ikke i kendskabsmålingen",
        ),
        # a rule across keys
        (
            "m3_nps",
            {"detractor_max": 9},
            "parameter 'promoter_min': NPS-grænserne skal opfylde",
        ),
    ],
)
def test_malformed_parameters_are_refused_naming_file_kpi_and_key(
    kpi_id: str, change: dict[str, Any], message: str
) -> None:
    raw = raw_2022()
    params = kpi_raw(raw, kpi_id).setdefault("params", {})
    for key, value in change.items():
        if value is None:
            params.pop(key)
        else:
            params[key] = value
    with pytest.raises(ContractError, match=r"^2022\.toml, mål \d+, .*" + re.escape(message)):
        parse_contract(raw, name="2022.toml")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"params": "tilfredshed"}, "'params' skal være en tabel"),
        ({"taget": 80.0}, "ukendt felt 'taget'"),
        ({"unit": "antal"}, "enheden 'antal' passer ikke til typen 'survey_share'"),
        ({"cells": "segment"}, "'cells' skal være en liste med præcis én af all, segment, kommune"),
        ({"target": True}, "målet skal være et tal, ikke 'True'"),
    ],
)
def test_malformed_kpi_fields_are_refused(change: dict[str, Any], message: str) -> None:
    raw = raw_2022()
    kpi_raw(raw, "m3_meget_tilfreds").update(change)
    with pytest.raises(ContractError, match=r"KPI m3_meget_tilfreds: .*" + re.escape(message)):
        parse_contract(raw, name="2022.toml")


def test_the_units_of_the_kinds() -> None:
    assert KINDS[KpiKind.NPS].unit is Unit.NPS
    assert KINDS[KpiKind.COVERAGE].unit is Unit.KOMMUNER
