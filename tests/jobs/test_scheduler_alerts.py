"""A scheduler pass runs the monitoring before writing the packs: a channel over its
prorated budget opens a pacing alert, the webhook of pilotage.toml receives it, the packs'
agenda lists it, and a second pass raises nothing new and writes nothing."""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pilotage.data.workspace import open_workspace
from pilotage.interfaces.cli.main import main
from pilotage.jobs.scheduler import run_pass

CAMPAIGNS = """campaign_id,name,channel,start_date,end_date,budget
gs1,Search,paid_search,2026-10-01,2026-10-31,3100
"""
#: 200 a day for 10 days against 100 a day planned.
SPEND = "date,channel,campaign_id,cost\n" + "".join(
    f"2026-10-{d:02d},paid_search,gs1,200\n" for d in range(1, 11)
)


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    got: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/in", got
    server.shutdown()
    server.server_close()


@pytest.fixture
def workspace(tmp_path: Path, receiver: tuple[str, list[dict[str, Any]]]) -> Path:
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    for table, text in (("campaigns", CAMPAIGNS), ("spend", SPEND)):
        path = tmp_path / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0
    with (root / "pilotage.toml").open("a", encoding="utf-8") as settings:
        settings.write(f'\n[alerts]\nwebhooks = ["{receiver[0]}"]\n')
    return root


def test_a_pass_alerts_delivers_and_lists_the_alert_in_the_packs(
    workspace: Path, receiver: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    ws = open_workspace(workspace)
    today = datetime.date(2026, 11, 2)
    options = {"kinds": ["monthly"], "langs": ["en"], "formats": ["html"], "today": today}
    first = run_pass(ws, tmp_path / "out", **options)  # type: ignore[arg-type]
    assert first.alerts is not None and first.delivery is not None
    pacing = [a for a in first.alerts.opened if a.rule == "pacing"]
    assert [(a.slice_value, a.kind) for a in pacing] == [("paid_search", "overspend")]
    assert pacing[0].observed == pytest.approx(2000.0)
    assert pacing[0].expected == pytest.approx(1000.0)
    assert first.delivery.delivered == 1
    assert receiver[1][0]["alert"]["rule"] == "pacing"
    html = (tmp_path / "out" / "monthly-2026-10-en.html").read_text(encoding="utf-8")
    assert "Cost (channel paid_search) up 100% above plan" in html
    second = run_pass(ws, tmp_path / "out", **options)  # type: ignore[arg-type]
    assert second.alerts is not None and not second.alerts.opened
    assert len(second.alerts.updated) == 1
    assert second.written == () and len(receiver[1]) == 1
