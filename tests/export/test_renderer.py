"""The persistent chart renderer: valid SVG/PNG/PDF at the expected sizes, Danish glyphs
kept, kaleido's pixels, errors reach the caller, and no Chromium process outlives it."""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from concurrent.futures import CancelledError, ThreadPoolExecutor
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
from defusedxml import ElementTree
from PIL import Image, ImageChops

from dashboard import charts
from dashboard.report.figures import ReportChart
from dashboard.report.renderer import ChartRenderer, RendererError
from dashboard.report.static import ChartFiles

WIDTH, HEIGHT, SCALE = 800, 448, 2.5
GLYPHS = "æøå ÆØÅ ✔ ✖ ⚠"
SVG_NS = "{http://www.w3.org/2000/svg}"


def danish_figure() -> go.Figure:
    fig = charts.base.base_figure(f"Vejledte i Læsø og Frederikshavn {GLYPHS}", source="Kilde: ø")
    fig.add_bar(x=["Læsø", "Frederikshavn", "Brønderslev"], y=[3, 120, 47.5], name="Vejledte")
    fig.add_annotation(text="✔ Opfyldt · ✖ Ikke opfyldt · ⚠ langt under", x=1, y=100)
    return fig


@pytest.fixture(scope="module")
def renderer() -> Iterator[ChartRenderer]:
    with ChartRenderer() as r:
        yield r


@pytest.fixture(scope="module")
def drawn(renderer: ChartRenderer) -> tuple[str, bytes, bytes]:
    svg, png = renderer.image(danish_figure().to_json(), WIDTH, HEIGHT, SCALE).result()
    [pdf] = renderer.pdfs([(svg, WIDTH, HEIGHT)]).result()
    return svg, png, pdf


def test_svg_is_valid_at_css_size_with_the_danish_glyphs_as_text(
    drawn: tuple[str, bytes, bytes],
) -> None:
    root = ElementTree.fromstring(drawn[0])
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height")) == (str(WIDTH), str(HEIGHT))
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))
    for word in (*GLYPHS.split(), "Læsø", "Brønderslev", "✔ Opfyldt", "⚠ langt under"):
        assert word in text, word


def test_png_is_opaque_rgb_at_print_size(drawn: tuple[str, bytes, bytes]) -> None:
    image = Image.open(io.BytesIO(drawn[1]))
    image.verify()
    image = Image.open(io.BytesIO(drawn[1]))
    assert (image.format, image.mode, image.size) == ("PNG", "RGB", (2000, 1120))
    assert image.getcolors(1000) is None or len(image.getcolors(1000)) > 10  # not blank


def test_pdf_is_one_page_at_the_charts_css_size_with_its_text(
    drawn: tuple[str, bytes, bytes], tmp_path: Path
) -> None:
    path = tmp_path / "chart.pdf"
    path.write_bytes(drawn[2])
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout
    assert "Page size:       600 x 336 pts" in info.stdout  # 800 × 448 CSS px, not 1500 × 840
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for word in ("Læsø", "Brønderslev", "✔", "✖", "⚠"):
        assert word in text, word


def test_png_matches_kaleidos_pixels(drawn: tuple[str, bytes, bytes], tmp_path: Path) -> None:
    from tests.export.kaleido_reference import start_kaleido, stop_kaleido, write_images

    start_kaleido()
    try:
        write_images([danish_figure()], [tmp_path / "kaleido.png"], [(WIDTH, HEIGHT)])
    finally:
        stop_kaleido()
    ours = Image.open(io.BytesIO(drawn[1])).convert("RGB")
    theirs = Image.open(tmp_path / "kaleido.png").convert("RGB")
    assert ours.size == theirs.size
    diff = ImageChops.difference(ours, theirs).convert("L").point(lambda v: 255 if v > 0 else 0)
    changed = diff.histogram()[255] / (ours.width * ours.height)
    assert changed < 0.005, f"{changed:.2%} of the pixels differ from kaleido's"


def test_the_maps_world_file_comes_from_the_static_folder(renderer: ChartRenderer) -> None:
    fig = go.Figure(go.Choropleth(locations=["DNK"], z=[1], showscale=False))
    svg, _ = renderer.image(fig.to_json(), WIDTH, HEIGHT, 1).result()
    assert 'class="choroplethlocation"' in svg


def test_a_broken_figure_fails_its_own_job_only(renderer: ChartRenderer) -> None:
    with pytest.raises(Exception, match="JSON"):
        renderer.image("{not json", WIDTH, HEIGHT, 1).result()
    svg, _ = renderer.image(danish_figure().to_json(), WIDTH, HEIGHT, 1).result()
    assert svg.startswith("<svg")


def test_jobs_from_several_threads_each_get_their_own_figure(renderer: ChartRenderer) -> None:
    def draw(n: int) -> str:
        fig = go.Figure(go.Bar(x=[f"Kommune {n}"], y=[n]))
        return renderer.image(fig.to_json(), 300, 200, 1).result()[0]

    with ThreadPoolExecutor(4) as pool:
        svgs = list(pool.map(draw, range(8)))
    assert all(f"Kommune {n}" in svg for n, svg in enumerate(svgs))


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_close_leaves_no_chromium_process_and_refuses_new_jobs() -> None:
    before = _descendants(os.getpid())
    renderer = ChartRenderer()
    renderer.wait_ready(60)
    started = _descendants(os.getpid()) - before
    commands = [Path(f"/proc/{p}/cmdline").read_bytes() for p in started if _alive(p)]
    assert any(b"chromium" in c for c in commands)  # what the check below watches
    pending = [renderer.image(danish_figure().to_json(), WIDTH, HEIGHT, 1) for _ in range(6)]
    renderer.close()
    assert not [p for p in started if _alive(p)]
    assert all(f.done() for f in pending)
    with pytest.raises(CancelledError):  # queued behind close: cancelled, not drawn
        pending[-1].result()
    with pytest.raises(RuntimeError, match="closed"):
        renderer.image("{}", WIDTH, HEIGHT, 1)
    renderer.close()  # twice is fine


def test_a_missing_browser_says_so_in_danish(tmp_path: Path) -> None:
    renderer = ChartRenderer(executable=str(tmp_path / "chromium"))
    with pytest.raises(RendererError, match="kunne ikke startes"):
        renderer.wait_ready(60)
    with pytest.raises(RendererError):  # and so does every job after it
        renderer.image("{}", WIDTH, HEIGHT, 1)
    renderer.close()


def test_a_chart_that_cannot_be_drawn_is_named_in_danish(
    renderer: ChartRenderer, tmp_path: Path
) -> None:
    class Unreadable(go.Figure):  # type: ignore[misc]  # JSON the page cannot parse
        def to_json(self, *args: object, **kwargs: object) -> str:
            return "{ikke json"

    good = ReportChart("god", 1, "God", danish_figure(), pl.DataFrame())
    bad = ReportChart("brudt", 1, "Brudt", Unreadable(), pl.DataFrame())
    files = ChartFiles(renderer, [good, bad], tmp_path)
    assert files.ready(tmp_path / "god.png").exists()
    with pytest.raises(RendererError, match=r"Diagrammet »Brudt« \(brudt\) kunne ikke tegnes"):
        files.finish()
