"""KPI benchmark: the demo company at a scale, loaded from CSV by ``pilotage load``, then a
20-metric x channel x month KPI query.

Run by hand (never in CI):
    .venv/bin/python benchmarks/kpis.py [--scale 10] [--json PATH] [--keep DIR]
Targets (issue 4): CSV load >= 500k rows/s, query < 1 s on DuckDB, peak memory < 4 GB.
Prints a table and writes benchmarks/out/kpis.json (like bench_foundation.py).

Each heavy step runs in its own process, so each peak RSS is its own: the demo generator
(which also stores the tables that are not loaded from CSV), every ``pilotage load``, and
the Python (slow) path on the first ``--slow-rows`` touchpoints for comparison. The query
runs in this process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CSV_TABLES = ("spend", "touchpoints", "orders")
QUERY_METRICS = 20
WARM_RUNS = 5
BIN = Path(sys.executable).parent


def _mib(kib: float) -> float:
    return round(kib / 1024, 1)


#: CPU seconds (user + system, all threads) of each child, by its arguments: unlike wall
#: time, they do not grow when other work shares the machine.
CPU_SECONDS: dict[str, float] = {}


def run_child(args: list[str]) -> tuple[float, float, str]:
    """Seconds, peak RSS (MiB) and stdout of a child process."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])} failed with exit code {child.returncode}")
    CPU_SECONDS[" ".join(args)] = round(usage.ru_utime + usage.ru_stime, 2)
    return seconds, _mib(usage.ru_maxrss), out


# -- child steps -----------------------------------------------------------------------------


def prepare(scale: float, folder: Path, slow_rows: int) -> None:
    """Generate the demo, write the CSV tables, store the others into ``folder/ws``."""
    import hashlib

    import pyarrow as pa
    import pyarrow.csv as pacsv

    from pilotage.data.demo.config import DemoConfig
    from pilotage.data.demo.generate import generate
    from pilotage.data.loader import store_typed
    from pilotage.data.typed import TypedTable
    from pilotage.services.demo import LOAD_ORDER
    from pilotage.services.workspaces import analytics, init_workspace

    timings: dict[str, Any] = {}
    start = time.perf_counter()
    company = generate(DemoConfig(scale=scale))
    timings["generate_s"] = time.perf_counter() - start
    timings["rows"] = {name: t.num_rows for name, t in company.tables.items()}
    start = time.perf_counter()
    for name in CSV_TABLES:
        pacsv.write_csv(company.tables[name], folder / f"{name}.csv")
    if slow_rows:
        sample = company.tables["touchpoints"].slice(0, slow_rows)
        pacsv.write_csv(sample, folder / "touchpoints_sample.csv")
        timings["sample_rows"] = sample.num_rows
    timings["write_csv_s"] = time.perf_counter() - start
    start = time.perf_counter()
    workspace = init_workspace(folder / "ws", name="kpi benchmark")
    with analytics(workspace, write=True) as store:
        for name in LOAD_ORDER:
            if name in CSV_TABLES:
                continue
            data = company.tables.pop(name)
            typed = TypedTable("demo", name, data, pa.array(range(2, data.num_rows + 2)))
            digest = hashlib.sha256(name.encode()).hexdigest()
            store_typed(
                store,
                workspace.settings,
                typed,
                file_name="demo",
                sha256=digest,
                source_adapter="demo",
            )
    timings["store_other_tables_s"] = time.perf_counter() - start
    print(json.dumps(timings))


def slow_load(workspace_root: Path, table: str, path: Path) -> None:
    """The Python path alone (the fast path switched off), for comparison."""
    from pilotage.data import fast_csv
    from pilotage.data.loader import load_file
    from pilotage.services.workspaces import analytics, open_workspace

    fast_csv.load_csv_fast = lambda *a, **k: None  # type: ignore[assignment]
    workspace = open_workspace(workspace_root)
    with analytics(workspace, write=True) as store:
        report = load_file(store, workspace.settings, table, path)
    print(json.dumps(report.to_dict()))


# -- the parent ------------------------------------------------------------------------------


