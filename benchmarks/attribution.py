"""Attribution benchmark: Pilotage against ChannelAttribution, and 10M raw touchpoints.

Run by hand (never in CI):

    .venv/bin/python benchmarks/attribution.py [--journeys 1000000] [--touchpoints 10000000]

1. Generates a seeded aggregated path file of ``--journeys`` journeys (CSV
   ``path,total_conversions,total_conversion_value,total_null``, 13 channels, geometric path
   lengths with a mean of about 3.3 touches, order-1 channel transitions, conversions that
   depend on the channels touched).
2. Times Pilotage on it (the functions the CLI uses: read the file once, then each
   rule-based model the file can feed and Markov order 1).
3. Installs ChannelAttribution (GPL; never imported by Pilotage) into a throwaway venv under a
   temporary folder and runs its heuristic models and ``markov_model`` (order 1) on the same
   file in a subprocess of that venv; reports times, the speed ratio and the per-channel
   differences (theirs: simulated removal effects; ours: exact).
4. Generates ``--touchpoints`` raw touchpoints (and conversions, people) straight into a
   workspace's DuckDB store through the normal load path (``store_typed``), then times the
   journey building (Ibis window expressions; only path counts reach Python) with the
   models ``last`` and ``markov`` (order 1).

Every phase runs in its own child process, which reports its own peak RSS (ru_maxrss).
Prints a table and writes benchmarks/results/attribution.json.
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
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "attribution.json"

CHANNELS = (
    "direct",
    "organic_search",
    "paid_search",
    "email",
    "paid_social",
    "organic_social",
    "display",
    "video",
    "referral",
    "affiliates",
    "webinars",
    "content",
    "partners",
)
#: Rule-based models an aggregated path file with no ages and no milestone tags can feed;
#: time_decay needs ages, u/w-shaped and full path need [lead]/[opp]/[won] tags.
FILE_RULES = ("first", "last", "last_non_direct", "linear", "position")
#: Pilotage model -> ChannelAttribution heuristic column prefix.
HEURISTIC_PAIRS = {"first": "first_touch", "last": "last_touch", "linear": "linear_touch"}
#: A channel name no path has: with it as ``direct``, no path is set aside as unattributed,
#: as ChannelAttribution does (it credits direct-only paths to direct).
NO_DIRECT = "\x00none"
GIB = 1024**3


# -- data ---------------------------------------------------------------------------------


def journeys_matrix(n: int, seed: int, max_len: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """(n, max_len) int8 channel ids padded with -1, and (n,) lengths. Lengths are geometric
    (P(1) = 0.3, mean ~3.3, capped); the first channel and each next one follow an
    order-1 chain with some stickiness (email > email)."""
    rng = np.random.default_rng(seed)
    k = len(CHANNELS)
    first = rng.dirichlet(np.full(k, 2.0))
    first[0] *= 2.5  # direct is a common first touch
    first /= first.sum()
    step = rng.dirichlet(np.full(k, 0.8), size=k)
    step = 0.75 * step + 0.25 * np.eye(k)
    lengths = np.minimum(rng.geometric(0.3, size=n), max_len)
    touches = np.full((n, max_len), -1, dtype=np.int8)
    touches[:, 0] = _draw(rng, np.broadcast_to(np.cumsum(first), (n, k)))
    cum = np.cumsum(step, axis=1)
    for pos in range(1, max_len):
        rows = np.flatnonzero(lengths > pos)
        if not len(rows):
            break
        touches[rows, pos] = _draw(rng, cum[touches[rows, pos - 1]])
    return touches, lengths


def _distinct_rows(touches: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n,) group of each row of the padded matrix and (groups,) a first row of each: rows
    are packed 4 bits per touch into 64-bit words and sorted (np.unique(axis=0) is slow)."""
    n, width = touches.shape
    digits = (touches.astype(np.int64) + 1).astype(np.uint64)
    words = []
    for start in range(0, width, 16):
        chunk = digits[:, start : start + 16]
        shifts = (np.arange(chunk.shape[1], dtype=np.uint64) * np.uint64(4))[None, :]
        words.append(np.bitwise_or.reduce(chunk << shifts, axis=1))
    order = np.lexsort(words[::-1])
    new = np.ones(n, dtype=bool)
    new[1:] = np.any([np.diff(w[order]) != 0 for w in words], axis=0)
    group = np.empty(n, dtype=np.int64)
    group[order] = np.cumsum(new) - 1
    return group, order[new]


