"""CLV benchmark: Pilotage's BG/NBD and Pareto/NBD fits against lifetimes, on generated data.

Run by hand (never in CI):

    .venv/bin/python benchmarks/clv.py [--customers 1000000] [--lifetimes-pareto-n 20000]

1. Generates two seeded customer summaries of ``--customers`` customers each (CSV
   ``frequency,recency,T`` in whole days): cohorts acquired uniformly over 84 days and
   observed to day 546 (CDNOW's design: 12 weeks of acquisition, 78 weeks in all), one
   drawn from the BG/NBD and one from the Pareto/NBD at the CDNOW estimates (weekly scale
   parameters times 7). A purchase at time t is recorded on day ceil(t).
2. Times Pilotage in a child process, as ``pilotage clv fit`` runs it
   (``core.clv.models.fit``: collapse to weighted unique rows, every starting point,
   the full-data optimum, standard errors): wall and CPU seconds, median of ``--repeat``.
   The file reader (``data.clv_files.read_summary``, with its row checks) is timed apart.
3. Installs lifetimes (MIT; never imported by Pilotage) into a throwaway venv under a
   temporary folder, with pins that work on Python 3.11 (it is unmaintained: its last
   release, 0.11.3, predates numpy 2 and pandas 2), and fits ``BetaGeoFitter`` on the
   same BG/NBD file and ``ParetoNBDFitter`` on the first ``--lifetimes-pareto-n``
   customers of the Pareto file only (on 1M customers it is reported to take over 10
   minutes; 20,000 take ~3 s here); Pilotage is fitted on that subset too.
4. Compares the parameters (equal at 3 significant digits, largest relative difference)
   and the log-likelihood of both parameter sets (evaluated by Pilotage on the same rows).

Both sides run one process at a time; the machine's load average is recorded before each
timing, and CPU seconds are given beside wall seconds (other work on the machine slows the
wall clock, not the CPU time). Prints a table and writes benchmarks/results/clv.json.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "clv.json"

#: CDNOW estimates (weeks) from Fader, Hardie and Lee (2005); scale parameters x 7 for days.
BGNBD_TRUTH = {"r": 0.243, "alpha": 4.414 * 7, "a": 0.793, "b": 2.426}
PARETO_TRUTH = {"r": 0.553, "alpha": 10.578 * 7, "s": 0.606, "beta": 11.669 * 7}
ACQUISITION_DAYS = 84
CALIBRATION_DAYS = 546
#: lifetimes and the libraries it needs, pinned to versions that work with Python 3.11.
LIFETIMES_PINS = (
    "lifetimes==0.11.3",
    "numpy==1.26.4",
    "pandas==1.5.3",
    "scipy==1.11.4",
    "autograd==1.6.2",
    "dill==0.3.8",
)


# -- data ---------------------------------------------------------------------------------


def summary_file(file: Path, model: str, customers: int, seed: int) -> dict[str, Any]:
    """Write a customer summary drawn from ``model``; returns what it holds."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from pilotage.core.clv import bgnbd, pareto_nbd

    rng = np.random.default_rng(seed)
    first = rng.integers(0, ACQUISITION_DAYS, customers)
    age = (CALIBRATION_DAYS - first).astype(np.float64)
    if model == "bgnbd":
        x, tx = bgnbd.simulate(np.array(list(BGNBD_TRUTH.values())), age, rng)
    else:
        x, tx = pareto_nbd.simulate(np.array(list(PARETO_TRUTH.values())), age, rng)
    recency = np.where(x > 0, np.minimum(np.ceil(tx), age), 0.0)
    pacsv.write_csv(
        pa.table(
            {
                "frequency": x.astype(np.int64),
                "recency": recency.astype(np.int64),
                "T": age.astype(np.int64),
            }
        ),
        file,
    )
    rows = np.unique(np.stack([x, recency, age]), axis=1).shape[1]
    return {
        "model": model,
        "customers": customers,
        "distinct_rows": rows,
        "repeat_buyers": int((x > 0).sum()),
        "mean_frequency": round(float(x.mean()), 3),
        "max_frequency": int(x.max()),
        "file_mib": round(file.stat().st_size / 2**20, 1),
    }


# -- phases (each in its own process) -----------------------------------------------------


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> float:
    return round(os.getloadavg()[0], 2)


