"""Mix model benchmark: speed of a full posterior, and recovery of a known truth.

Run by hand (never in CI):

    .venv/bin/python benchmarks/mmm.py [--seeds 5] [--scenarios reference,noisy,multiplicative]

Each fit runs in a fresh child process (imports and JAX compilation included, as a user's
``pilotage mmm fit`` would) on a simulated table of 156 weeks x 10 channels with a known truth
(``pilotage.core.mmm.simulate``: a trend that bends, yearly seasons, French holidays, a price
control, four spend patterns, per-channel carry-over, Hill saturation and ROAS). The fit is
the product's default: NUTS, 4 chains of 250 warmup + 250 kept draws run side by side. The
``calibrated`` scenario adds one lift test (12 weeks, 15 % standard error) to each channel
whose spend follows the seasons or bursts over a floor, the two patterns that the data alone
can hardly separate from the baseline.

Per fit it records wall and CPU seconds (user + system of the child and its threads), the
machine's 1-minute load when the fit started, R-hat, ESS, divergences, and per channel the
true ROAS against the posterior (mean, 50 % and 90 % intervals). Per scenario it reports the
share of channels whose true ROAS is inside the 90 % interval (and the 50 % one: a calibrated
posterior covers about half), and the median absolute relative error of the posterior-mean
ROAS. Targets (issue 8): wall < 60 s, 90 % coverage >= 80 %, median error <= 15 %.

Prints a table and writes benchmarks/results/mmm.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "mmm.json"
WEEKS, CHANNELS = 156, 10
TARGETS = {"wall_seconds": 60.0, "coverage_90": 0.8, "median_abs_roas_error": 0.15}
#: Simulation settings per scenario (``simulate`` keyword arguments).
SCENARIOS: dict[str, dict[str, Any]] = {
    "reference": {"noise": 0.02, "media_share": 0.4},
    "noisy": {"noise": 0.04, "media_share": 0.4},
    "multiplicative": {"noise": 0.02, "media_share": 0.4, "multiplicative": True},
    "calibrated": {"noise": 0.02, "media_share": 0.4},
}
#: Scenarios whose hard-to-identify channels (spend that follows the seasons, bursts over an
#: always-on floor: patterns 2 and 3 of ``simulate``) each get one lift test: 12 weeks, the
#: true ROAS of those weeks measured with a 15 % standard error.
LIFT_TESTS = {"calibrated"}
LIFT_WEEKS = (40, 52)
LIFT_SE = 0.15


def one_fit(scenario: str, seed: int) -> dict[str, Any]:
    """Simulate, fit and score one table (runs inside the child process)."""
    start_wall = time.perf_counter()
    import numpy as np

    from pilotage.core.mmm.model import fit
    from pilotage.core.mmm.simulate import simulate
    from pilotage.core.mmm.spec import ModelSpec

    sim = simulate(n_weeks=WEEKS, n_channels=CHANNELS, seed=seed, **SCENARIOS[scenario])
    lifts = _lift_tests(sim, seed) if scenario in LIFT_TESTS else ()
    spec = ModelSpec(channels=sim.data.channels, holidays="FR", seed=seed, calibration=lifts)
    model = fit(sim.data, spec)
    wall = time.perf_counter() - start_wall
    usage = resource.getrusage(resource.RUSAGE_SELF)
    roas = model.draws["roas"]
    q = np.percentile(roas, [5, 25, 75, 95], axis=0)
    return {
        "scenario": scenario,
        "seed": seed,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "rhat_max": round(model.diagnostics.rhat_max, 4),
        "ess_min": round(model.diagnostics.ess_min, 1),
        "divergences": model.diagnostics.divergences,
        "status": model.diagnostics.status,
        "channels": [
            {
                "true_roas": round(float(sim.true_roas[k]), 4),
                "mean": round(float(roas[:, k].mean()), 4),
                "low_90": round(float(q[0, k]), 4),
                "low_50": round(float(q[1, k]), 4),
                "high_50": round(float(q[2, k]), 4),
                "high_90": round(float(q[3, k]), 4),
            }
            for k in range(CHANNELS)
        ],
    }


def _lift_tests(sim: Any, seed: int) -> tuple[Any, ...]:
    import datetime

    import numpy as np

    from pilotage.core.mmm.simulate import SPEND_PATTERNS
    from pilotage.core.mmm.spec import LiftCalibration

    rng = np.random.default_rng([seed, 2])
    first, last = LIFT_WEEKS
    weeks = sim.data.weeks
    out = []
    for k, channel in enumerate(sim.data.channels):
        if SPEND_PATTERNS[k % len(SPEND_PATTERNS)] not in ("seasonal", "bursts"):
            continue
        true = sim.true_contribution[first:last, k].sum() / sim.data.spend[first:last, k].sum()
        measured = true * (1.0 + LIFT_SE * rng.standard_normal())
        end = weeks[last - 1] + datetime.timedelta(days=6)
        out.append(LiftCalibration(channel, measured, LIFT_SE * true, weeks[first], end, "test"))
    return tuple(out)


def _child(scenario: str, seed: int) -> dict[str, Any]:
    load = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, __file__, "--one", scenario, str(seed)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["load_avg_1m"] = round(load, 2)
    return result


def _summary(fits: list[dict[str, Any]]) -> dict[str, Any]:
    rows = [c for f in fits for c in f["channels"]]
    inside_90 = [c["low_90"] <= c["true_roas"] <= c["high_90"] for c in rows]
    inside_50 = [c["low_50"] <= c["true_roas"] <= c["high_50"] for c in rows]
    errors = [abs(c["mean"] / c["true_roas"] - 1.0) for c in rows]
    patterns = ("always_on", "flighted", "seasonal", "bursts")  # simulate's, by channel index
    by_pattern = {
        name: round(
            statistics.median(
                abs(c["mean"] / c["true_roas"] - 1.0)
                for f in fits
                for k, c in enumerate(f["channels"])
                if k % len(patterns) == p
            ),
            4,
        )
        for p, name in enumerate(patterns)
    }
    walls = [f["wall_seconds"] for f in fits]
    cpus = [f["cpu_seconds"] for f in fits]
    out = {
        "fits": len(fits),
        "channels": len(rows),
        "coverage_90": round(sum(inside_90) / len(rows), 3),
        "coverage_50": round(sum(inside_50) / len(rows), 3),
        "median_abs_roas_error": round(statistics.median(errors), 4),
        "median_abs_roas_error_by_spend_pattern": by_pattern,
        "fits_meeting_coverage_90": sum(
            sum(c["low_90"] <= c["true_roas"] <= c["high_90"] for c in f["channels"])
            >= TARGETS["coverage_90"] * CHANNELS
            for f in fits
        ),
        "wall_seconds": {"median": statistics.median(walls), "max": max(walls)},
        "cpu_seconds": {"median": statistics.median(cpus), "max": max(cpus)},
        "rhat_max": max(f["rhat_max"] for f in fits),
        "ess_min": min(f["ess_min"] for f in fits),
        "divergences": sum(f["divergences"] for f in fits),
    }
    out["meets_targets"] = {
        "wall_seconds": out["wall_seconds"]["max"] < TARGETS["wall_seconds"],
        "coverage_90": out["coverage_90"] >= TARGETS["coverage_90"],
        "median_abs_roas_error": out["median_abs_roas_error"] <= TARGETS["median_abs_roas_error"],
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--one", nargs=2, metavar=("SCENARIO", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_fit(args.one[0], int(args.one[1]))))
        return
    names = [s for s in args.scenarios.split(",") if s]
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenarios {unknown}; known: {', '.join(SCENARIOS)}")
    report: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "weeks": WEEKS,
        "channels": CHANNELS,
        "sampler": "NUTS, 4 chains x (250 warmup + 250 draws), chains in parallel",
        "targets": TARGETS,
        "scenarios": {},
    }
    header = f"{'scenario':<15}{'seed':>5}{'wall s':>8}{'cpu s':>7}{'load':>6}{'rhat':>7}"
    print(header + f"{'ess':>6}{'div':>5}{'cov90':>7}{'med err':>9}")
    for name in names:
        fits = []
        for seed in range(args.seeds):
            f = _child(name, seed)
            fits.append(f)
            part = _summary([f])
            print(
                f"{name:<15}{seed:>5}{f['wall_seconds']:>8.1f}{f['cpu_seconds']:>7.1f}"
                f"{f['load_avg_1m']:>6.1f}{f['rhat_max']:>7.3f}{f['ess_min']:>6.0f}"
                f"{f['divergences']:>5}{part['coverage_90']:>7.2f}"
                f"{part['median_abs_roas_error']:>9.3f}",
                flush=True,
            )
        report["scenarios"][name] = {
            "simulation": SCENARIOS[name],
            "summary": _summary(fits),
            "fits": fits,
        }
    for name in names:
        s = report["scenarios"][name]["summary"]
        print(
            f"{name}: coverage 90 % {s['coverage_90']:.0%} (50 %: {s['coverage_50']:.0%}), "
            f"median |ROAS error| {s['median_abs_roas_error']:.1%}, wall median "
            f"{s['wall_seconds']['median']:.1f} s (max {s['wall_seconds']['max']:.1f}), CPU median "
            f"{s['cpu_seconds']['median']:.1f} s; targets met: {s['meets_targets']}"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
