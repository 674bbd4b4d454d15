"""One persistent Chromium that draws Plotly figures as SVG, PNG and PDF.

Debian's Chromium is started once through Playwright and loads ``plotly.min.js`` from the
installed plotly package once; every figure after that is one ``Plotly.toImage`` call:

- SVG: ``Plotly.toImage(figure, {format: 'svg'})`` at the figure's CSS size;
- PNG: that SVG drawn on the page's canvas at ``scale`` (as ``Plotly.toImage`` does), then
  stored without its alpha channel (the charts are opaque; a PDF would otherwise carry a soft
  mask per image). Chromium's canvas always encodes RGBA, so Pillow re-encodes it as RGB
  on a helper thread while Chromium draws the next figure;
- PDF: that SVG printed from a second page whose paper is the figure's CSS size
  (800 × 448 CSS px = 600 × 336 pt), several charts per print (named pages), split with
  pikepdf into one file each;
- a whole document: an HTML page printed as a tagged PDF with bookmarks (the report's PDF, see
  :mod:`dashboard.report.pdf`), its images answered from the files it names.

Nothing is fetched from the network: the page and its scripts are served from the plotly
package and the project's ``static/`` folder (the choropleths' empty world map); every other
request is refused. MathJax is never loaded.

Playwright's sync API must be used from the thread that started it, so one worker thread owns
the browser: it starts Chromium as soon as the renderer is made (the caller loads its data
meanwhile) and then runs the submitted jobs in order. Any thread may submit; the methods return
futures. :meth:`ChartRenderer.close` (or leaving the ``with`` block) stops Chromium and its
helper processes.
"""

from __future__ import annotations

import base64
import io
import json
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

import pikepdf
import plotly
from PIL import Image

from data.errors import UserFacingError

CHROMIUM = "/usr/bin/chromium"
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"  # holds world_110m.json
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
ORIGIN = "http://charts.invalid"  # never resolved: every request is answered by the route
TIMEOUT_MS = 60_000

