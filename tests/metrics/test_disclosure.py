"""Secondary suppression: a suppressed cell cannot be recomputed from what is published.

The attacker knows every shown cell's n and value (so its count of "Meget tilfreds", value × n),
which cells are hidden and why ("færre end 5 svar": 1–4 answers; "skjult af diskretionshensyn":
5 or more), and that the municipalities add up to the house and drift + vækst to "alle". It
enumerates every table of whole numbers that fits and collects the shares a hidden cell can have.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import polars as pl
import pytest

from metrics.disclosure import protect
from tests.factories import answer, course, inputs
from tests.metrics.test_kpis import cell, run

KPI = "m3_meget_tilfreds"
MIN_N = 5
Key = tuple[int | None, str | None]  # (kommune, segment); None = the house / all segments


def answers() -> list[dict[str, Any]]:
    """Læsø: 1 drift answer, "Meget tilfreds". Morsø: drift 2 of 3, vækst 3 of 4.
    Aalborg: drift 4 of 6, vækst 3 of 6."""

    def some(kommune: int, segment: str, happy: int, total: int) -> list[dict[str, Any]]:
        return [
            answer(
                kommune=kommune,
                segment=segment,
                tilfredshed="Meget tilfreds" if i < happy else "Tilfreds",
            )
            for i in range(total)
        ]

    return [
        *some(825, "Drift", 1, 1),
        *some(773, "Drift", 2, 3),
        *some(773, "Vækst", 3, 4),
        *some(851, "Drift", 4, 6),
        *some(851, "Vækst", 3, 6),
    ]


# The true table, counted by hand: (n, "Meget tilfreds") per cell.
TRUTH: dict[Key, tuple[int, int]] = {
    (825, "drift"): (1, 1),
    (825, None): (1, 1),
    (773, "drift"): (3, 2),
    (773, "vækst"): (4, 3),
    (773, None): (7, 5),
    (851, "drift"): (6, 4),
    (851, "vækst"): (6, 3),
    (851, None): (12, 7),
    (None, "drift"): (10, 7),
    (None, "vækst"): (10, 6),
    (None, None): (20, 13),
}
KOMMUNER = (773, 825, 851)
SEGMENTS = (None, "drift", "vækst")


def relations() -> list[tuple[Key, list[Key]]]:
    """total = Σ members: the municipalities per segment, the segments per municipality."""
    out: list[tuple[Key, list[Key]]] = []
    for s in SEGMENTS:
        out.append(((None, s), [(k, s) for k in KOMMUNER]))
    for k in (None, *KOMMUNER):
        out.append(((k, None), [(k, "drift"), (k, "vækst")]))
    return out


def possible_shares(shown: dict[Key, tuple[int, int]], small: set[Key], target: Key) -> set[float]:
    """Every share of ``target`` that fits what is published. ``shown``: the published cells
    (n, count); cells not in ``shown`` and not in TRUTH are known to be empty; hidden cells
    in ``small`` have 1–4 answers, other hidden cells at least 5."""
    hidden = [c for c in TRUTH if c not in shown]
    top = shown.get((None, None), (20, 0))[0]
    ranges = {c: range(1, MIN_N) if c in small else range(MIN_N, top + 1) for c in hidden}

    def solutions(
        index: int, bound: dict[Key, int], value: dict[Key, int]
    ) -> Iterator[dict[Key, int]]:
        if index == len(hidden):
            yield dict(value)
            return
        c = hidden[index]
        for v in range(0, bound[c] + 1) if bound else ranges[c]:
            value[c] = v
            if consistent(value, shown_part=1 if bound else 0):
                yield from solutions(index + 1, bound, value)
            del value[c]

    def consistent(value: dict[Key, int], shown_part: int) -> bool:
        def get(c: Key) -> int | None:
            if c in shown:
                return shown[c][shown_part]
            if c not in TRUTH:
                return 0
            return value.get(c)

        for total, members in relations():
            parts = [get(m) for m in members]
            t = get(total)
            if t is None or any(p is None for p in parts):
                continue
            if t != sum(p for p in parts if p is not None):
                return False
        return True

    shares: set[float] = set()
    for sizes in solutions(0, {}, {}):
        for counts in solutions(0, sizes, {}):
            shares.add(round(counts[target] / sizes[target], 6))
    return shares


def published(df: pl.DataFrame) -> tuple[dict[Key, tuple[int, int]], set[Key]]:
    """What a reader sees of the KPI: shown cells' (n, count) and the "færre end 5" cells."""
    shown: dict[Key, tuple[int, int]] = {}
    small: set[Key] = set()
    for k in (None, *KOMMUNER):
        for s in SEGMENTS:
            c = cell(df, KPI, kommune=k, segment=s)
            if c["suppressed"]:
                assert c["value"] is None and c["n"] is None  # hidden: no value, no n
                if not c["secondary"]:
                    small.add((k, s))
            elif c["n"] is not None:
                shown[(k, s)] = (c["n"], round(c["value"] * c["n"] / 100))
    return shown, small