def cli_load(workspace: Path, table: str, path: Path) -> dict[str, Any]:
    args = [str(BIN / "pilotage"), "load", table, str(path)]
    seconds, peak, out = run_child([*args, "--workspace", str(workspace), "--format", "json"])
    rows = int(json.loads(out)["rows_in_file"])
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "cpu_s": list(CPU_SECONDS.values())[-1],
        "rows_per_s": round(rows / seconds),
        "peak_rss_mib": peak,
    }


def python_load(workspace: Path, table: str, path: Path) -> dict[str, Any]:
    script = [sys.executable, __file__, "--stage", "slow-load", "--dir", str(workspace)]
    seconds, peak, out = run_child([*script, "--table", table, "--file", str(path)])
    rows = int(json.loads(out)["rows_in_file"])
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "cpu_s": list(CPU_SECONDS.values())[-1],
        "rows_per_s": round(rows / seconds),
        "peak_rss_mib": peak,
    }


def query(workspace_root: Path) -> dict[str, Any]:
    from pilotage.core.metrics.registry import METRICS
    from pilotage.services import kpis
    from pilotage.services.workspaces import analytics, open_workspace

    workspace = open_workspace(workspace_root)
    settings = workspace.settings
    engine = getattr(kpis, "kpi_table", None)
    result: dict[str, Any] = {}
    if engine is None:
        result["engine"] = "channel_kpis (kpi_table not found)"

        def run() -> Any:
            with analytics(workspace) as store:
                return kpis.channel_kpis(store, settings, by="channel", period="month")
    else:
        result["engine"] = "kpi_table"
        accepted: list[str] = []
        rejected: dict[str, str] = {}
        with analytics(workspace) as store:
            for metric in METRICS:
                if len(accepted) == QUERY_METRICS:
                    break
                try:
                    engine(store, settings, metrics=[metric], by=["channel"], period="month")
                except Exception as exc:
                    rejected[metric] = f"{type(exc).__name__}: {str(exc)[:120]}"
                    continue
                accepted.append(metric)
        result["metrics"] = accepted
        result["rejected"] = rejected

        def run() -> Any:
            with analytics(workspace) as store:
                return engine(store, settings, metrics=accepted, by=["channel"], period="month")

    start = time.perf_counter()
    table = run()
    result["cold_s"] = round(time.perf_counter() - start, 3)
    warm = []
    for _ in range(WARM_RUNS):
        start = time.perf_counter()
        run()
        warm.append(time.perf_counter() - start)
    result["warm_median_s"] = round(statistics.median(warm), 3)
    result["result_rows"] = len(getattr(table, "rows", []) or [])
    result["peak_rss_mib"] = _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return result


