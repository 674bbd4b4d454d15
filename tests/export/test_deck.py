"""The deck for the KKR meeting: slides, titles, one chart per goal, alt text; and
``--only pptx``, which writes the deck alone."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu
from sqlalchemy import Engine
from typer.testing import CliRunner

from dashboard.cli.app import app
from dashboard.report.data import load_report_data
from dashboard.views.goals import goal_status, goal_status_text
from metrics.contract import contract_for
from tests.dashboard.conftest import build_demo_db
from tests.export.conftest import MADE, YEAR, one

GOALS = contract_for(YEAR).goals


def _pictures(slide: object) -> list[object]:
    return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]  # type: ignore[attr-defined]


def test_deck_is_named_as_the_report_and_is_in_the_zip(report: list[Path]) -> None:
    deck = one(report, ".pptx")
    assert deck.name == f"resultatopfoelgning_{YEAR}.pptx"
    with zipfile.ZipFile(one(report, ".zip")) as zf:
        assert deck.name in zf.namelist()


def test_deck_slides_titles_and_one_picture_per_goal(
    report: list[Path], demo_engine: Engine
) -> None:
    prs = Presentation(str(one(report, ".pptx")))
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9
    slides = list(prs.slides)
    assert len(slides) == 1 + 1 + len(GOALS) + 1
    titles = [s.shapes.title.text for s in slides]
    assert titles[0] == f"Opfølgning på resultatkontrakten {YEAR}"
    assert titles[1] == f"Sammenfatning: alle mål {YEAR}"
    assert titles[2:-1] == [g.title for g in GOALS]
    assert titles[-1] == f"Kommunerne {YEAR}"
    for slide in slides[2:-1]:
        [picture] = _pictures(slide)
        assert Emu(picture.width) <= prs.slide_width  # type: ignore[attr-defined]
    assert len(_pictures(slides[-1])) == 1
    assert _pictures(slides[0]) == [] and _pictures(slides[1]) == []

    # The summary: every goal with its status as icon and word.
    cells = load_report_data(demo_engine, YEAR, today=MADE).cells
    [table] = [s.table for s in slides[1].shapes if s.has_table]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Mål", "Status"]
    assert rows[1:] == [[g.title, goal_status_text(goal_status(g, cells))] for g in GOALS]
    assert any(r[1].startswith("✖ ") for r in rows[1:])  # an icon, not only a colour


def test_every_deck_picture_has_alt_text(report: list[Path]) -> None:
    prs = Presentation(str(one(report, ".pptx")))
    pictures = [p for s in prs.slides for p in _pictures(s)]
    assert len(pictures) == len(GOALS) + 1
    for p in pictures:
        descr = p._element.nvPicPr.cNvPr.get("descr")  # type: ignore[attr-defined]
        assert descr and descr.startswith("Diagram: ") and len(descr) > 30, descr


def test_goal_slide_shows_value_target_n_and_status(report: list[Path]) -> None:
    prs = Presentation(str(one(report, ".pptx")))
    slide = list(prs.slides)[2]  # Mål 1
    text = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    for label in ("Målets status: ", "Resultat: ", "Mål for året: ", "n: ", "Status: "):
        assert label in text
    assert "47,0\u00a0%" in text  # Danish decimal comma, no break before the sign


def test_only_pptx_writes_the_deck_alone(tmp_path: Path) -> None:
    """`erhvervshus export --only pptx`: the goals' main charts and the map as PNG, the deck."""
    url = build_demo_db(tmp_path / "demo.db")  # a copy: the deck's audit entry is written
    out = tmp_path / "ud"
    args = ["export", "--year", str(YEAR), "--out", str(out), "--only", "pptx"]
    result = CliRunner().invoke(app, args, env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    deck = out / f"resultatopfoelgning_{YEAR}.pptx"
    assert f"Præsentationen for {YEAR} er skrevet: {deck}" in " ".join(result.output.split())
    assert sorted(p.name for p in out.iterdir()) == ["diagrammer", deck.name]
    assert len(list((out / "diagrammer").glob("*.png"))) == len(GOALS) + 1
    assert len(Presentation(str(deck)).slides) == len(GOALS) + 3


def test_only_names_a_known_part() -> None:
    result = CliRunner().invoke(app, ["export", "--year", "2022", "--out", "x", "--only", "pdf"])
    assert result.exit_code == 1
    assert "--only pdf kendes ikke. Vælg en af: pptx." in result.output