def test_without_secondary_suppression_laesoe_is_recomputed() -> None:
    """The attack works: hiding only the cells under 5 answers gives Læsø's one answer away."""
    small = {c for c, (n, _) in TRUTH.items() if n < MIN_N}
    shown = {c: v for c, v in TRUTH.items() if c not in small}
    assert possible_shares(shown, small, (825, None)) == {1.0}


def test_engine_hides_a_second_cell_and_the_attack_fails() -> None:
    df = run(inputs(answers=answers()))
    shown, small = published(df)
    assert small == {(825, None), (825, "drift"), (773, "drift"), (773, "vækst")}
    # Morsø's "alle" (7 answers) hides Læsø's in the house total; Aalborg's drift and vækst
    # hide Morsø's drift (3 + 1 answers in drift would be fewer than 5 together).
    secondary = {
        (c["kommune"], c["segment"])
        for c in df.filter(pl.col("kpi") == KPI, pl.col("secondary")).iter_rows(named=True)
    }
    assert secondary == {(773, None), (851, "drift"), (851, "vækst")}
    assert shown.keys() == {(851, None), (None, None), (None, "drift"), (None, "vækst")}
    for hidden in small | secondary:
        assert len(possible_shares(shown, small, hidden)) > 1, hidden


def test_house_figures_stay_shown() -> None:
    df = run(inputs(answers=answers()))
    house = cell(df, KPI)
    assert (house["n"], house["value"]) == (20, 65.0)
    assert not house["suppressed"] and not house["secondary"]


def frame(rows: list[tuple[int | None, int, float]], unit: str = "pct") -> pl.DataFrame:
    """One relation (house = Σ municipalities): (kommune, n, value)."""
    return pl.DataFrame(
        {
            "year": [2022] * len(rows),
            "kpi": ["x"] * len(rows),
            "kommune": [k for k, _, _ in rows],
            "segment": [None] * len(rows),
            "n": [n for _, n, _ in rows],
            "value": [v for _, _, v in rows],
            "unit": [unit] * len(rows),
            "min_n": [MIN_N] * len(rows),
            "primary": [n is not None and 0 < n < MIN_N for _, n, _ in rows],
            "eligible": [True] * len(rows),
        },
        schema_overrides={"kommune": pl.Int32, "segment": pl.String},
    )


def hidden(df: pl.DataFrame) -> set[int | None]:
    return set(df.filter(pl.col("primary") | pl.col("secondary"))["kommune"].to_list())


def test_the_next_smallest_cell_is_hidden() -> None:
    df = protect(frame([(None, 40, 50.0), (825, 1, 100.0), (773, 9, 50.0), (851, 30, 50.0)]))
    assert hidden(df) == {825, 773}


def test_cells_that_answered_alike_are_not_enough() -> None:
    # Læsø (1) and Morsø (6) all "yes": together 7 of 7, so Læsø's answer is "yes" too.
    rows = [(None, 37, 50.0), (825, 1, 100.0), (773, 6, 100.0), (860, 10, 40.0), (851, 20, 40.0)]
    assert hidden(protect(frame(rows))) == {825, 773, 860}


def test_nps_at_minus_100_is_an_extreme_too() -> None:
    rows = [(None, 37, 0.0), (825, 1, -100.0), (773, 6, -100.0), (860, 10, 40.0), (851, 20, 20.0)]
    assert hidden(protect(frame(rows, unit="nps"))) == {825, 773, 860}


def test_nothing_is_hidden_when_nothing_is_small() -> None:
    df = protect(frame([(None, 40, 50.0), (773, 10, 50.0), (851, 30, 50.0)]))
    assert hidden(df) == set()


@pytest.mark.parametrize("empty", [0, None])
def test_a_total_is_hidden_when_no_member_is_left(empty: int | None) -> None:
    # Læsø (3) and Morsø (3) all "yes", Aalborg without answers: the house's 6 of 6 would say
    # that every answer in both was "yes".
    rows = [(None, 6, 100.0), (825, 3, 100.0), (773, 3, 100.0), (851, empty, None)]
    assert hidden(protect(frame(rows))) == {None, 825, 773}  # type: ignore[arg-type]


def test_cells_without_a_value_are_left_alone() -> None:
    # The first year has no year before it: the new-company share has n but no value anywhere.
    df = protect(frame([(None, 40, None), (825, 2, None), (773, 38, None)]))  # type: ignore[list-item]
    assert hidden(df) == {825}  # only the small cell's own rule; nothing spreads


def test_first_year_new_company_share_stays_shown_for_the_house() -> None:
    rows = [
        course(f"1000000{i}", date(2021, 3, 1), kommune=825 if i < 2 else 851) for i in range(9)
    ]
    c = cell(run(inputs(courses=rows), year=2021), "m1_nye_virksomheder")
    assert not c["suppressed"] and c["n"] == 9 and c["value"] is None
