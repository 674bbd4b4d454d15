"""Static chart files (PNG at print resolution, SVG, PDF) through kaleido and Chromium.

One browser per process: :func:`start_browser` starts kaleido's sync server once (starting
a browser per figure costs seconds each); :func:`write_charts` writes every figure in one
call. Choropleths read their (empty) world base map from the project's static folder, never
from a CDN; MathJax (another CDN script) is off.

kaleido 1.5 reloads its tab (and parses plotly.js again) after every image: about 0,3 s per
file whatever the figure. Two tabs in the one browser overlap one tab's reload with the
other's render (144 files: 52 s → 43 s on 2 cores; four tabs were slower again).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import kaleido
import plotly.io as pio

from dashboard.report.figures import SCALE, ReportChart, size_of

FORMATS = ("png", "svg", "pdf")
BATCH = 24  # files per kaleido call: fewer calls, still a moving progress bar
TOPOJSON_DIR = Path(__file__).resolve().parents[2] / "static"  # holds world_110m.json
_lock = threading.Lock()
_started = False


def start_browser() -> None:
    """Start kaleido's browser once per process (idempotent, thread-safe)."""
    global _started
    with _lock:
        pio.defaults.topojson = TOPOJSON_DIR.as_uri() + "/"
        if not _started:
            kaleido.start_sync_server(silence_warnings=True, mathjax=False, n=2)  # type: ignore[no-untyped-call]
            _started = True


def stop_browser() -> None:
    global _started
    with _lock:
        if _started:
            kaleido.stop_sync_server(silence_warnings=True)
            _started = False


def write_charts(
    report_charts: Sequence[ReportChart],
    out_dir: Path,
    *,
    formats: Sequence[str] = FORMATS,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, dict[str, Path]]:
    """Write every chart in every format; returns chart name → format → path.

    Figures go to kaleido in batches (``plotly.io.write_images``), which reuses the browser's
    tabs; one call per figure is about twice as slow.
    """
    start_browser()
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = [(c, ext, out_dir / f"{c.name}.{ext}") for c in report_charts for ext in formats]
    written: dict[str, dict[str, Path]] = {c.name: {} for c in report_charts}
    for first in range(0, len(jobs), BATCH):
        batch = jobs[first : first + BATCH]
        sizes = [size_of(c) for c, _, _ in batch]
        with warnings.catch_warnings():
            # plotly warns that kaleido options are ignored with a running server: intended.
            warnings.simplefilter("ignore", UserWarning)
            pio.write_images(
                [c.figure for c, _, _ in batch],
                [path for _, _, path in batch],
                format=[ext for _, ext, _ in batch],
                width=[w for w, _ in sizes],
                height=[h for _, h in sizes],
                scale=SCALE,
            )
        for c, ext, path in batch:
            written[c.name][ext] = path
        if progress:
            progress(min(first + BATCH, len(jobs)), len(jobs))
    return written