def timed(fn: Any, repeat: int) -> tuple[Any, list[float], list[float]]:
    """(last value, wall seconds, CPU seconds of this process, all its threads)."""
    walls, cpus, value = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return value, walls, cpus


def head(data: Any, n: int) -> Any:
    from pilotage.core.clv.summary import Summary

    return Summary(
        data.frequency[:n], data.recency[:n], data.T[:n], data.weight[:n], data.monetary[:n]
    )


def estimate_of(done: Any) -> dict[str, Any]:
    c = done.convergence
    return {
        "params": done.params,
        "std_errors": done.std_errors,
        "log_likelihood": done.log_likelihood,
        "n_customers": done.n_customers,
        "distinct_rows": done.n_rows,
        "converged": c.converged,
        "gradient_norm": c.gradient_norm,
        "starts": c.starts,
        "starts_agreeing": c.starts_agreeing,
        "starts_customers": c.starts_customers,
    }


def phase_pilotage(work: Path, repeat: int, pareto_n: int) -> dict[str, Any]:
    from pilotage.core.clv.models import fit
    from pilotage.data.clv_files import read_summary

    out: dict[str, Any] = {}
    for model in ("bgnbd", "pareto_nbd"):
        data, read_wall, read_cpu = timed(
            lambda m=model: read_summary(work / f"{m}.csv", "continuous"), 1
        )
        out[f"{model}_read"] = {"wall": read_wall[0], "cpu": read_cpu[0]}
        out[model] = {"load_avg_1m": load()}
        done, walls, cpus = timed(lambda d=data, m=model: fit(m, d), repeat)
        out[model].update(wall=walls, cpu=cpus, estimate=estimate_of(done))
        if model == "pareto_nbd":
            subset = head(data, pareto_n)
            done, walls, cpus = timed(lambda d=subset: fit("pareto_nbd", d), repeat)
            out["pareto_nbd_subset"] = {
                "load_avg_1m": load(),
                "wall": walls,
                "cpu": cpus,
                "estimate": estimate_of(done),
            }
    out["peak_rss_mib"] = peak_rss_mib()
    return out


def phase_compare(work: Path, theirs: dict[str, Any], pareto_n: int) -> dict[str, Any]:
    """Pilotage's log-likelihood at lifetimes' parameters, on the rows each side fitted."""
    from pilotage.core.clv.mle import total
    from pilotage.core.clv.models import MODELS
    from pilotage.data.clv_files import read_summary

    out: dict[str, Any] = {}
    for model, key, n in (("bgnbd", "bgnbd", None), ("pareto_nbd", "pareto_nbd_subset", pareto_n)):
        if key not in theirs:
            continue
        data = read_summary(work / f"{model}.csv", "continuous")
        rows = head(data, n) if n else data
        spec = MODELS[model]  # type: ignore[index]
        params = np.array([theirs[key]["params"][name] for name in spec.names])
        out[key] = total(spec.log_likelihood, params, rows)[0]
    return out


LIFETIMES_SCRIPT = r"""
import json, resource, sys, time
start = time.perf_counter()
import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, ParetoNBDFitter
imported = time.perf_counter() - start
work, out, pareto_n, skip_bgnbd = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"

def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu

result = {"import_seconds": imported}
if not skip_bgnbd:
    data = pd.read_csv(f"{work}/bgnbd.csv")
    fitter = BetaGeoFitter()
    bg, wall, cpu = timed(lambda: fitter.fit(data["frequency"], data["recency"], data["T"]))
    result["bgnbd"] = {"wall": wall, "cpu": cpu, "customers": len(data),
                       "params": {k: float(v) for k, v in bg.params_.items()}}
data = pd.read_csv(f"{work}/pareto_nbd.csv").head(pareto_n)
pn, wall, cpu = timed(lambda: ParetoNBDFitter().fit(data["frequency"], data["recency"], data["T"]))
result["pareto_nbd_subset"] = {"wall": wall, "cpu": cpu, "customers": len(data),
                               "params": {k: float(v) for k, v in pn.params_.items()}}
result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
json.dump(result, open(out, "w"))
"""


