"""Static chart files (PNG at print resolution, SVG, PDF) from one :class:`ChartRenderer`.

:class:`ChartFiles` hands each figure to the renderer as soon as it is built and writes the
files as the results come back, so the report goes on meanwhile: the PNG paths are known at
once, :meth:`ChartFiles.ready` waits for one chart only (the Word file is written in step
with the charts), and the charts' PDFs are printed eight at a time (one print, split into
one file per chart: a print costs about as much for one chart as for eight) as the charts
come back.
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
PDF_BATCH = 8  # charts' PDFs printed in one go: fewer prints, yet they start while drawing
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
        self._drawn = 0  # charts whose SVG and PNG are written
        self._batch: list[tuple[int, str]] = []  # drawn, their PDFs not yet asked for
        self._pdfs: list[tuple[list[int], Future[list[bytes]]]] = []
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
            while self._drawn <= self._index[png]:
                chart = self.charts[self._drawn]
                svg, image = outcome(chart, self._images[self._drawn])
                self._path(chart, "svg").write_text(svg, encoding="utf-8")
                self._path(chart, "png").write_bytes(image)
                self._batch.append((self._drawn, svg))
                self._drawn += 1
                if len(self._batch) == PDF_BATCH:
                    self._print_batch()
                self._step(2 * self._drawn)
        return png

    def _print_batch(self) -> None:
        """The waiting charts' PDFs, printed in one go."""
        items = [(svg, *size_of(self.charts[i])) for i, svg in self._batch]
        self._pdfs.append(([i for i, _ in self._batch], self._renderer.pdfs(items)))
        self._batch = []

    def finish(self) -> dict[str, dict[str, Path]]:
        """Wait for every file; chart name → format → path."""
        for path in self._index:
            self.ready(path)
        with self._lock:
            if self._batch:
                self._print_batch()
        done = 2 * len(self.charts)
        for indices, future in self._pdfs:
            names = ", ".join(self.charts[i].name for i in indices)
            printed = outcome_of(f"Diagrammernes PDF ({names})", future)
            for i, pdf in zip(indices, printed, strict=True):
                self._path(self.charts[i], "pdf").write_bytes(pdf)
                done += 1
                self._step(done)
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
