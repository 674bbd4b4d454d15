"""Benchmark of the KPI engine: Polars engine vs idiomatic pandas vs a bare Parquet scan.

For each size (number of courses; answers and respondents in proportion, see ``synthetic``)
the inputs are generated and written to Parquet in a temporary folder, then timed (best of
``--repeat`` runs, ``time.perf_counter``), each in a fresh worker process (so every engine
gets its own peak RSS and no warm caches from another):

- scan: ``pl.scan_parquet`` of all five input files, collected — the floor;
- polars: ``metrics.engine.collect_kpis(...)`` (what the dashboard and the CLI run) on those
  scans, every goal × year × segment × municipality for 2020–2023 (as of Q4 each);
- pandas: ``pd.read_parquet`` + the same KPIs in idiomatic pandas (``pandas_kpis``).

Both engines read the same Parquet files, with the schemas ``data.store`` loads (CVR as an
integer). At the smallest size ≤ 10 000 the pandas cells are cross-checked against the engine's.
Targets: 1M courses in ≤ 0.6 s on 2 cores, ≥ 10× faster than pandas, ≤ 4× the bare scan.
``--hotspots`` times every KPI group of the engine on its own.

Usage: ``python benchmarks/kpi_engine.py [--sizes 10000,100000,1000000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

# Run as a script: its folder is on sys.path (also in the spawned workers), so the sibling
# modules import directly.
import pandas_crosscheck
import pandas_kpis
import pandas_prep
import polars as pl
import synthetic

from data.periods import Quarter
from data.reference import erhvervshus
from data.store import cvr_text
from metrics.contract import Contract, contract_for
from metrics.engine import Kommuner, KpiInputs, collect_kpis, compute_kpis

TARGET_SECONDS = 0.6
TARGET_VS_PANDAS = 10.0
TARGET_VS_SCAN = 4.0
TARGET_SIZE = 1_000_000
INPUT_NAMES = ("forloeb", "brugerevaluering", "kendskab", "activities", "control_group")


@dataclass(frozen=True, slots=True)
class Measurement:
    engine: str
    best: float
    runs: tuple[float, ...]
    cells: int
    peak_rss_mb: float


def _setup() -> tuple[dict[int, Contract], dict[int, Quarter], Kommuner]:
    years = synthetic.YEARS
    contracts = {y: contract_for(y) for y in years}
    as_of = {y: Quarter(y, 4) for y in years}
    kommuner = Kommuner(funding={k.kode: k.basisbevilling for k in erhvervshus().kommuner})
    return contracts, as_of, kommuner


def _scan_inputs(paths: Mapping[str, str]) -> KpiInputs:
    return KpiInputs(*(pl.scan_parquet(paths[name]) for name in INPUT_NAMES))


def run_scan(paths: Mapping[str, str]) -> int:
    frames = pl.collect_all([pl.scan_parquet(paths[name]) for name in INPUT_NAMES])
    return sum(f.height for f in frames)


def run_polars(paths: Mapping[str, str]) -> int:
    contracts, as_of, kommuner = _setup()
    return collect_kpis(_scan_inputs(paths), contracts, as_of=as_of, kommuner=kommuner).height


def run_pandas(paths: Mapping[str, str]) -> int:
    contracts, as_of, kommuner = _setup()
    inputs = pandas_prep.read_parquet_inputs({k: Path(v) for k, v in paths.items()})
    return len(pandas_kpis.compute_kpis_pandas(inputs, contracts, as_of=as_of, kommuner=kommuner))


ENGINES: dict[str, Callable[[Mapping[str, str]], int]] = {
    "scan": run_scan,
    "polars": run_polars,
    "pandas": run_pandas,
}


def measure(engine: str, paths: Mapping[str, str], repeat: int) -> Measurement:
    """Run in a worker process: time ``repeat`` runs of one engine."""
    fn = ENGINES[engine]
    runs, result = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(paths)
        runs.append(time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return Measurement(engine, min(runs), tuple(runs), result, peak)


def measure_in_worker(engine: str, paths: Mapping[str, str], repeat: int) -> Measurement:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(measure, (engine, dict(paths), repeat))


def hotspots(paths: Mapping[str, str], repeat: int) -> None:
    """Time each KPI group of the engine on its own (cells only), then the whole query with
    the other Polars engine and with ``cvr`` as 8-digit text (the cost of string keys).

    ``LazyFrame.profile()`` was removed in Polars 2.0, hence the timing per KPI group.
    """
    from metrics import engine as eng

    contracts, as_of, kommuner = _setup()
    inputs = eng.prepared_inputs(_scan_inputs(paths))
    periods = eng.periods_frame(as_of, explicit=False)
    groups = eng.group_kpis(contracts, as_of)
    full_years = eng.crm_tables(inputs.forloeb)
    surveys = eng.survey_sums(inputs, groups, periods)
    crm = eng.crm_context(full_years, periods)
    rows = []
    for kpi, years, lf in eng.job_parts(inputs, contracts, as_of, groups, periods, crm, surveys):
        wall, cpu = _best(lf.collect, repeat)
        rows.append((wall, cpu, kpi.id, str(kpi.kind), len(years)))
    first_step = _best(lambda: eng.collected(full_years, surveys), repeat)
    total = sum(r[0] for r in rows)
    print(f"\nEngine hotspots (each KPI group collected alone, best of {repeat}; wall and CPU s):")
    for wall, cpu, kpi_id, kind, n_years in sorted(rows, reverse=True):
        print(
            f"  {wall:7.3f} s  cpu {cpu:7.3f} s  {100 * wall / total:5.1f} %  {kpi_id:<26} "
            f"{kind:<15} {n_years} year(s)"
        )
    print(f"  {total:7.3f} s  sum of the groups collected separately")

    def whole(kpi_inputs: KpiInputs, engine: str = "auto") -> Callable[[], object]:
        lf = compute_kpis(kpi_inputs, contracts, as_of=as_of, kommuner=kommuner)
        return lambda: lf.collect(engine=engine)  # type: ignore[arg-type]

    def two_steps() -> object:
        return collect_kpis(_scan_inputs(paths), contracts, as_of=as_of, kommuner=kommuner)

    text_cvr = KpiInputs(
        *(
            pl.scan_parquet(paths[n]).with_columns(cvr_text(pl.col("cvr")))
            if n in ("forloeb", "brugerevaluering")
            else pl.scan_parquet(paths[n])
            for n in INPUT_NAMES
        )
    )
    variants = {
        "collect_kpis (shared tables, then cells in memory)": two_steps,
        "one lazy query, default engine": whole(inputs),
        "one lazy query, engine='in-memory'": whole(inputs, "in-memory"),
        "one lazy query, cvr as 8-digit text in the scan": whole(text_cvr),
    }
    for label, fn in variants.items():
        wall, cpu = _best(fn, repeat)
        print(f"  {wall:7.3f} s  cpu {cpu:7.3f} s  {label}")
    wall, cpu = first_step
    print(f"  {wall:7.3f} s  cpu {cpu:7.3f} s  … of it the first step: the shared tables at once")
    plan = compute_kpis(inputs, contracts, as_of=as_of, kommuner=kommuner).explain()
    print(
        f"  optimised plan: {len(plan.splitlines())} lines, "
        f"{plan.count('Parquet SCAN')} Parquet scan nodes, {plan.count('CACHE')} cache nodes"
    )


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall-clock and best process CPU time of ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def _mark(ok: bool) -> str:
    return "yes" if ok else "NO"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="comma-separated numbers of courses"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine (best counts)")
    parser.add_argument("--no-check", action="store_true", help="skip the pandas cross-check")
    parser.add_argument(
        "--hotspots",
        action="store_true",
        help="time each KPI group of the engine at the largest size",
    )
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    print(
        f"polars {pl.__version__}, pandas {pandas_kpis.pd.__version__}, "
        f"{os.cpu_count()} CPUs, Polars threads {pl.thread_pool_size()}, repeat {args.repeat}"
    )
    rows: list[tuple[int, dict[str, Measurement]]] = []
    checked = False
    for size in sizes:
        t0 = time.perf_counter()
        data = synthetic.generate(size)
        gen_s = time.perf_counter() - t0
        with tempfile.TemporaryDirectory(prefix="kpi_bench_") as tmp:
            paths = {k: str(v) for k, v in data.write_parquet(Path(tmp)).items()}
            mb = sum(Path(p).stat().st_size for p in paths.values()) / 1e6
            counts = ", ".join(f"{k} {f.height:,}" for k, f in data.frames().items())
            print(
                f"\n{size:,} courses: generated in {gen_s:.2f} s; {counts}; Parquet {mb:.1f} MB;"
                f" load average {os.getloadavg()[0]:.2f}"
            )
            del data
            results = {}
            for engine in ENGINES:
                m = measure_in_worker(engine, paths, args.repeat)
                results[engine] = m
                runs = " ".join(f"{r:.3f}" for r in m.runs)
                print(
                    f"  {engine:<7} best {m.best:7.3f} s  (runs {runs})  "
                    f"peak RSS {m.peak_rss_mb:,.0f} MB"
                )
            rows.append((size, results))
            if not args.no_check and not checked and size <= 10_000:
                checked = True
                report = pandas_crosscheck.run_cross_check(size)
                pandas_crosscheck.print_report(report)
                print(
                    f"  all columns: {sum(report.mismatching.values())} mismatching "
                    f"(tolerance 1e-9): {'clean' if report.clean() else 'NOT CLEAN'}"
                )
            if args.hotspots and size == max(sizes):
                hotspots(paths, args.repeat)

    print(
        "\n| courses | polars s | pandas s | pandas/polars | scan s | polars/scan | cells "
        "| polars RSS MB | pandas RSS MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, r in rows:
        p, pd_, s = r["polars"], r["pandas"], r["scan"]
        print(
            f"| {size:,} | {p.best:.3f} | {pd_.best:.3f} | {pd_.best / p.best:.1f}× "
            f"| {s.best:.3f} | {p.best / s.best:.1f}× | {p.cells} "
            f"| {p.peak_rss_mb:,.0f} | {pd_.peak_rss_mb:,.0f} |"
        )
        if p.cells != pd_.cells:
            print(f"  (cell counts differ: polars {p.cells}, pandas {pd_.cells})")

    print("\nTargets (1M courses, 2 cores):")
    for size, r in rows:
        p, pd_, s = r["polars"], r["pandas"], r["scan"]
        label = "target size" if size == TARGET_SIZE else "informative"
        print(
            f"  {size:>9,} ({label}): ≤ {TARGET_SECONDS:g} s: {_mark(p.best <= TARGET_SECONDS)}"
            f" ({p.best:.3f} s);  ≥ {TARGET_VS_PANDAS:g}× pandas: "
            f"{_mark(pd_.best / p.best >= TARGET_VS_PANDAS)} ({pd_.best / p.best:.1f}×);  "
            f"≤ {TARGET_VS_SCAN:g}× scan: {_mark(p.best / s.best <= TARGET_VS_SCAN)} "
            f"({p.best / s.best:.1f}×)"
        )


if __name__ == "__main__":
    main()
