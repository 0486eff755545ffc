"""Alert detection: false-alarm rate and power of the weekly anomaly detector, and what a
run finds on the demo company.

Run by hand (never in CI):
    .venv/bin/python benchmarks/alerts_detection.py [--series 400] [--demo DIR] [--json PATH]

1. Null series: 104 complete weeks built like the demo's organic channels (level x trend
   x the demo's yearly seasonality x log-normal noise, Poisson counts), no change: any
   finding is a false alarm. Reported per series and level (events a week).
2. Power: the same series with the organic-social algorithm change (x 0.4 at 60 % of the
   period); a hit is a shift found within two weeks of the change.
3. The demo (``--demo``, a workspace built by ``pilotage demo``; its ground truth names the
   change): every change a run finds, and whether the ground truth explains it.
Prints a table and writes benchmarks/results/alerts_detection.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from pilotage.core.monitoring.anomaly import detect
from pilotage.data.demo.config import DemoConfig, build_calendar
from pilotage.data.demo.truth import baseline_multiplier, organic_social_factor

LEVELS = (30, 100, 300, 1000, 10_000)
NOISE_SD_LOG = 0.06


def simulate(series: int, seed: int = 2026) -> list[dict[str, Any]]:
    cal = build_calendar(DemoConfig())
    full = cal.week_days == 7
    factor = organic_social_factor(cal)[full]
    change_week = int(np.flatnonzero(factor < 1)[0])
    rng = np.random.default_rng(seed)
    rows = []
    for level in LEVELS:
        false_alarms = hits = 0
        for _ in range(series):
            base = level * baseline_multiplier(cal)[full]
            noisy = base * np.exp(rng.normal(0.0, NOISE_SD_LOG, len(base)))
            if detect(rng.poisson(noisy).astype(np.float64)) is not None:
                false_alarms += 1
            found = detect(rng.poisson(noisy * factor).astype(np.float64))
            if found is not None and found.kind == "shift":
                hits += abs(found.start - change_week) <= 2
        rows.append(
            {
                "events_per_week": level,
                "series": series,
                "false_alarm_rate": false_alarms / series,
                "power_60pct_drop": hits / series,
            }
        )
    return rows


def on_demo(root: Path) -> dict[str, Any]:
    from pilotage.data.workspace import GROUND_TRUTH_FILE, open_workspace
    from pilotage.services.alerts import detect_changes
    from pilotage.services.workspaces import analytics

    truth = json.loads((root / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    ws = open_workspace(root)
    start = time.perf_counter()
    with analytics(ws) as store:
        found, coverage, _ = detect_changes(store, ws.settings, today=datetime.date(2026, 11, 3))
    seconds = time.perf_counter() - start
    change = truth["algorithm_change"]
    anomalies = [c for c in found if c.rule == "anomaly"]
    return {
        "seconds": round(seconds, 1),
        "series_scored": coverage.scored,
        "series_skipped": len(coverage.skipped),
        "anomalies": [
            {
                "slice": c.slice_value or "total",
                "metric": c.metric_id,
                "kind": c.kind,
                "since": c.since.isoformat(),
                "change": round(c.change_rel or 0.0, 3),
                "severity": c.severity,
            }
            for c in anomalies
        ],
        "algorithm_change_found": any(
            c.slice_value == change["channel"] and c.since.isoformat() == change["date"]
            for c in anomalies
        ),
        "pacing_and_drift": len(found) - len(anomalies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=400)
    parser.add_argument("--demo", type=Path, default=None)
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "alerts_detection.json"
    )
    args = parser.parse_args()
    result: dict[str, Any] = {"simulated": simulate(args.series)}
    print(f"{'events/week':>12} {'false alarms':>13} {'power (-60%)':>13}")
    for row in result["simulated"]:
        print(
            f"{row['events_per_week']:>12} {row['false_alarm_rate']:>13.2%} "
            f"{row['power_60pct_drop']:>13.2%}"
        )
    if args.demo is not None:
        result["demo"] = on_demo(args.demo)
        demo = result["demo"]
        print(
            f"\ndemo: {demo['series_scored']} series scored in {demo['seconds']} s, "
            f"algorithm change found: {demo['algorithm_change_found']}"
        )
        for a in demo["anomalies"]:
            print(f"  {a['slice']:>15} {a['metric']:<18} {a['kind']:<6} {a['since']} {a['change']}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
