"""How long the check of a small upload takes, as the director meets it on the Indlæs page.

    python benchmarks/upload_check.py [--rows 8] [--repeat 5]

An 8-row courses export (CSV) is checked with :func:`data.preview.preview_upload` (read, type,
validate with Great Expectations in the sandboxed worker, find what it would replace; nothing
written) against a copy of the demo database:

- cold: the first check in a fresh server process that never started the checking worker;
- after warm-up: the first check once :func:`data.sandbox.warm_up` has run (the dashboard calls
  it from the login of anyone who may upload) and the worker has had time to import;
- warm: the median of the following checks.

Target: a small file checked in ≤ 1,5 s warm.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, sys, time
from data import sandbox
from data.db import make_engine
from data.preview import preview_upload
from expectations.schema import Kind

url, path, warm, repeat = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
engine = make_engine(url)
content = open(path, "rb").read()
if warm:
    sandbox.warm_up()
    time.sleep(15)  # the time a director takes from the login to choosing a file
times = []
for _ in range(1 + repeat):
    t = time.perf_counter()
    preview_upload(engine, kind=Kind.FORLOEB, content=content, filename="lille.csv", period="2023Q4")
    times.append(time.perf_counter() - t)
print(json.dumps(times))
"""


def run(url: str, path: Path, *, warm: bool, repeat: int) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, url, str(path), "1" if warm else "0", str(repeat)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    times: list[float] = json.loads(out.strip().splitlines()[-1])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import polars as pl

    from data.db import make_engine
    from data.export_files import Dialect, export_file
    from data.store import load_stored_data
    from expectations.schema import Kind
    from tests.demo_db import copy_sqlite_demo

    with tempfile.TemporaryDirectory() as tmp:
        url = copy_sqlite_demo(Path(tmp) / "demo.db")
        rows = load_stored_data(make_engine(url), "nordjylland").forloeb
        rows = rows.filter(pl.col("startdato").dt.year() == 2023).head(args.rows)
        content, _ = export_file(rows, Kind.FORLOEB, Dialect.EXCEL_DA)
        path = Path(tmp) / "lille.csv"
        path.write_bytes(content)
        cold = run(url, path, warm=False, repeat=args.repeat)
        warmed = run(url, path, warm=True, repeat=args.repeat)
    print(f"{args.rows}-row CSV, check (preview_upload), seconds:")
    print(f"  cold (first check, worker not started)   {cold[0]:6.2f}")
    print(f"  first check after warm-up                {warmed[0]:6.2f}")
    print(
        f"  warm (median of {args.repeat})                   {statistics.median(warmed[1:]):6.2f}"
    )
    print(f"  ratio cold / after warm-up               {cold[0] / warmed[0]:6.1f}×")
    print("Target: ≤ 1,5 s warm.")


if __name__ == "__main__":
    main()
