"""Journey benchmark: funnels and retention over 10M events on DuckDB (issue 10, item 8:
under 10 s each on 2 cores).

Run by hand (never in CI):
    .venv/bin/python benchmarks/journey.py [--events 10000000] [--repeat 3] [--json PATH]
Generates a workspace in DuckDB with SQL (people, accounts, touchpoints, conversions and
product events; every event follows its person's creation, so funnels convert), then
times through the services, as the CLI and the API run them: an ordered 4-step funnel
broken down by acquisition channel, the same funnel strict and in any order, and monthly
retention (N-day and unbounded, with the sBG curve). Prints a table and writes
benchmarks/results/journey.json: wall seconds (median and best of ``--repeat``) and CPU
seconds (user + system of every thread: they do not grow when other work shares the
machine, wall time does; rerun when the load average is low).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from pilotage.core.journey.funnel_spec import FunnelSpec
from pilotage.core.journey.retention import RetentionSpec
from pilotage.data.schema import TABLES
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore, quote
from pilotage.services.funnels import funnel, funnel_request
from pilotage.services.retention import retention, retention_request

RESULTS = Path(__file__).parent / "results" / "journey.json"
_SQL_TYPES = {
    "string": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "money": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMPTZ",
    "bool": "BOOLEAN",
}
#: Shares of the events by table.
SHARES = {"touchpoints": 0.55, "product_events": 0.35, "conversions": 0.10}
CHANNELS = [
    "organic_search",
    "paid_search",
    "paid_social",
    "email",
    "direct",
    "display",
    "referral",
    "webinars",
    "events",
    "content",
    "video",
    "partners",
]


def pick(values: list[str], weight: str = "random()") -> str:
    """SQL choosing one of ``values`` uniformly."""
    items = ", ".join(f"'{v}'" for v in values)
    return f"([{items}])[1 + floor({weight} * {len(values)})::INT]"


def create(con: Any, table: str, select: str) -> None:
    """``table`` with every canonical column: those ``select`` gives, null for the rest."""
    spec = TABLES[table]
    given = {row[0] for row in con.execute(f"DESCRIBE {select}").fetchall()}
    columns = [
        f"CAST({'g.' + quote(c.name) if c.name in given else 'NULL'} AS {_SQL_TYPES[c.type]}) "
        f"AS {quote(c.name)}"
        for c in spec.columns
    ]
    con.execute(f"CREATE TABLE {quote(table)} AS SELECT {', '.join(columns)} FROM ({select}) g")


def generate(path: Path, events: int) -> dict[str, int]:
    people = max(1000, events // 10)
    store = AnalyticsStore.open(path)
    con = store.con
    con.execute("SET threads = 2")
    con.execute("SELECT setseed(0.42)")
    start = "TIMESTAMPTZ '2024-11-01 00:00:00+00'"
    create(
        con,
        "accounts",
        f"""SELECT 'a' || i AS account_id,
            'Account ' || i AS name,
            {pick(["tier 1", "tier 2", "tier 3"])} AS tier,
            {pick(["SMB", "mid-market", "enterprise"])} AS segment
        FROM range({people // 5}) t(i)""",
    )
    create(
        con,
        "people",
        f"""SELECT 'p' || i AS person_id,
            CASE WHEN random() < 0.6 THEN 'a' || (i // 5) END AS account_id,
            {start} + to_seconds((hash(i) % (730 * 86400))::BIGINT) AS created_at,
            {pick(["SMB", "mid-market", "enterprise"])} AS segment,
            {pick(CHANNELS)} AS acquisition_channel,
            CASE WHEN random() < 0.3 THEN {start} + to_seconds((hash(i) % (730 * 86400)
                + 86400 * 10)::BIGINT) END AS mql_at
        FROM range({people}) t(i)""",
    )

    def at(owner: str) -> str:
        # Events follow the person's creation by up to ~120 days, most within weeks.
        return (
            f"{start} + to_seconds((hash({owner}) % (730 * 86400))::BIGINT) "
            "+ to_seconds((pow(random(), 2) * 120 * 86400)::BIGINT)"
        )

    n = {name: int(events * share) for name, share in SHARES.items()}
    create(
        con,
        "touchpoints",
        f"""SELECT CASE WHEN random() < 0.7 THEN 'p' || i END AS person_id,
            'v' || i AS anonymous_id,
            {at("i")} AS touched_at,
            {pick(CHANNELS)} AS channel,
            {pick(["visit"] * 6 + ["email_click"] * 2 + ["form_submit", "ad_click"])} AS touch_type
        FROM (SELECT floor(random() * {people})::BIGINT AS i FROM range({n["touchpoints"]}))""",
    )
    create(
        con,
        "conversions",
        f"""SELECT 'p' || i AS person_id,
            {at("i")} AS converted_at,
            {pick(["lead"] * 5 + ["signup"] * 3 + ["purchase"] * 2)} AS conversion_type
        FROM (SELECT floor(random() * {people})::BIGINT AS i FROM range({n["conversions"]}))""",
    )
    create(
        con,
        "product_events",
        f"""SELECT 'p' || i AS person_id,
            {at("i")} AS occurred_at,
            {pick(["login"] * 4 + ["report_created"] * 2 + ["export", "invite_sent"])} AS event
        FROM (SELECT floor(random() * {people} / 2)::BIGINT AS i
              FROM range({n["product_events"]}))""",
    )
    store.close()
    return count_rows(path)


def count_rows(path: Path) -> dict[str, int]:
    with AnalyticsStore.open(path, read_only=True) as store:
        return {
            name: int(store.con.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()[0])  # type: ignore[index]
            for name in ("people", "accounts", "touchpoints", "conversions", "product_events")
        }


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(work: Callable[[], object], repeat: int) -> dict[str, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        c0, w0 = cpu(), time.perf_counter()
        work()
        walls.append(time.perf_counter() - w0)
        cpus.append(cpu() - c0)
    return {
        "wall_median": round(statistics.median(walls), 3),
        "wall_min": round(min(walls), 3),
        "cpu_median": round(statistics.median(cpus), 3),
    }


def workloads() -> dict[str, FunnelSpec | RetentionSpec]:
    steps = ["touch:form_submit", "conversion:lead", "conversion:signup", "product:report_created"]
    return {
        "funnel_ordered_by_channel": funnel_request(
            steps, window="60d", breakdown="channel"
        ).spec(),
        "funnel_strict": funnel_request(steps, order="strict", window="60d").spec(),
        "funnel_any_order": funnel_request(steps, order="any", window="60d").spec(),
        "retention_n_day": retention_request(periods=12).spec(),
        "retention_unbounded_by_channel": retention_request(
            periods=12, mode="unbounded", rows="channel"
        ).spec(),
    }


def run(
    store: AnalyticsStore, settings: WorkspaceSettings, spec: FunnelSpec | RetentionSpec
) -> object:
    if isinstance(spec, FunnelSpec):
        return funnel(store, settings, spec)
    return retention(store, settings, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument(
        "--keep", type=Path, help="Keep the generated DuckDB file here (reused if present)."
    )
    args = parser.parse_args()
    settings = WorkspaceSettings(timezone="Europe/Paris")
    with tempfile.TemporaryDirectory(prefix="journey-bench-") as folder:
        path = args.keep or Path(folder) / "analytics.duckdb"
        t0 = time.perf_counter()
        reused = path.exists()
        counts = count_rows(path) if reused else generate(path, args.events)
        generated = None if reused else round(time.perf_counter() - t0, 1)
        results: dict[str, Any] = {}
        with AnalyticsStore.open(path, read_only=True) as store:
            store.con.execute("SET threads = 2")
            for name, spec in workloads().items():
                results[name] = timed(partial(run, store, settings, spec), args.repeat)
                print(f"{name:32} {results[name]}", file=sys.stderr)
    events = counts["touchpoints"] + counts["conversions"] + counts["product_events"]
    doc = {
        "events": events,
        "rows": counts,
        "cpus": os.cpu_count(),
        "duckdb_threads": 2,
        "repeat": args.repeat,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "generate_seconds": generated,
        "target_seconds": 10,
        "results": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    made = "reused" if generated is None else f"{generated} s to generate"
    print(f"{events:,} events ({made}), load {doc['load_avg_1m']}")
    print(f"{'workload':32} {'wall median':>12} {'wall min':>9} {'cpu':>7}")
    for name, r in results.items():
        print(f"{name:32} {r['wall_median']:>12} {r['wall_min']:>9} {r['cpu_median']:>7}")


if __name__ == "__main__":
    main()