def _draw(rng: np.random.Generator, cum: np.ndarray) -> np.ndarray:
    u = rng.random(len(cum))[:, None]
    return np.minimum((u > cum).sum(axis=1), cum.shape[1] - 1).astype(np.int8)


def path_file(file: Path, journeys: int, seed: int) -> dict[str, Any]:
    """Write the aggregated path file; returns what it holds."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    touches, lengths = journeys_matrix(journeys, seed)
    rng = np.random.default_rng(seed + 1)
    hazard = rng.uniform(0.004, 0.035, len(CHANNELS))
    hazard[0] = 0.006  # direct barely converts on its own
    miss = np.where(touches >= 0, 1.0 - hazard[touches.clip(0)], 1.0).prod(axis=1)
    converted = rng.random(journeys) < 1.0 - miss
    value = np.where(converted, rng.lognormal(np.log(80.0), 0.8, journeys), 0.0)
    group, first = _distinct_rows(touches)
    n = len(first)
    conversions = np.bincount(group, converted, n)
    values = np.round(np.bincount(group, value, n), 2)
    nulls = np.bincount(group, ~converted, n)
    kept = touches[first]
    ids = kept[kept >= 0].astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths[first])]).astype(np.int32)
    names = pa.array(CHANNELS).take(pa.array(ids))
    paths = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), names), ">")
    table = pa.table(
        {
            "path": paths,
            "total_conversions": conversions.astype(np.int64),
            "total_conversion_value": values,
            "total_null": nulls.astype(np.int64),
        }
    )
    pacsv.write_csv(table, file)
    return {
        "journeys": journeys,
        "distinct_paths": n,
        "touches": int(lengths.sum()),
        "mean_length": round(float(lengths.mean()), 2),
        "conversions": int(converted.sum()),
        "conversion_value": round(float(value.sum()), 2),
        "channels": len(CHANNELS),
        "file_mib": round(file.stat().st_size / 2**20, 1),
    }


# -- phases (each in its own process) -----------------------------------------------------


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_runs(fn: Any, repeat: int) -> tuple[Any, list[float]]:
    seconds, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        seconds.append(time.perf_counter() - start)
    return value, seconds


def credits_of(result: Any) -> dict[str, list[float]]:
    return {c.channel: [c.conversions, c.value] for c in result.channels}


def phase_pilotage(file: Path, repeat: int) -> dict[str, Any]:
    """Read the file once, then every rule model it can feed and Markov order 1."""
    from pilotage.core.attribution.options import ModelOptions
    from pilotage.services.attribution import read_paths, run_model

    counts, read_s = timed_runs(lambda: read_paths(file), repeat)
    models: dict[str, Any] = {name: {"seconds": []} for name in (*FILE_RULES, "markov")}
    options = ModelOptions(order=1)
    for _ in range(repeat):
        # A fresh copy per pass: models share what one pass derives from the paths (the
        # attributable split), as ``--model all`` does, but nothing carries over passes.
        fresh = replace(counts)
        for name, model in models.items():
            start = time.perf_counter()
            result = run_model(fresh, name, options)
            model["seconds"].append(time.perf_counter() - start)
            model["credits"] = credits_of(result)
            model["unattributed"] = [result.unattributed.conversions, result.unattributed.value]
    # Like for like with ChannelAttribution: no path set aside as unattributed.
    alike = ModelOptions(order=1, direct=NO_DIRECT)
    same = {n: credits_of(run_model(counts, n, alike)) for n in (*HEURISTIC_PAIRS, "markov")}
    return {
        "read_seconds": read_s,
        "distinct_paths": counts.n_paths,
        "models": models,
        "like_for_like": same,
        "peak_rss_mib": peak_rss_mib(),
    }


CA_SCRIPT = r"""
import json, resource, sys, time
start = time.perf_counter()
import pandas as pd
from ChannelAttribution import heuristic_models, markov_model
imported = time.perf_counter() - start
file, out, repeat, ncore = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def runs(fn):
    seconds, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        seconds.append(time.perf_counter() - t)
    return value, seconds