_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script>window.PlotlyConfig = {MathJaxConfig: "local"};</script>
<script src="/plotly.min.js"></script></head><body></body></html>"""

_SETUP = """topojson => {
  Plotly.setPlotConfig({topojsonURL: topojson, mathjax: false});
}"""

# SVG of the figure at its CSS size, and a PNG drawn from that SVG at `scale`.
_IMAGE = """async ([json, width, height, scale]) => {
  const figure = JSON.parse(json);
  const svg = await Plotly.toImage(figure, {
    format: "svg", width: width, height: height, imageDataOnly: true,
  });
  const url = URL.createObjectURL(new Blob([svg], {type: "image/svg+xml;charset=utf-8"}));
  try {
    const img = new Image();
    await new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new Error("the SVG could not be drawn"));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.floor(width * scale);
    canvas.height = Math.floor(height * scale);
    const ctx = canvas.getContext("2d", {alpha: false});
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const png = canvas.toDataURL("image/png");
    return [svg, png.slice(png.indexOf(",") + 1)];
  } finally {
    URL.revokeObjectURL(url);
  }
}"""

# Several SVGs printed at once, each on a page of its own size (named pages).
_SHEETS = """(items) => {
  const css = items.map(([svg, w, h], i) =>
    `@page c${i} {size: ${w}px ${h}px; margin: 0} .c${i} {page: c${i}}`).join("\\n");
  document.head.innerHTML = `<style>${css} html, body {margin: 0; padding: 0}
    svg {display: block} div + div {break-before: page}</style>`;
  document.body.innerHTML = items.map(([svg], i) => `<div class="c${i}">${svg}</div>`).join("");
}"""

_STOP = object()


class RendererError(UserFacingError):
    title = "Diagrammerne kunne ikke tegnes"


class ChartRenderer:
    """Chromium with plotly.js loaded once; see the module docstring.

    >>> with ChartRenderer() as r:
    ...     svg, png = r.image(fig.to_json(), 800, 448, 2.5).result()
    ...     [pdf] = r.pdfs([(svg, 800, 448)]).result()
    """

    def __init__(self, executable: str = CHROMIUM) -> None:
        self._executable = executable
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        self._ready: Future[None] = Future()
        self._encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart-png")
        self._document_html = ""  # what /document answers (worker thread only)
        self._files: dict[str, Path] = {}  # what /files/<name> answers (worker thread only)
        self._thread = threading.Thread(target=self._run, name="chart-renderer", daemon=True)
        self._thread.start()

    # -- public API (any thread) -------------------------------------------------------
    def wait_ready(self, timeout: float | None = None) -> None:
        """Block until Chromium and plotly.js are loaded; raises if they could not start."""
        self._ready.result(timeout)

    def image(
        self, figure_json: str, width: int, height: int, scale: float
    ) -> Future[tuple[str, bytes]]:
        """The figure (``fig.to_json()``) as SVG text at width × height CSS px and as PNG
        bytes at ``floor(width·scale) × floor(height·scale)`` px."""
        result: Future[tuple[str, bytes]] = Future()

        def opaque(drawn: Future[tuple[str, bytes]]) -> None:
            if drawn.cancelled():
                result.cancel()
            elif (exc := drawn.exception()) is not None:
                result.set_exception(exc)
            else:
                svg, png = drawn.result()
                self._encoder.submit(_rgb_png, png).add_done_callback(
                    lambda rgb: _settle(result, rgb, svg)
                )

        drawn = self._submit(lambda pages: self._image(pages, figure_json, width, height, scale))
        drawn.add_done_callback(opaque)
        return result

    def pdfs(self, items: Sequence[tuple[str, int, int]]) -> Future[list[bytes]]:
        """Each (SVG, width, height) as a one-page PDF of width × height CSS px (0,75 pt per
        px), printed in one go (a print costs about as much for one chart as for a dozen) and
        split."""
        batch = list(items)
        return self._submit(lambda pages: self._pdfs(pages, batch))

    def document(self, html: str, files: Mapping[str, Path]) -> Future[bytes]:
        """``html`` printed as a tagged PDF with bookmarks, its paper as its CSS ``@page``
        sets it; its addresses ``/files/<name>`` are answered from ``files``."""
        return self._submit(lambda pages: self._document(pages, html, dict(files)))

    def close(self) -> None:
        """Stop Chromium and its processes (idempotent). Jobs not yet started are cancelled:
        collect the results before closing."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._jobs.put(_STOP)
        self._thread.join()
        self._encoder.shutdown(wait=True)

    def __enter__(self) -> ChartRenderer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _submit(self, work: Callable[[Any], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._ready.done() and (failed := self._ready.exception()) is not None:
                raise failed
            if self._closed:
                raise RuntimeError("the chart renderer is closed")
            self._jobs.put((work, future))
        return future

    # -- worker thread ------------------------------------------------------------------
    def _run(self) -> None:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as pw:
                try:
                    browser = pw.chromium.launch(executable_path=self._executable)
                except PlaywrightError as exc:  # e.g. no browser at that path
                    raise RendererError(
                        f"Chromium ({self._executable}) kunne ikke startes: "
                        f"{str(exc).strip().splitlines()[0]}. "
                        "Installér Debian-pakken chromium (scripts/system-deps.sh)."
                    ) from exc
                try:
                    pages = self._open_pages(browser)
                    self._ready.set_result(None)
                    self._work(pages)
                finally:
                    browser.close()
        except BaseException as exc:
            if not self._ready.done():
                self._ready.set_exception(exc)
            self._fail_pending(exc)

    def _open_pages(self, browser: Any) -> tuple[Any, Any]:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", self._serve)
        plot = context.new_page()
        plot.goto(f"{ORIGIN}/")
        plot.evaluate(_SETUP, f"{ORIGIN}/static/")
        return plot, context.new_page()

    def _work(self, pages: tuple[Any, Any]) -> None:
        while True:
            job = self._jobs.get()
            if job is _STOP:
                return
            work, future = job
            if self._closed:
                future.cancel()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(work(pages))
            except Exception as exc:  # handed to the caller through the future
                future.set_exception(exc)

    def _fail_pending(self, exc: BaseException) -> None:
        with self._lock:
            self._closed = True
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not _STOP:
                job[1].set_exception(exc)

    @staticmethod
    def _image(
        pages: tuple[Any, Any], figure_json: str, width: int, height: int, scale: float
    ) -> tuple[str, bytes]:
        svg, png = pages[0].evaluate(_IMAGE, [figure_json, width, height, scale])
        return svg, base64.b64decode(png)

    @staticmethod
    def _pdfs(pages: tuple[Any, Any], items: list[tuple[str, int, int]]) -> list[bytes]:
        sheet = pages[1]
        sheet.evaluate(_SHEETS, [list(item) for item in items])
        printed = _split(sheet.pdf(prefer_css_page_size=True, print_background=True))
        if len(printed) != len(items):
            raise RendererError(f"{len(printed)} sider for {len(items)} diagrammer")
        return printed

    def _document(self, pages: tuple[Any, Any], html: str, files: dict[str, Path]) -> bytes:
        sheet = pages[1]
        self._document_html, self._files = html, files
        try:
            sheet.goto(f"{ORIGIN}/document", wait_until="load")  # every image loaded
            sheet.evaluate("document.fonts.ready.then(() => true)")
            pdf: bytes = sheet.pdf(
                prefer_css_page_size=True, print_background=True, tagged=True, outline=True
            )
        finally:
            self._document_html, self._files = "", {}
        return pdf

    def _serve(self, route: Any) -> None:
        """The page, plotly.min.js, the static folder, and the document being printed with
        its files; nothing else (no CDN, no MathJax)."""
        path = route.request.url[len(ORIGIN) :].split("?", 1)[0]
        if route.request.url.startswith(ORIGIN + "/") and path == "/document":
            route.fulfill(body=self._document_html, content_type="text/html; charset=utf-8")
        elif route.request.url.startswith(ORIGIN + "/files/") and path[7:] in self._files:
            route.fulfill(path=self._files[path[7:]])
        else:
            _serve_asset(route)


def _split(pdf: bytes) -> list[bytes]:
    """One PDF per page."""
    out = []
    with pikepdf.open(io.BytesIO(pdf)) as whole:
        for page in whole.pages:
            one = pikepdf.new()
            one.pages.append(page)
            buffer = io.BytesIO()
            one.save(buffer, compress_streams=True)
            out.append(buffer.getvalue())
    return out


def _rgb_png(png: bytes) -> bytes:
    out = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        # zlib level 3: 40 % less CPU than the default 6 for 13 % larger files
        image.convert("RGB").save(out, "PNG", compress_level=3)
    return out.getvalue()


def _settle(result: Future[tuple[str, bytes]], rgb: Future[bytes], svg: str) -> None:
    if (exc := rgb.exception()) is not None:
        result.set_exception(exc)
    else:
        result.set_result((svg, rgb.result()))


def _serve_asset(route: Any) -> None:
    """The page, plotly.min.js and the static folder; nothing else (no CDN, no MathJax)."""
    url: str = route.request.url
    if not url.startswith(ORIGIN + "/"):
        route.abort()
        return
    path = url[len(ORIGIN) :].split("?", 1)[0]
    if path == "/":
        route.fulfill(body=_PAGE, content_type="text/html; charset=utf-8")
    elif path == "/plotly.min.js":
        route.fulfill(path=PLOTLY_JS, content_type="text/javascript; charset=utf-8")
    elif path.startswith("/static/") and ".." not in path and (STATIC_DIR / path[8:]).is_file():
        route.fulfill(path=STATIC_DIR / path[8:], content_type="application/json")
    else:
        route.fulfill(status=404, body=json.dumps({"error": "not found"}))
