"""Web benchmark: 20 concurrent signed-in users on the demo company, over every page of the
navigation and over GET /api/v1/kpis, against a real ``pilotage serve`` process on loopback.

Run by hand (never in CI):

    .venv/bin/python benchmarks/bench_web.py [--workspace DIR] [--scale 1] [--users 20]
        [--duration 30]

Builds the demo company into --workspace (default benchmarks/out/web-demo) unless a demo of
the same scale and months is already there, starts the server on a free port, signs in
--users sessions through the login form, measures each KPI parameter set once cold, then
runs the users concurrently (threads, one HTTP client each, bounded by --duration and
--max-requests), prints p50/p95/p99/max per route with the targets (every page < 300 ms
p95, cached KPI API < 100 ms p95), writes benchmarks/out/web.json and stops the server.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import numpy as np

OUT = Path(__file__).resolve().parent / "out"
PAGE_P95_MS = 300.0
KPI_CACHED_P95_MS = 100.0
KPI_PARAMS: tuple[dict[str, str], ...] = (
    {},
    {"by": "campaign"},
    {"period": "month"},
    {"by": "channel", "lang": "fr"},
)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def pilotage() -> list[str]:
    script = Path(sys.executable).parent / "pilotage"
    return [str(script)] if script.is_file() else ["pilotage"]


def ensure_demo(root: Path, scale: float, months: int) -> None:
    """Reuse a demo of the same scale and months in ``root``, else build it."""
    truth = root / "ground_truth.json"
    if truth.is_file() and (root / "analytics.duckdb").is_file():
        config = json.loads(truth.read_text(encoding="utf-8")).get("config", {})
        if float(config.get("scale", -1)) == scale and int(config.get("months", -1)) == months:
            print(f"reusing the demo in {root} (scale {scale}, {months} months)", flush=True)
            return
    print(f"building the demo in {root} (scale {scale}, {months} months)...", flush=True)
    began = time.perf_counter()
    subprocess.run(
        [
            *pilotage(),
            "demo",
            "--workspace",
            str(root),
            "--no-serve",
            "--scale",
            str(scale),
            "--months",
            str(months),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"built in {time.perf_counter() - began:.0f} s", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(suffix=".log")[1]))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = dict(os.environ, PILOTAGE_SECRET_KEY=secrets.token_urlsafe(48))
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    *pilotage(),
                    "serve",
                    "--workspace",
                    str(self.root),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise SystemExit("the server did not start within 90 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def sign_in(url: str, email: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60, follow_redirects=False)
    form = client.get("/login")
    found = _CSRF.search(form.text)
    if found is None:
        raise SystemExit("no CSRF token in the login form")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": found.group(1), "next": "/"},
    )
    if response.status_code != 303:
        raise SystemExit(f"sign-in of {email} failed: HTTP {response.status_code}")
    return client


class ShellLinks(HTMLParser):
    """The hrefs of the main navigation and of the account link in the page header."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = {"nav": 0, "who": 0}
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "nav" and attr.get("aria-label") == "main":
            self.depth["nav"] += 1
        if tag == "span" and "who" in (attr.get("class") or "").split():
            self.depth["who"] += 1
        if tag == "a" and any(self.depth.values()) and attr.get("href"):
            self.links.append(str(attr["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth["nav"]:
            self.depth["nav"] -= 1
        if tag == "span" and self.depth["who"]:
            self.depth["who"] -= 1


def discover_pages(client: httpx.Client) -> list[str]:
    """Every page reachable from the navigation, breadth first from the overview."""
    found, queue = ["/"], ["/"]
    while queue:
        response = client.get(queue.pop(0))
        response.raise_for_status()
        parser = ShellLinks()
        parser.feed(response.text)
        for href in parser.links:
            parts = urlsplit(href)
            if not parts.netloc and parts.path.startswith("/") and parts.path not in found:
                found.append(parts.path)
                queue.append(parts.path)
    return found


@dataclass(frozen=True)
class Route:
    label: str
    path: str
    kind: str  # "page" or "kpi"


def routes_for(pages: list[str]) -> list[Route]:
    routes = [
        Route(f"GET {p}?lang={lang}", f"{p}?lang={lang}", "page")
        for p in pages
        for lang in ("fr", "en")
    ]
    for params in KPI_PARAMS:
        query = f"?{urlencode(params)}" if params else ""
        routes.append(Route(f"GET /api/v1/kpis{query}", f"/api/v1/kpis{query}", "kpi"))
    return routes


def load(
    clients: list[httpx.Client],
    routes: list[Route],
    duration: float,
    max_requests: int,
    think: float = 0.0,
) -> dict[str, list[float]]:
    """Each client walks the routes (from its own offset) until the time or count is up,
    pausing ``think`` seconds between requests (0: back to back, a stress test)."""
    timings: dict[str, list[float]] = {r.label: [] for r in routes}
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def user(index: int, client: httpx.Client) -> None:
        for n in range(max_requests):
            if time.monotonic() >= stop_at:
                return
            route = routes[(index + n) % len(routes)]
            began = time.perf_counter()
            response = client.get(route.path)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                if response.status_code == 200:
                    timings[route.label].append(elapsed)
                else:
                    errors[route.label] = errors.get(route.label, 0) + 1
            if think:
                time.sleep(think)

    threads = [threading.Thread(target=user, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.update({f"{label} [errors]": [float(n)] for label, n in errors.items()})
    return timings


def summary(values: list[float]) -> dict[str, float]:
    data = np.asarray(values)
    return {
        "n": len(values),
        "p50_ms": round(float(np.percentile(data, 50)), 1),
        "p95_ms": round(float(np.percentile(data, 95)), 1),
        "p99_ms": round(float(np.percentile(data, 99)), 1),
        "max_ms": round(float(data.max()), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workspace", type=Path, default=OUT / "web-demo")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=500, help="per user, at most")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds each user waits between requests (0: back to back, a stress test)",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_demo(args.workspace, args.scale, args.months)

    from pilotage.services.demo import demo_logins

    logins = [d for d in demo_logins() if d.role != "admin"]
    server = Server(args.workspace.resolve())
    server.start()
    try:
        clients = [
            sign_in(server.url, logins[i % len(logins)].email, logins[i % len(logins)].password)
            for i in range(args.users)
        ]
        pages = discover_pages(clients[0])
        routes = routes_for(pages)
        print(f"{len(pages)} pages from the navigation: {', '.join(pages)}", flush=True)
        cold: dict[str, float] = {}
        for route in (r for r in routes if r.kind == "kpi"):
            began = time.perf_counter()
            clients[0].get(route.path).raise_for_status()
            cold[route.label] = round((time.perf_counter() - began) * 1000, 1)
        for route in (r for r in routes if r.kind == "page"):
            clients[0].get(route.path).raise_for_status()  # warm up, not measured
        print(
            f"{args.users} users, {args.duration:.0f} s of load, {args.think:g} s think time...",
            flush=True,
        )
        began = time.perf_counter()
        timings = load(clients, routes, args.duration, args.max_requests, args.think)
        wall = time.perf_counter() - began
    finally:
        server.stop()

    rows: list[dict[str, Any]] = []
    kinds = {r.label: r.kind for r in routes}
    for label, values in timings.items():
        if label.endswith("[errors]"):
            rows.append({"route": label, "errors": int(values[0])})
            continue
        if not values:
            continue
        kind = kinds[label]
        stats = summary(values)
        target = PAGE_P95_MS if kind == "page" else KPI_CACHED_P95_MS
        row = {"route": label, "kind": kind, **stats, "target_p95_ms": target}
        row["ok"] = stats["p95_ms"] < target
        if label in cold:
            row["cold_ms"] = cold[label]
        rows.append(row)
    total = sum(r.get("n", 0) for r in rows)
    print(f"\n{total} requests in {wall:.1f} s ({total / wall:.0f} req/s)\n")
    print(f"{'route':<44} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'cold':>7}  target")
    for r in rows:
        if "errors" in r:
            print(f"{r['route']:<44} {r['errors']:>5} non-200 answers")
            continue
        verdict = "ok" if r["ok"] else "MISSED"
        cold_text = f"{r['cold_ms']:7.0f}" if "cold_ms" in r else f"{'':>7}"
        print(
            f"{r['route'][:44]:<44} {r['n']:>5} {r['p50_ms']:7.0f} {r['p95_ms']:7.0f} "
            f"{r['p99_ms']:7.0f} {r['max_ms']:7.0f} {cold_text}  "
            f"p95<{r['target_p95_ms']:.0f} {verdict}"
        )
    measured = [r for r in rows if "ok" in r]
    pages_ok = all(r["ok"] for r in measured if r["kind"] == "page")
    kpis_ok = all(r["ok"] for r in measured if r["kind"] == "kpi")
    errors = sum(r.get("errors", 0) for r in rows)
    print(f"\nevery page p95 < {PAGE_P95_MS:.0f} ms: {'yes' if pages_ok else 'NO'}")
    print(f"cached KPI API p95 < {KPI_CACHED_P95_MS:.0f} ms: {'yes' if kpis_ok else 'NO'}")
    print(f"non-200 answers: {errors}")
    report = {
        "scale": args.scale,
        "months": args.months,
        "users": args.users,
        "duration_s": args.duration,
        "think_s": args.think,
        "wall_s": round(wall, 1),
        "requests": total,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "pages_ok": pages_ok,
        "kpis_cached_ok": kpis_ok,
        "errors": errors,
        "routes": rows,
    }
    path = OUT / "web.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written: {path}")


if __name__ == "__main__":
    main()
