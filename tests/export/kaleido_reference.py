"""The export's previous chart path, kaleido 1.5, kept as the reference: the renderer's PNG is
compared with kaleido's, and ``benchmarks/export.py`` times the whole report both ways.

kaleido reloads its tab (and parses plotly.js again) after every image: about 0,3 s per file
whatever the figure; two tabs overlap one tab's reload with the other's render.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import kaleido
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.report.figures import SCALE, ReportChart, size_of
from dashboard.report.renderer import STATIC_DIR
from dashboard.report.static import FORMATS, Step

BATCH = 24  # files per kaleido call


def start_kaleido() -> None:
    pio.defaults.topojson = STATIC_DIR.as_uri() + "/"
    kaleido.start_sync_server(silence_warnings=True, mathjax=False, n=2)  # type: ignore[no-untyped-call]


def stop_kaleido() -> None:
    kaleido.stop_sync_server(silence_warnings=True)


def write_images(
    figures: Sequence[go.Figure], paths: Sequence[Path], sizes: Sequence[tuple[int, int]]
) -> None:
    with warnings.catch_warnings():
        # plotly warns that kaleido options are ignored with a running server: intended.
        warnings.simplefilter("ignore", UserWarning)
        pio.write_images(
            list(figures),
            list(paths),
            format=[p.suffix[1:] for p in paths],
            width=[w for w, _ in sizes],
            height=[h for _, h in sizes],
            scale=SCALE,
        )


class KaleidoCharts:
    """:class:`dashboard.report.static.ChartJobs` through kaleido (start it first): every
    file is written before the first PNG is handed out, as the export did."""

    def __init__(self, charts: Iterable[ReportChart], out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.charts = list(charts)
        self.progress: Step | None = None
        self._dir = out_dir
        self._written: dict[str, dict[str, Path]] | None = None

    def png_paths(self) -> dict[str, Path]:
        return {name: files["png"] for name, files in self.finish().items()}

    def ready(self, png: Path) -> Path:
        return png

    def finish(self) -> dict[str, dict[str, Path]]:
        if self._written is None:
            jobs = [(c, self._dir / f"{c.name}.{ext}") for c in self.charts for ext in FORMATS]
            for first in range(0, len(jobs), BATCH):
                batch = jobs[first : first + BATCH]
                write_images(
                    [c.figure for c, _ in batch],
                    [p for _, p in batch],
                    [size_of(c) for c, _ in batch],
                )
                if self.progress:
                    self.progress(min(first + BATCH, len(jobs)), len(jobs))
            self._written = {
                c.name: {ext: self._dir / f"{c.name}.{ext}" for ext in FORMATS} for c in self.charts
            }
        return self._written
