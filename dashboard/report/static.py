"""Static chart files (PNG at print resolution, SVG, PDF) from one :class:`ChartRenderer`.

:class:`ChartFiles` hands each figure to the renderer as soon as it is built and writes the
files as the results come back, so the report goes on meanwhile: the PNG paths are known at
once, :meth:`ChartFiles.ready` waits for one chart only (the Word file is written in step
with the charts), and the charts' PDFs, queued behind every SVG and PNG, are printed while
the report's own PDF is written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Protocol, TypeVar

from dashboard.report.figures import SCALE, ReportChart, size_of
from dashboard.report.renderer import ChartRenderer, RendererError

FORMATS = ("png", "svg", "pdf")
WAIT_S = 120  # for one chart's files: a hung browser must not hang the export page
Step = Callable[[int, int], None]  # files done, files in all
T = TypeVar("T")


class ChartJobs(Protocol):
    """Charts being drawn (see :class:`ChartFiles`)."""

    charts: list[ReportChart]  # every chart handed in, in order
    progress: Step | None  # told of each file written

    def png_paths(self) -> dict[str, Path]: ...

    def ready(self, png: Path) -> Path: ...

    def finish(self) -> dict[str, dict[str, Path]]: ...


StartCharts = Callable[[Iterable[ReportChart], Path], ChartJobs]


class ChartFiles:
    """Every chart of the report in PNG, SVG and PDF under ``out_dir``."""

    def __init__(
        self, renderer: ChartRenderer, charts: Iterable[ReportChart], out_dir: Path
    ) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self._renderer = renderer
        self._dir = out_dir
        self.progress: Step | None = None
        self.charts: list[ReportChart] = []
        self._images: list[Future[tuple[str, bytes]]] = []
        for chart in charts:
            self.charts.append(chart)
            self._images.append(renderer.image(chart.figure.to_json(), *size_of(chart), SCALE))
        self._pdfs: list[Future[bytes]] = []
        self._lock = threading.Lock()
        self._index = {self._path(c, "png"): i for i, c in enumerate(self.charts)}

    def _path(self, chart: ReportChart, ext: str) -> Path:
        return self._dir / f"{chart.name}.{ext}"

    def _step(self, done: int) -> None:
        if self.progress:
            self.progress(done, len(self.charts) * len(FORMATS))

    def png_paths(self) -> dict[str, Path]:
        """Chart name → where its PNG will be (see :meth:`ready`)."""
        return {c.name: self._path(c, "png") for c in self.charts}

    def ready(self, png: Path) -> Path:
        """Wait until this PNG (and every chart's before it) is written; returns it."""
        with self._lock:  # the PDF is written on a thread of its own
            while len(self._pdfs) <= self._index[png]:
                chart = self.charts[len(self._pdfs)]
                svg, image = outcome(chart, self._images[len(self._pdfs)])
                self._path(chart, "svg").write_text(svg, encoding="utf-8")
                self._path(chart, "png").write_bytes(image)
                self._pdfs.append(self._renderer.pdf(svg, *size_of(chart)))
                self._step(2 * len(self._pdfs))
        return png

    def finish(self) -> dict[str, dict[str, Path]]:
        """Wait for every file; chart name → format → path."""
        for path in self._index:
            self.ready(path)
        for done, (chart, future) in enumerate(zip(self.charts, self._pdfs, strict=True), 1):
            self._path(chart, "pdf").write_bytes(outcome(chart, future))
            self._step(2 * len(self.charts) + done)
        return {c.name: {ext: self._path(c, ext) for ext in FORMATS} for c in self.charts}


def outcome(chart: ReportChart, future: Future[T]) -> T:
    """The renderer's result for a chart, or a Danish error naming the chart."""
    return outcome_of(f"Diagrammet »{chart.title}« ({chart.name})", future)


def outcome_of(what: str, future: Future[T], wait_s: float = WAIT_S) -> T:
    """The renderer's result, or a Danish error that begins with ``what``."""
    try:
        return future.result(wait_s)
    except FutureTimeout as exc:
        raise RendererError(f"{what} blev ikke tegnet inden for {wait_s:.0f} s.") from exc
    except RendererError:
        raise
    except Exception as exc:  # the browser's own error, passed on with what it was drawing
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RendererError(f"{what} kunne ikke tegnes: {first}") from exc