data, read_s = runs(lambda: pd.read_csv(file))
heur, heur_s = runs(lambda: heuristic_models(
    data, "path", "total_conversions", var_value="total_conversion_value", sep=">"))
mark, mark_s = runs(lambda: markov_model(
    data, "path", "total_conversions", var_value="total_conversion_value",
    var_null="total_null", order=1, sep=">", ncore=ncore, seed=7, verbose=0))
other_seed = markov_model(
    data, "path", "total_conversions", var_value="total_conversion_value",
    var_null="total_null", order=1, sep=">", ncore=ncore, seed=8, verbose=0)
json.dump({
    "markov_seed_8": other_seed.to_dict(orient="list"),
    "import_seconds": imported,
    "read_seconds": read_s,
    "heuristic_seconds": heur_s,
    "markov_seconds": mark_s,
    "heuristic": heur.to_dict(orient="list"),
    "markov": mark.to_dict(orient="list"),
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}, open(out, "w"))
"""


def install_channelattribution(venv: Path) -> dict[str, Any]:
    """A throwaway venv with ChannelAttribution (built from source if PyPI has no wheel).
    Its 2.2.5 imports matplotlib without declaring it, so matplotlib is installed too."""
    start = time.perf_counter()
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "ChannelAttribution",
            "matplotlib",
        ],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return {"ok": False, "seconds": seconds, "error": (done.stderr or done.stdout)[-4000:]}
    version = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "show", "ChannelAttribution"],
        capture_output=True,
        text=True,
    ).stdout
    found = [line.split(":", 1)[1].strip() for line in version.splitlines() if "Version" in line]
    return {"ok": True, "seconds": seconds, "version": found[0] if found else "?"}


def phase_channelattribution(
    venv: Path, file: Path, work: Path, repeat: int, ncore: int
) -> dict[str, Any]:
    script, out = work / "run_ca.py", work / "ca.json"
    script.write_text(CA_SCRIPT, encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run(
        [str(venv / "bin" / "python"), str(script), str(file), str(out), str(repeat), str(ncore)],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        return {"ok": False, "error": (done.stderr or done.stdout)[-4000:]}
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result.update(ok=True, process_seconds=wall)
    return result


def raw_tables(n_touches: int, seed: int, n_people: int) -> tuple[dict[str, Any], dict[str, int]]:
    """people, touchpoints, conversions (purchases) as canonical Arrow tables.

    Touches are spread over 24 months; ~12% are anonymous-id touches, two thirds of which
    carry no person (stitched through the person's identified touches). A person's
    purchase probability grows with the channels they touched; each purchase is at a random
    one of their touches (plus up to a day), so touches after it are outside its journey.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from pilotage.data.schema import TABLES, arrow_schema

    rng = np.random.default_rng(seed)
    k = len(CHANNELS)
    start_us = np.datetime64("2024-11-01T00:00:00", "us").astype(np.int64)
    span_us = 730 * 86_400 * 1_000_000
    person = np.sort(rng.integers(0, n_people, n_touches))
    taste = rng.dirichlet(np.full(k, 0.7), size=n_people)
    channel = _draw(rng, np.cumsum(taste, axis=1)[person])
    touched = start_us + rng.integers(0, span_us, n_touches)
    anonymous = rng.random(n_touches) < 0.12
    no_person = anonymous & (rng.random(n_touches) < 2 / 3)
    hazard = rng.uniform(0.01, 0.08, k)
    hazard[0] = 0.005
    touched_any = np.zeros((n_people, k), dtype=bool)
    touched_any[person, channel] = True
    p_buy = 1.0 - np.prod(np.where(touched_any, 1.0 - hazard, 1.0), axis=1)
    buyers = np.flatnonzero(rng.random(n_people) < p_buy)
    first_touch = np.searchsorted(person, np.arange(n_people))
    counts = np.bincount(person, minlength=n_people)
    buyers = buyers[counts[buyers] > 0]
    at = first_touch[buyers] + rng.integers(0, counts[buyers])
    converted = touched[at] + rng.integers(0, 86_400 * 1_000_000, len(buyers))

    def ids(prefix: str, numbers: np.ndarray) -> pa.Array:
        return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")

    def table(name: str, columns: dict[str, pa.Array]) -> pa.Table:
        schema = arrow_schema(TABLES[name])
        rows = len(next(iter(columns.values())))
        return pa.table(
            {
                f.name: columns[f.name] if f.name in columns else pa.nulls(rows, f.type)
                for f in schema
            },
            schema=schema,
        )

    ts = pa.timestamp("us", tz="UTC")
    person_ids = ids("p", person)
    touch = table(
        "touchpoints",
        {
            "touched_at": pa.array(touched, ts),
            "channel": pa.array(np.array(CHANNELS)[channel]),
            "person_id": pc.if_else(
                pa.array(no_person), pa.nulls(n_touches, pa.string()), person_ids
            ),
            "anonymous_id": pc.if_else(
                pa.array(anonymous), ids("a", person), pa.nulls(n_touches, pa.string())
            ),
            "touch_id": ids("t", np.arange(n_touches)),
        },
    )
    del person_ids
    people = table(
        "people",
        {
            "person_id": ids("p", np.arange(n_people)),
            "created_at": pa.array(
                np.where(counts > 0, touched[np.minimum(first_touch, n_touches - 1)], start_us),
                ts,
            ),
        },
    )
    purchases = table(
        "conversions",
        {
            "converted_at": pa.array(converted, ts),
            "conversion_type": pa.array(["purchase"] * len(buyers)),
            "person_id": ids("p", buyers),
            "conversion_id": ids("c", np.arange(len(buyers))),
            "value": pa.array(np.round(rng.lognormal(np.log(120.0), 0.7, len(buyers)), 2)),
            "currency": pa.array(["EUR"] * len(buyers)),
        },
    )
    sizes = {"people": n_people, "touchpoints": n_touches, "conversions": len(buyers)}
    return {"people": people, "touchpoints": touch, "conversions": purchases}, sizes


def phase_raw_build(root: Path, n_touches: int, seed: int) -> dict[str, Any]:
    """Generate the raw tables and load them through ``store_typed`` (the demo's load)."""
    import hashlib

    import pyarrow as pa

    from pilotage.data.loader import store_typed
    from pilotage.data.typed import TypedTable
    from pilotage.services.workspaces import analytics, init_workspace

    start = time.perf_counter()
    tables, sizes = raw_tables(n_touches, seed, n_people=max(1, n_touches // 10))
    generated = time.perf_counter() - start
    workspace = init_workspace(root, name="attribution benchmark")
    loads: dict[str, float] = {}
    with analytics(workspace, write=True) as store:
        for name in ("people", "touchpoints", "conversions"):
            data = tables.pop(name)
            t = time.perf_counter()
            store_typed(
                store,
                workspace.settings,
                TypedTable("benchmark", name, data, pa.array(range(2, data.num_rows + 2))),
                file_name="benchmark",
                sha256=hashlib.sha256(name.encode()).hexdigest(),
                source_adapter=None,
            )
            loads[name] = time.perf_counter() - t
            del data
    return {
        "rows": sizes,
        "generate_seconds": generated,
        "load_seconds": loads,
        "peak_rss_mib": peak_rss_mib(),
    }


def phase_raw_attribute(root: Path) -> dict[str, Any]:
    """Journeys in DuckDB (one query for the distinct paths), then last and Markov order 1;
    and each model end to end through ``workspace_attribution`` (as the CLI calls it)."""
    from pilotage.core.attribution.options import ModelOptions
    from pilotage.data.workspace import open_workspace
    from pilotage.services.attribution import (
        journey_paths,
        journey_spec,
        run_model,
        workspace_attribution,
    )
    from pilotage.services.workspaces import analytics

    workspace = open_workspace(root)
    options = ModelOptions(order=1)
    out: dict[str, Any] = {}
    with analytics(workspace) as store:
        t = time.perf_counter()
        spec = journey_spec(store, workspace.settings)
        paths, source = journey_paths(store, spec)
        out["journeys_seconds"] = time.perf_counter() - t
        out["source"] = source.model_dump()
        for name in ("last", "markov"):
            t = time.perf_counter()
            run_model(paths, name, options)
            out[f"{name}_model_seconds"] = time.perf_counter() - t
        for name in ("last", "markov"):
            t = time.perf_counter()
            workspace_attribution(store, workspace.settings, model_name=name, options=options)
            out[f"{name}_end_to_end_seconds"] = time.perf_counter() - t
    out["peak_rss_mib"] = peak_rss_mib()
    return out


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


def load() -> float:
    return round(os.getloadavg()[0], 2)


def summary(seconds: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(seconds), 4), "min": round(min(seconds), 4)}


def differences(ours: dict[str, list[float]], theirs: dict[str, float]) -> dict[str, float]:
    return {c: round(ours.get(c, [0.0])[0] - theirs.get(c, 0.0), 4) for c in sorted(theirs)}


def compare(pilotage: dict[str, Any], ca: dict[str, Any]) -> dict[str, Any]:
    heur, mark = ca["heuristic"], ca["markov"]
    alike = pilotage["like_for_like"]
    out: dict[str, Any] = {}
    for ours, prefix in HEURISTIC_PAIRS.items():
        theirs = dict(zip(heur["channel_name"], heur[f"{prefix}_conversions"], strict=True))
        out[ours] = differences(alike[ours], theirs)
    theirs = dict(zip(mark["channel_name"], mark["total_conversions"], strict=True))
    total = sum(theirs.values())
    out["markov"] = differences(alike["markov"], theirs)
    out["markov_relative"] = {
        c: round(d / theirs[c], 5) if theirs[c] else None for c, d in out["markov"].items()
    }
    seed8 = ca["markov_seed_8"]
    again = dict(zip(seed8["channel_name"], seed8["total_conversions"], strict=True))
    out["markov_ca_seed_7_minus_seed_8"] = {
        c: round(theirs[c] - again.get(c, 0.0), 4) for c in sorted(theirs)
    }
    out["markov_ca_seed_spread_max_share_points"] = round(
        100 * max(abs(d) for d in out["markov_ca_seed_7_minus_seed_8"].values()) / total, 4
    )
    out["markov_max_abs_share_points"] = round(
        100 * max(abs(d) for d in out["markov"].values()) / total, 4
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=1_000_000)
    parser.add_argument("--touchpoints", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="passes per timing (median, min)")
    parser.add_argument("--ncore", type=int, default=1, help="ChannelAttribution's ncore")
    parser.add_argument("--ca-venv", type=Path, help="reuse this venv for ChannelAttribution")
    parser.add_argument("--skip-ca", action="store_true")
    parser.add_argument("--skip-raw", action="store_true")
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phases = {
            "paths": lambda: path_file(args.file, args.journeys, args.seed),
            "pilotage": lambda: phase_pilotage(args.file, args.repeat),
            "raw_build": lambda: phase_raw_build(args.file, args.touchpoints, args.seed),
            "raw_attribute": lambda: phase_raw_attribute(args.file),
        }
        print(json.dumps(phases[args.phase]()))
        return
    report: dict[str, Any] = {"cpus": os.cpu_count(), "repeat": args.repeat}
    tmp = Path(tempfile.mkdtemp(prefix="pilotage-attribution-bench-"))
    try:
        run(args, tmp, report)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report["peak_rss_children_mib"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    report["peak_rss_self_mib"] = round(peak_rss_mib())
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    print(f"wrote {args.json}")


def run(args: argparse.Namespace, tmp: Path, report: dict[str, Any]) -> None:
    file = tmp / "paths.csv"
    t = time.perf_counter()
    # In a child: Linux keeps a process's peak RSS across fork and exec, so a big parent
    # would show its own peak in every child's ru_maxrss.
    report["path_file"] = run_phase(
        [
            "--phase",
            "paths",
            "--file",
            str(file),
            "--journeys",
            str(args.journeys),
            "--seed",
            str(args.seed),
        ]
    )
    report["path_file"]["generate_seconds"] = round(time.perf_counter() - t, 2)
    print(f"path file: {report['path_file']}", flush=True)
    ours_load = load()
    ours = run_phase(["--phase", "pilotage", "--file", str(file), "--repeat", str(args.repeat)])
    report["pilotage"] = {
        "load_avg_1m": ours_load,
        "read": summary(ours["read_seconds"]),
        "models": {n: summary(m["seconds"]) for n, m in ours["models"].items()},
        "distinct_paths": ours["distinct_paths"],
        "peak_rss_mib": round(ours["peak_rss_mib"]),
        "unattributed_conversions": ours["models"]["first"]["unattributed"][0],
    }
    p = report["pilotage"]
    p["models_total"] = {
        k: round(sum(m[k] for m in p["models"].values()), 4) for k in ("median", "min")
    }
    p["read_and_models_total"] = {
        k: round(p["models_total"][k] + p["read"][k], 4) for k in ("median", "min")
    }
    print(f"pilotage: {p}", flush=True)
    if not args.skip_ca:
        venv = args.ca_venv or tmp / "ca-venv"
        install = install_channelattribution(venv)
        report["channelattribution_install"] = install
        if install["ok"]:
            ca_load = load()
            ca = phase_channelattribution(venv, file, tmp, args.repeat, args.ncore)
            if ca["ok"]:
                report["channelattribution"] = {
                    "version": install["version"],
                    "ncore": args.ncore,
                    "load_avg_1m": ca_load,
                    "import_seconds": round(ca["import_seconds"], 3),
                    "read": summary(ca["read_seconds"]),
                    "heuristic": summary(ca["heuristic_seconds"]),
                    "markov": summary(ca["markov_seconds"]),
                    "process_seconds": round(ca["process_seconds"], 2),
                    "peak_rss_mib": round(ca["peak_rss_mib"]),
                }
                c = report["channelattribution"]
                c["models_total"] = {
                    k: round(c["heuristic"][k] + c["markov"][k], 4) for k in ("median", "min")
                }
                report["speed_ratio"] = {
                    "models_total": round(
                        c["models_total"]["median"] / p["models_total"]["median"], 1
                    ),
                    "markov": round(c["markov"]["median"] / p["models"]["markov"]["median"], 1),
                }
                report["credit_differences"] = compare(ours, ca)
            else:
                report["channelattribution"] = ca
        print(f"channelattribution: {report.get('channelattribution')}", flush=True)
    if not args.skip_raw:
        root = tmp / "raw"
        built = run_phase(
            [
                "--phase",
                "raw_build",
                "--file",
                str(root),
                "--touchpoints",
                str(args.touchpoints),
                "--seed",
                str(args.seed),
            ]
        )
        raw_load = load()
        done = run_phase(["--phase", "raw_attribute", "--file", str(root)])
        done["load_avg_1m"] = raw_load
        done["journeys_plus_last_plus_markov_seconds"] = (
            done["journeys_seconds"] + done["last_model_seconds"] + done["markov_model_seconds"]
        )
        report["raw"] = {"build": built, "attribute": done}
        print(f"raw: {report['raw']}", flush=True)


def print_table(report: dict[str, Any]) -> None:
    rows: list[tuple[str, str, str]] = []
    f = report["path_file"]
    p = report["pilotage"]
    rows.append(("path file", f"{f['journeys']:,} journeys", f"{f['distinct_paths']:,} paths"))
    rows.append(("pilotage: read file", f"{p['read']['median']:.3f} s", f"load {p['load_avg_1m']}"))
    for name, s in p["models"].items():
        rows.append((f"pilotage: {name}", f"{s['median']:.3f} s", f"min {s['min']:.3f} s"))
    rows.append(("pilotage: models total", f"{p['models_total']['median']:.3f} s", "target < 1 s"))
    rows.append(("pilotage: read + models", f"{p['read_and_models_total']['median']:.3f} s", ""))
    rows.append(("pilotage: peak RSS", f"{p['peak_rss_mib']} MiB", ""))
    c = report.get("channelattribution")
    if c and "markov" in c:
        rows.append(
            ("CA: read (pandas)", f"{c['read']['median']:.3f} s", f"load {c['load_avg_1m']}")
        )
        rows.append(("CA: heuristic_models", f"{c['heuristic']['median']:.3f} s", ""))
        rows.append(("CA: markov_model order 1", f"{c['markov']['median']:.3f} s", ""))
        rows.append(("CA: models total", f"{c['models_total']['median']:.3f} s", ""))
        rows.append(("CA: peak RSS", f"{c['peak_rss_mib']} MiB", ""))
        r = report["speed_ratio"]
        rows.append(
            ("speed ratio (CA / pilotage)", f"{r['models_total']}x", f"markov {r['markov']}x")
        )
        d = report["credit_differences"]
        for name in ("first", "last", "linear", "markov"):
            worst = max(d[name].items(), key=lambda kv: abs(kv[1]))
            rows.append((f"max |ours - CA| {name}", f"{worst[1]:+.4f}", worst[0]))
        rows.append(
            (
                "markov max diff, % of conversions",
                f"{d['markov_max_abs_share_points']:.3f}",
                f"CA seed 7 vs 8: {d['markov_ca_seed_spread_max_share_points']:.3f}",
            )
        )
    elif "channelattribution_install" in report and not report["channelattribution_install"]["ok"]:
        rows.append(("CA install", "FAILED", "see JSON"))
    raw = report.get("raw")
    if raw:
        b, a = raw["build"], raw["attribute"]
        rows.append(
            (
                "raw: touchpoints",
                f"{b['rows']['touchpoints']:,}",
                f"load {sum(b['load_seconds'].values()):.1f} s",
            )
        )
        rows.append(
            ("raw: journeys (DuckDB)", f"{a['journeys_seconds']:.2f} s", f"load {a['load_avg_1m']}")
        )
        rows.append(
            (
                "raw: last",
                f"{a['last_model_seconds']:.3f} s",
                f"end to end {a['last_end_to_end_seconds']:.2f} s",
            )
        )
        rows.append(
            (
                "raw: markov",
                f"{a['markov_model_seconds']:.3f} s",
                f"end to end {a['markov_end_to_end_seconds']:.2f} s",
            )
        )
        rows.append(
            (
                "raw: journeys + last + markov",
                f"{a['journeys_plus_last_plus_markov_seconds']:.2f} s",
                "target < 30 s",
            )
        )
        rows.append(
            (
                "raw: peak RSS build / attribute",
                f"{b['peak_rss_mib']:.0f} MiB",
                f"{a['peak_rss_mib']:.0f} MiB",
            )
        )
    rows.append(
        (
            "peak RSS self / children",
            f"{report['peak_rss_self_mib']} MiB",
            f"{report['peak_rss_children_mib']} MiB",
        )
    )
    for label, a, b in rows:
        print(f"{label:<34} {a:>16}   {b}")


if __name__ == "__main__":
    main()
