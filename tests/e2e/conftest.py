"""End-to-end fixtures: a real ``pilotage serve`` process on a free localhost port, serving a
copy of a small demo company built once per test session (shared by xdist workers), and
the system Chromium driven by Playwright.

Everything goes through the product's own commands (``pilotage demo``, ``pilotage token
create``, ``pilotage serve``), as a user would run them; the signing secret is random for
the session and never written anywhere.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from secrets import token_urlsafe
from typing import Any

import httpx
import pytest

DEMO_SCALE = "0.05"
DEMO_MONTHS = "12"
START_TIMEOUT_S = 60.0
CHROMIUM = Path("/usr/bin/chromium")
#: How Chromium runs on this machine: no sandbox (root), and no background connections,
#: which the closed network refuses (see the machine notes).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ENV_SKIP_BROWSER = "PILOTAGE_SKIP_BROWSER"
ENV_SCREENSHOTS = "PILOTAGE_SCREENSHOTS"
_TOKEN_ID = re.compile(r"token (\d+) ")


def pilotage_command() -> list[str]:
    """The ``pilotage`` script of this interpreter's environment."""
    script = Path(sys.executable).parent / "pilotage"
    if script.is_file():
        return [str(script)]
    found = shutil.which("pilotage")
    if found is None:
        pytest.fail("the 'pilotage' command is not installed: run 'make setup'")
    return [found]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*pilotage_command(), *args], capture_output=True, text=True, env=env, timeout=300
    )
    if done.returncode != 0:
        pytest.fail(
            f"pilotage {' '.join(args)} exited with {done.returncode}:\n"
            f"{done.stdout}\n{done.stderr}"
        )
    return done


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str


def demo_login(role: str) -> DemoLogin:
    from pilotage.services.demo import demo_logins

    for login in demo_logins():
        if login.role == role:
            return DemoLogin(login.email, login.password)
    raise AssertionError(f"the demo has no {role} login")


@dataclass(frozen=True)
class LiveServer:
    url: str
    root: Path
    admin_token: str
    admin_token_id: int
    log: Path

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def shared_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A folder all xdist workers of this session see (the base temp folder's parent)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def e2e_worker(request: pytest.FixtureRequest) -> str:
    """xdist's worker id ('master' without xdist); defined here so the tests also run
    where the xdist plugin is disabled."""
    workerinput = getattr(request.config, "workerinput", None)
    return "master" if workerinput is None else str(workerinput["workerid"])


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, e2e_worker: str) -> Path:
    """The small demo company, built once per session by whichever worker comes first."""
    shared = shared_dir(tmp_path_factory, e2e_worker)
    root = shared / "e2e-demo"
    done = shared / "e2e-demo.built"
    with (shared / "e2e-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            run_cli(
                "demo",
                "--workspace",
                str(root),
                "--no-serve",
                "--scale",
                DEMO_SCALE,
                "--months",
                DEMO_MONTHS,
            )
            done.touch()
    return root


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[Any], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"pilotage serve exited with {process.returncode}:\n{text[-4000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"pilotage serve did not answer {url}/healthz within {START_TIMEOUT_S:.0f} s")


def stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def live_server(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """``pilotage serve`` on a private copy of the demo, with an admin API token made by
    ``pilotage token create`` before the server starts; stopped at the end."""
    root = tmp_path_factory.mktemp("e2e-server") / "ws"
    shutil.copytree(demo_template, root)
    admin = demo_login("admin").email
    created = run_cli(
        *("token", "create", "--user", admin, "--scope", "admin"),
        *("--name", "e2e", "--workspace", str(root)),
    )
    token = created.stdout.strip().splitlines()[0]
    found = _TOKEN_ID.search(created.stderr)
    assert found, f"no token id in: {created.stderr}"
    env = dict(os.environ, PILOTAGE_SECRET_KEY=token_urlsafe(48), PYTHONUNBUFFERED="1")
    env.pop("PILOTAGE_WORKSPACE", None)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = root.parent / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *pilotage_command(),
                "serve",
                "--workspace",
                str(root),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        wait_until_up(url, process, log)
        yield LiveServer(url, root, token, int(found.group(1)), log)
    finally:
        stop(process)


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    if os.environ.get(ENV_SKIP_BROWSER) == "1":
        pytest.skip(f"{ENV_SKIP_BROWSER}=1: browser tests skipped")
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. Install it with "
            "'make system-deps' (or 'bash scripts/apt-install.sh chromium'); never "
            f"'playwright install'. To skip these tests, set {ENV_SKIP_BROWSER}=1.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest) -> Path:
    """$PILOTAGE_SCREENSHOTS, else a new temporary folder; named in the run's summary."""
    configured = os.environ.get(ENV_SCREENSHOTS, "").strip()
    if configured:
        folder = Path(configured)
    else:
        folder = Path(tempfile.mkdtemp(prefix="pilotage-screenshots-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Name the screenshot folders (reported by the tests, also from xdist workers)."""
    folders = {
        str(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "screenshots"
    }
    for folder in sorted(folders):
        terminalreporter.write_line(f"browser screenshots: {folder}")
