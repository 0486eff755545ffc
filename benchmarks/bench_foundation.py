"""Foundation benchmark: demo build, loading a large CSV, re-loading it, KPI queries.

Run by hand (never in CI):  .venv/bin/python benchmarks/bench_foundation.py [--scale 1.0]
Prints a table and writes benchmarks/out/foundation.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from pilotage.data.demo.config import DemoConfig
from pilotage.data.loader import load_file
from pilotage.services.demo import build_demo
from pilotage.services.kpis import channel_kpis
from pilotage.services.workspaces import analytics, init_workspace


def timed(label: str, results: list[dict[str, Any]], fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.append({"step": label, "seconds": round(seconds, 2), "peak_rss_mib": round(peak_mib)})
    print(f"{label:<46} {seconds:8.2f} s   peak RSS {peak_mib:7.0f} MiB", flush=True)
    return value


def touchpoints_csv(path: Path, rows: int, seed: int = 7) -> None:
    """A touchpoints file in French conventions (';', day-first dates with time)."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 365 * 86400, rows)
    base = np.datetime64("2025-01-01T00:00:00")
    stamps = (base + seconds.astype("timedelta64[s]")).astype(str)
    day_first = [f"{s[8:10]}/{s[5:7]}/{s[0:4]} {s[11:16]}" for s in stamps]
    channels = np.array(["paid_search", "email", "organic_search", "paid_social", "direct"])
    table = pa.table(
        {
            "touched_at": day_first,
            "person_id": [f"p{i}" for i in rng.integers(0, rows // 20, rows)],
            "channel": channels[rng.integers(0, len(channels), rows)],
            "touch_id": [f"t{i}" for i in range(rows)],
            "campaign_id": [f"c{i}" for i in rng.integers(0, 200, rows)],
        }
    )
    pacsv.write_csv(table, path, pacsv.WriteOptions(delimiter=";", quoting_style="none"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="demo company scale")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the CSV load")
    args = parser.parse_args()
    results: list[dict[str, Any]] = []
    tmp = Path(tempfile.mkdtemp(prefix="pilotage-bench-"))
    try:
        demo_root = tmp / "demo"
        timed(
            f"demo build (scale {args.scale}, 24 months)",
            results,
            lambda: build_demo(demo_root, DemoConfig(scale=args.scale)),
        )
        workspace = init_workspace(demo_root)
        with analytics(workspace) as store:
            timed(
                "kpis by channel (all time)",
                results,
                lambda: channel_kpis(store, workspace.settings),
            )
            timed(
                "kpis by channel and month",
                results,
                lambda: channel_kpis(store, workspace.settings, period="month"),
            )
            timed(
                "kpis by campaign and week",
                results,
                lambda: channel_kpis(store, workspace.settings, by="campaign", period="week"),
            )
        csv_path = tmp / "touchpoints.csv"
        touchpoints_csv(csv_path, args.rows)
        load_root = tmp / "load"
        ws = init_workspace(load_root)
        with analytics(ws, write=True) as store:
            timed(
                f"load {args.rows:,} touchpoints (CSV ';', dd/mm/yyyy)",
                results,
                lambda: load_file(store, ws.settings, "touchpoints", csv_path),
            )
            timed(
                "re-load the same file (all unchanged)",
                results,
                lambda: load_file(store, ws.settings, "touchpoints", csv_path),
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "foundation.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out / 'foundation.json'}")


if __name__ == "__main__":
    main()
