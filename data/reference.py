"""Reference data: municipalities per Erhvervshus with the funding key, published benchmarks."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).parent / "reference"
GEO_DIR = Path(__file__).parent / "geo"
CONTRACT_DIR = Path(__file__).parent / "contracts"
DEFAULT_ERHVERVSHUS = "nordjylland"


@dataclass(frozen=True, slots=True)
class Kommune:
    kode: int
    navn: str
    erhvervshus: str
    basisbevilling: int  # 1.000 kr.


@dataclass(frozen=True, slots=True)
class Erhvervshus:
    key: str
    name: str
    kkr: str
    funding_source: str
    kommuner: tuple[Kommune, ...]

    @property
    def codes(self) -> frozenset[int]:
        return frozenset(k.kode for k in self.kommuner)

    @property
    def funding_total(self) -> int:
        return sum(k.basisbevilling for k in self.kommuner)

    def kommune(self, kode: int) -> Kommune:
        for k in self.kommuner:
            if k.kode == kode:
                return k
        raise KeyError(kode)


@dataclass(frozen=True, slots=True)
class AwarenessBenchmark:
    """Published awareness per house (percent); keys are house keys plus ``national``."""

    source: str
    year: int
    kendskabsgrad: dict[str, float]
    groen_kendskab: dict[str, float]
    navne: dict[str, str]


@cache
def erhvervshuse() -> dict[str, Erhvervshus]:
    raw = tomllib.loads((REFERENCE_DIR / "kommuner.toml").read_text(encoding="utf-8"))
    houses: dict[str, Erhvervshus] = {}
    for h in raw["erhvervshus"]:
        kommuner = tuple(
            Kommune(int(k["kode"]), str(k["navn"]), str(h["key"]), int(k["basisbevilling"]))
            for k in h["kommuner"]
        )
        houses[h["key"]] = Erhvervshus(h["key"], h["name"], h["kkr"], h["funding_source"], kommuner)
    return houses


def erhvervshus(key: str = DEFAULT_ERHVERVSHUS) -> Erhvervshus:
    return erhvervshuse()[key]


@cache
def awareness_benchmark() -> AwarenessBenchmark:
    raw = tomllib.loads((REFERENCE_DIR / "kendskab_2020.toml").read_text(encoding="utf-8"))
    return AwarenessBenchmark(
        source=raw["source"],
        year=int(raw["year"]),
        kendskabsgrad={k: float(v) for k, v in raw["kendskabsgrad"].items()},
        groen_kendskab={k: float(v) for k, v in raw["groen_kendskab"].items()},
        navne=dict(raw["navne"]),
    )