def install_lifetimes(venv: Path) -> dict[str, Any]:
    start = time.perf_counter()
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *LIFETIMES_PINS],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return {"ok": False, "seconds": seconds, "error": (done.stderr or done.stdout)[-4000:]}
    return {"ok": True, "seconds": round(seconds, 1), "pins": list(LIFETIMES_PINS)}


def phase_lifetimes(venv: Path, work: Path, pareto_n: int, skip_bgnbd: bool) -> dict[str, Any]:
    script, out = work / "run_lifetimes.py", work / "lifetimes.json"
    script.write_text(LIFETIMES_SCRIPT, encoding="utf-8")
    started_load = load()
    done = subprocess.run(
        [
            str(venv / "bin" / "python"),
            str(script),
            str(work),
            str(out),
            str(pareto_n),
            "1" if skip_bgnbd else "0",
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return {"ok": False, "error": (done.stderr or done.stdout)[-4000:]}
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result.update(ok=True, load_avg_1m=started_load)
    return result


def run_phase(args: list[str]) -> dict[str, Any]:
    """This script in a child process (same interpreter); its JSON answer."""
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"phase {args[:2]} failed:\n{done.stderr[-4000:]}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


# -- report -------------------------------------------------------------------------------


def timing(walls: list[float], cpus: list[float]) -> dict[str, float]:
    return {
        "wall_median": round(statistics.median(walls), 3),
        "wall_min": round(min(walls), 3),
        "cpu_median": round(statistics.median(cpus), 3),
    }


def significant(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}")


def agreement(ours: dict[str, float], theirs: dict[str, float]) -> dict[str, Any]:
    return {
        "same_at_3_significant_digits": all(
            significant(ours[k]) == significant(theirs[k]) for k in ours
        ),
        "max_relative_difference": max(abs(ours[k] - theirs[k]) / abs(theirs[k]) for k in ours),
        "ours_3_significant": {k: significant(v) for k, v in ours.items()},
        "lifetimes_3_significant": {k: significant(v) for k, v in theirs.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument(
        "--lifetimes-pareto-n",
        type=int,
        default=20_000,
        help="customers lifetimes' Pareto/NBD is fitted on (the first of the file)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="Pilotage fits per timing")
    parser.add_argument("--lifetimes-venv", type=Path, help="reuse this venv for lifetimes")
    parser.add_argument("--skip-lifetimes", action="store_true")
    parser.add_argument("--skip-lifetimes-bgnbd", action="store_true")
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--theirs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phases: dict[str, Callable[[], Any]] = {
            "data": lambda: [
                summary_file(args.work / f"{m}.csv", m, args.customers, args.seed + i)
                for i, m in enumerate(("bgnbd", "pareto_nbd"))
            ],
            "pilotage": lambda: phase_pilotage(args.work, args.repeat, args.lifetimes_pareto_n),
            "compare": lambda: phase_compare(
                args.work,
                json.loads(args.theirs.read_text(encoding="utf-8")),
                args.lifetimes_pareto_n,
            ),
        }
        print(json.dumps(phases[args.phase]()))
        return
    report: dict[str, Any] = {"cpus": os.cpu_count(), "repeat": args.repeat}
    tmp = Path(tempfile.mkdtemp(prefix="pilotage-clv-bench-"))
    try:
        run(args, tmp, report)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    print(f"wrote {args.json}")


def run(args: argparse.Namespace, tmp: Path, report: dict[str, Any]) -> None:
    common = ["--work", str(tmp), "--customers", str(args.customers), "--seed", str(args.seed)]
    t = time.perf_counter()
    report["data"] = run_phase(["--phase", "data", *common])
    report["data_seconds"] = round(time.perf_counter() - t, 1)
    print(f"data: {report['data']}", flush=True)
    ours = run_phase(
        [
            "--phase",
            "pilotage",
            *common,
            "--repeat",
            str(args.repeat),
            "--lifetimes-pareto-n",
            str(args.lifetimes_pareto_n),
        ]
    )
    p: dict[str, Any] = {"peak_rss_mib": round(ours["peak_rss_mib"])}
    for key in ("bgnbd", "pareto_nbd", "pareto_nbd_subset"):
        p[key] = {
            "load_avg_1m": ours[key]["load_avg_1m"],
            **timing(ours[key]["wall"], ours[key]["cpu"]),
            **ours[key]["estimate"],
        }
    for key in ("bgnbd_read", "pareto_nbd_read"):
        p[key] = {k: round(v, 3) for k, v in ours[key].items()}
    report["pilotage"] = p
    print(f"pilotage: {json.dumps(p)}", flush=True)
    if args.skip_lifetimes:
        return
    venv = args.lifetimes_venv or tmp / "lifetimes-venv"
    install = install_lifetimes(venv)
    report["lifetimes_install"] = install
    if not install["ok"]:
        return
    theirs = phase_lifetimes(venv, tmp, args.lifetimes_pareto_n, args.skip_lifetimes_bgnbd)
    report["lifetimes"] = theirs
    print(f"lifetimes: {json.dumps(theirs)}", flush=True)
    if not theirs["ok"]:
        return
    (tmp / "theirs.json").write_text(json.dumps(theirs), encoding="utf-8")
    their_ll = run_phase(
        [
            "--phase",
            "compare",
            *common,
            "--theirs",
            str(tmp / "theirs.json"),
            "--lifetimes-pareto-n",
            str(args.lifetimes_pareto_n),
        ]
    )
    compared: dict[str, Any] = {}
    for key in ("bgnbd", "pareto_nbd_subset"):
        if key not in theirs:
            continue
        mine, other = p[key], theirs[key]
        compared[key] = {
            "customers": other["customers"],
            "speed_ratio_wall": round(other["wall"] / mine["wall_median"], 1),
            "speed_ratio_cpu": round(other["cpu"] / mine["cpu_median"], 1),
            "log_likelihood_ours": round(mine["log_likelihood"], 4),
            "log_likelihood_at_lifetimes_params": round(their_ll[key], 4),
            **agreement(mine["params"], other["params"]),
        }
    report["comparison"] = compared


def print_table(report: dict[str, Any]) -> None:
    rows: list[tuple[str, str, str]] = []
    for d in report["data"]:
        rows.append(
            (
                f"data {d['model']}",
                f"{d['customers']:,} customers",
                f"{d['distinct_rows']:,} distinct rows, max x {d['max_frequency']}",
            )
        )
    p = report["pilotage"]
    targets = {"bgnbd": "target < 2 s", "pareto_nbd": "target < 20 s", "pareto_nbd_subset": ""}
    for key, target in targets.items():
        s = p[key]
        rows.append(
            (
                f"pilotage {key} ({s['n_customers']:,.0f})",
                f"{s['wall_median']:.2f} s wall",
                f"CPU {s['cpu_median']:.2f} s, load {s['load_avg_1m']}, {target}",
            )
        )
    for key in ("bgnbd_read", "pareto_nbd_read"):
        rows.append((f"pilotage read {key[:-5]} file", f"{p[key]['wall']:.2f} s wall", ""))
    theirs = report.get("lifetimes")
    if theirs and theirs.get("ok"):
        for key in ("bgnbd", "pareto_nbd_subset"):
            if key in theirs:
                s = theirs[key]
                rows.append(
                    (
                        f"lifetimes {key} ({s['customers']:,})",
                        f"{s['wall']:.2f} s wall",
                        f"CPU {s['cpu']:.2f} s, load {theirs['load_avg_1m']}",
                    )
                )
        for key, c in report.get("comparison", {}).items():
            rows.append(
                (
                    f"ratio lifetimes/pilotage {key}",
                    f"{c['speed_ratio_wall']}x wall",
                    f"{c['speed_ratio_cpu']}x CPU",
                )
            )
            rows.append(
                (
                    f"params {key} at 3 digits",
                    "same" if c["same_at_3_significant_digits"] else "DIFFERENT",
                    f"max rel. diff {c['max_relative_difference']:.1e}",
                )
            )
            rows.append(
                (
                    f"log-lik. {key}",
                    f"ours {c['log_likelihood_ours']:.2f}",
                    f"at lifetimes' params {c['log_likelihood_at_lifetimes_params']:.2f}",
                )
            )
    elif "lifetimes_install" in report and not report["lifetimes_install"]["ok"]:
        rows.append(("lifetimes install", "FAILED", "see JSON"))
    for label, a, b in rows:
        print(f"{label:<40} {a:>22}   {b}")


if __name__ == "__main__":
    main()
