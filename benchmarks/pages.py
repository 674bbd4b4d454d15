"""Page latency in real Chromium: navigation to fully rendered overview and goal page.

For the demo data (1×) and ten times the demo volume (10×, built here by scaling
``data.demo.PROFILES`` and the number of evaluation answers before loading the generator —
never in the app), this starts
``erhvervshus serve`` on a fresh SQLite database and measures, per page:

- cold: the first load after the server started, in a fresh browser (empty server caches,
  empty browser cache; the server is restarted before each page);
- warm: the second and later loads in the same tab (server caches warm, Streamlit's
  JavaScript from the browser cache), median of ``--repeat`` — what a person sees when they
  come back to the page;
- new tab: a load in a fresh browser context (server warm, browser cache empty: the
  ≈ 1 s Streamlit bundle is fetched and parsed again), median of ``--repeat``.

"Fully rendered" = Streamlit's script run finished, the title is there and every Plotly chart
has drawn its SVG (the same condition as the browser tests). Target: warm overview ≤ 1,5 s.

Usage: ``python benchmarks/pages.py [--scales 1,10] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, RENDERED_JS, _free_port, _wait_for  # noqa: E402

PAGES = {"Overblik": "?aar=2022", "Mål 3": "maal?aar=2022&maal=3"}


def build_db(path: Path, scale: int) -> str:
    """A demo database with ``scale`` times the demo's courses, companies and answers."""
    import data.demo as demo
    from data.db import make_engine
    from data.demo_loader import load_demo
    from data.migrate import upgrade
    from data.reference import erhvervshus
    from metrics.contract import contract_for

    original, original_answers = demo.PROFILES, demo._answers
    demo.PROFILES = {
        y: replace(p, unique_companies=p.unique_companies * scale, courses=p.courses * scale)
        for y, p in original.items()
    }

    def more_answers(rng: Any, year: int, courses: Any, prof: Any) -> list[dict[str, object]]:
        # the generator draws ≈450 answers a year; draw ``scale`` times as many, renumbered
        rows = [r for _ in range(scale) for r in original_answers(rng, year, courses, prof)]
        for i, row in enumerate(rows, start=1):
            row["svar_id"] = f"BE-{year}-{i:06d}"
        return rows

    demo._answers = more_answers
    try:
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        upgrade(engine)
        activities = {
            y: [(g.number, a.id) for g in contract_for(y).goals for a in g.activities]
            for y in (2021, 2022, 2023)
        }
        load_demo(engine, erhvervshus(), activities)
        engine.dispose()
        return url
    finally:
        demo.PROFILES, demo._answers = original, original_answers


def rows_in(url: str) -> str:
    from dashboard.views import format as fmt
    from data.db import make_engine
    from data.store import load_stored_data

    s = load_stored_data(make_engine(url), "nordjylland")
    return f"{fmt.number(s.forloeb.height)} forløb, {fmt.number(s.brugerevaluering.height)} svar"


def start_server(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(port, proc)
    return proc, f"http://127.0.0.1:{port}"


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def timed_load(page: Page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(RENDERED_JS, timeout=120_000, polling=20)
    return time.perf_counter() - start


def new_tab(browser: Browser) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    return context, context.new_page()


def measure(browser: Browser, url: str, repeat: int) -> tuple[float, float, float]:
    """cold, warm (same tab), new tab — seconds."""
    context, page = new_tab(browser)
    cold = timed_load(page, url)
    warm = statistics.median(timed_load(page, url) for _ in range(repeat))
    context.close()
    fresh = []
    for _ in range(repeat):
        context, page = new_tab(browser)
        fresh.append(timed_load(page, url))
        context.close()
    return cold, warm, statistics.median(fresh)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results: list[tuple[str, str, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for scale in (int(s) for s in args.scales.split(",")):
            t = time.perf_counter()
            url = build_db(Path(tmp) / f"demo_{scale}x.db", scale)
            label = f"{scale}× demo ({rows_in(url)})"
            print(f"{label}: database built in {time.perf_counter() - t:.1f} s", flush=True)
            for name, path in PAGES.items():
                proc, base = start_server(url)
                try:
                    cold, warm, fresh = measure(browser, f"{base}/{path}", args.repeat)
                finally:
                    stop(proc)
                results.append((label, name, cold, warm, fresh))
                print(
                    f"  {name:<9} cold {cold:5.2f} s   warm {warm:5.2f} s   new tab {fresh:5.2f} s",
                    flush=True,
                )
        browser.close()
    print("\n| data | page | cold (s) | warm (s) | new tab (s) |\n|---|---|---|---|---|")
    for label, name, cold, warm, fresh in results:
        print(f"| {label} | {name} | {cold:.2f} | {warm:.2f} | {fresh:.2f} |")


if __name__ == "__main__":
    main()