def safe_query(workspace_root: Path) -> dict[str, Any]:
    """The query step; a KPI engine that fails (say, mid-rewrite) is reported, not fatal."""
    try:
        return query(workspace_root)
    except Exception as exc:
        return {"engine": "failed", "error": f"{type(exc).__name__}: {exc}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10.0, help="demo company scale")
    parser.add_argument("--json", type=Path, default=Path(__file__).parent / "out" / "kpis.json")
    parser.add_argument("--keep", type=Path, help="keep the CSV files and workspace here")
    parser.add_argument(
        "--slow-rows",
        type=int,
        default=1_000_000,
        help="touchpoints loaded by both paths for comparison (0: skip)",
    )
    parser.add_argument(
        "--query-only",
        action="store_true",
        help="only time the query, on the workspace an earlier run left in --keep DIR",
    )
    parser.add_argument("--stage", choices=("prepare", "slow-load"), help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--table", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage == "prepare":
        return prepare(args.scale, args.dir, args.slow_rows)
    if args.stage == "slow-load":
        return slow_load(args.dir, args.table, args.file)

    if args.query_only:
        if args.keep is None:
            parser.error("--query-only needs --keep DIR (the folder of an earlier run)")
        result = safe_query(args.keep / "ws")
        print(json.dumps(result, indent=2))
        return None
    folder = args.keep or Path(tempfile.mkdtemp(prefix="pilotage-kpis-"))
    if args.keep and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "scale": args.scale,
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
    }
    try:
        script = [sys.executable, __file__, "--stage", "prepare", "--dir", str(folder)]
        seconds, peak, out = run_child(
            [*script, "--scale", str(args.scale), "--slow-rows", str(args.slow_rows)]
        )
        report["prepare"] = {**json.loads(out), "seconds": round(seconds, 2), "peak_rss_mib": peak}
        print(
            f"prepared the demo at scale {args.scale} in {seconds:.1f} s (peak RSS {peak:.0f} MiB)",
            flush=True,
        )
        # What every `pilotage load` pays before reading a row: start-up, workspace, log.
        tiny = folder / "tiny"
        from pilotage.services.workspaces import init_workspace

        init_workspace(tiny / "ws", name="start-up")
        (tiny / "one.csv").write_text("date,channel,campaign_id,cost\n2026-03-01,email,c,1\n")
        report["cli_overhead_s"] = cli_load(tiny / "ws", "spend", tiny / "one.csv")["seconds"]
        report["load"] = {}
        for table in CSV_TABLES:
            step = cli_load(folder / "ws", table, folder / f"{table}.csv")
            loading = max(step["seconds"] - report["cli_overhead_s"], 0.01)
            step["rows_per_s_after_startup"] = round(step["rows"] / loading)
            report["load"][table] = step
            print(f"pilotage load {table}: {report['load'][table]}", flush=True)
        if args.slow_rows:
            sample = folder / "touchpoints_sample.csv"
            for name, loader in (("fast", cli_load), ("python", python_load)):
                root = folder / f"ws_{name}"
                init_workspace(root, name=f"{name} path")
                report[f"sample_{name}"] = loader(root, "touchpoints", sample)
                print(f"{name} path on the sample: {report[f'sample_{name}']}", flush=True)
        report["query"] = safe_query(folder / "ws")
        report["load_average_at_end"] = os.getloadavg()
        report["peak_rss_children_mib"] = _mib(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print_table(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return None


def print_table(report: dict[str, Any]) -> None:
    lines = [("step", "rows", "seconds", "CPU s", "rows/s", "peak RSS MiB")]
    prep = report["prepare"]
    total = f"{sum(prep['rows'].values()):,}"
    lines.append(
        (
            "demo generate + CSV + other tables",
            total,
            f"{prep['seconds']:.1f}",
            "",
            "",
            f"{prep['peak_rss_mib']:.0f}",
        )
    )
    overhead = report["cli_overhead_s"]
    lines.append(("pilotage load start-up (1-row file)", "1", f"{overhead:.2f}", "", "", ""))
    steps = [(f"pilotage load {t}", s) for t, s in report["load"].items()]
    steps += [
        (f"touchpoints sample, {n} path", report[f"sample_{n}"])
        for n in ("fast", "python")
        if f"sample_{n}" in report
    ]
    for label, step in steps:
        lines.append(
            (
                label,
                f"{step['rows']:,}",
                f"{step['seconds']:.2f}",
                f"{step.get('cpu_s', 0):.1f}",
                f"{step['rows_per_s']:,}",
                f"{step['peak_rss_mib']:.0f}",
            )
        )
    q = report["query"]
    if "cold_s" in q:
        label = f"{len(q['metrics'])} metrics x channel x month" if "metrics" in q else q["engine"]
        lines.append(
            (
                f"query cold ({label})",
                str(q["result_rows"]),
                f"{q['cold_s']:.3f}",
                "",
                "",
                f"{q['peak_rss_mib']:.0f}",
            )
        )
        lines.append(
            (f"query warm, median of {WARM_RUNS}", "", f"{q['warm_median_s']:.3f}", "", "", "")
        )
    widths = [max(len(row[i]) for row in lines) for i in range(len(lines[0]))]
    for row in lines:
        cells = zip(row, widths, strict=True)
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells)))
    if q.get("rejected"):
        print("metrics kpi_table rejected (skipped):")
        for metric, why in q["rejected"].items():
            print(f"  {metric}: {why}")
    print(f"engine: {q['engine']}; metrics: {', '.join(q.get('metrics', []))}")
    if "error" in q:
        print(f"the query step failed: {q['error']}")
    print(
        f"load average at start {report['load_average_at_start']}, "
        f"at end {report['load_average_at_end']} ({report['cpus']} CPUs)"
    )


if __name__ == "__main__":
    main()
