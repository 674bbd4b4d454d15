"""Static chart files (PNG at print resolution, SVG, PDF) from one :class:`ChartRenderer`.

:class:`ChartFiles` hands every figure to the renderer at once and writes the files as the
results come back, in two rounds so the report can go on meanwhile: first SVG and PNG (the
documents embed the PNGs), then the PDFs, which Chromium prints while the report's own PDF
and Word files are written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

from dashboard.report.figures import SCALE, ReportChart, size_of
from dashboard.report.renderer import ChartRenderer

FORMATS = ("png", "svg", "pdf")
Step = Callable[[int, int], None]  # files done, files in all


class ChartJobs(Protocol):
    """Charts being drawn: PNG paths as soon as they exist, then every file."""

    charts: list[ReportChart]  # every chart handed in, in order

    def images(self, progress: Step | None = None) -> dict[str, Path]: ...

    def finish(self, progress: Step | None = None) -> dict[str, dict[str, Path]]: ...


StartCharts = Callable[[Iterable[ReportChart], Path], ChartJobs]


class ChartFiles:
    """Every chart of the report in PNG, SVG and PDF under ``out_dir``. Each chart goes to
    the renderer as soon as ``charts`` yields it."""

    def __init__(
        self, renderer: ChartRenderer, charts: Iterable[ReportChart], out_dir: Path
    ) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self._renderer = renderer
        self._dir = out_dir
        self.charts: list[ReportChart] = []
        self._images: list[Future[tuple[str, bytes]]] = []
        for chart in charts:
            self.charts.append(chart)
            self._images.append(renderer.image(chart.figure.to_json(), *size_of(chart), SCALE))
        self._charts = self.charts
        self._pdfs: list[Future[bytes]] = []
        self._written: dict[str, dict[str, Path]] = {c.name: {} for c in self._charts}

    @property
    def total(self) -> int:
        return len(self._charts) * len(FORMATS)

    def images(self, progress: Step | None = None) -> dict[str, Path]:
        """Wait for each chart's SVG and PNG, write them and queue its PDF; chart → PNG."""
        if not self._pdfs:
            for chart, future in zip(self._charts, self._images, strict=True):
                svg, png = future.result()
                files = self._written[chart.name]
                files["svg"] = self._dir / f"{chart.name}.svg"
                files["svg"].write_text(svg, encoding="utf-8")
                files["png"] = self._dir / f"{chart.name}.png"
                files["png"].write_bytes(png)
                self._pdfs.append(self._renderer.pdf(svg, *size_of(chart)))
                if progress:
                    progress(2 * len(self._pdfs), self.total)
        return {name: files["png"] for name, files in self._written.items()}

    def finish(self, progress: Step | None = None) -> dict[str, dict[str, Path]]:
        """Wait for the PDFs too; chart → format → path."""
        self.images()
        for done, (chart, future) in enumerate(zip(self._charts, self._pdfs, strict=True), 1):
            path = self._dir / f"{chart.name}.pdf"
            path.write_bytes(future.result())
            self._written[chart.name]["pdf"] = path
            if progress:
                progress(2 * len(self._charts) + done, self.total)
        return {name: {ext: files[ext] for ext in FORMATS} for name, files in self._written.items()}
