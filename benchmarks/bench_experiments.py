"""Experiments benchmark: analyse N unit rows stored in the workspace's DuckDB file. The
engine sums them into per-variant sufficient statistics; no unit row reaches Python.

Run by hand (never in CI):  .venv/bin/python benchmarks/bench_experiments.py [--rows 10000000]
Prints a table and writes benchmarks/out/experiments.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from pilotage.core.experiments.options import AnalysisSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.experiments import analyze_workspace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    rows = parser.parse_args().rows
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = AnalyticsStore.open(Path(tmp) / "analytics.duckdb")
        try:
            start = time.perf_counter()
            # Written straight with SQL: the benchmark measures the analysis, not the loader.
            store.con.execute(
                f"""CREATE TABLE experiments AS SELECT
                    'EXP-BENCH' AS experiment_id,
                    CASE WHEN i % 2 = 0 THEN 'A' ELSE 'B' END AS variant,
                    'u' || i AS unit_id, NULL::BIGINT AS units,
                    NULL::TIMESTAMPTZ AS exposed_at,
                    CASE WHEN random() < 0.10 + (i % 2) * 0.005 THEN 1.0 ELSE 0.0 END AS converted,
                    random() * 100 AS value, random() * 50 AS pre_value,
                    NULL::DOUBLE AS conversions, NULL::DOUBLE AS value_sum,
                    NULL::DOUBLE AS value_sum_squares, NULL::DOUBLE AS planned_share
                FROM range({rows}) t(i)"""
            )
            results.append(
                {"step": f"write {rows:,} unit rows", "seconds": time.perf_counter() - start}
            )
            for metric in ("conversion", "mean"):
                start = time.perf_counter()
                done = analyze_workspace(store, "EXP-BENCH", metric, AnalysisSettings())
                results.append(
                    {
                        "step": f"analyze {metric} ({done.decision})",
                        "seconds": time.perf_counter() - start,
                    }
                )
        finally:
            store.close()
    for r in results:
        print(f"{r['step']:<40} {r['seconds']:8.2f} s")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "experiments.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out / 'experiments.json'}")


if __name__ == "__main__":
    main()
