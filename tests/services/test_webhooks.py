"""Alerts delivered to local HTTP receivers: one that answers, one that never answers, one
that fails; retries with backoff, every outcome recorded, nothing lost."""

from __future__ import annotations

import datetime
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.data.metadata.store import MetadataStore
from pilotage.errors import ConfigError, NotFoundError, UsageError
from pilotage.services.alerts import store_changes
from pilotage.services.alerts_types import Candidate, Coverage, PacingView
from pilotage.services.webhooks import (
    RetryPolicy,
    add_webhook,
    deliver_pending,
    list_deliveries,
    list_webhooks,
    remove_webhook,
    toml_webhooks,
)

D = datetime.date
FAST = RetryPolicy(attempts=2, backoff_s=0.01, timeout_s=0.5)


class Receiver:
    """A local receiver answering ``status`` and keeping what it got."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), json.loads(body)))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Silent:
    """Accepts connections and never answers (a hung receiver)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def meta(tmp_path: Path) -> Iterator[MetadataStore]:
    with MetadataStore.open(f"sqlite:///{tmp_path / 'metadata.db'}") as store:
        store.upgrade()
        yield store


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def raise_one(meta: MetadataStore, urls: tuple[str, ...] = ()) -> int:
    candidate = Candidate(
        rule="cpa_drift",
        kind="drift",
        metric_id="cpl",
        dimension="channel",
        slice_value="webinars",
        direction="up",
        since=D(2026, 9, 28),
        last_period=D(2026, 10, 19),
        expected=37.74,
        observed=60.02,
        change_abs=22.28,
        change_rel=0.59,
        score=4.2,
        severity="critical",
    )
    run = store_changes(
        meta,
        [candidate],
        Coverage(start=None, end=None, scored=0, skipped=[], method=""),
        PacingView(month_start=None, as_of=None, currency="EUR", channels=[], undated_campaigns=0),
        rules=MonitorSettings(),
        currency="EUR",
        webhook_urls=urls,
    )
    return run.opened[0].id


def test_a_new_alert_reaches_every_receiver_as_json(
    meta: MetadataStore, receiver: Receiver
) -> None:
    add_webhook(meta, receiver.url, "ops", "admin@acme.test")
    other = Receiver()
    try:
        alert_id = raise_one(meta, urls=(other.url,))
        report = deliver_pending(meta, policy=FAST)
    finally:
        other.close()
    assert (report.delivered, report.failed, report.message) == (2, 0, None)
    headers, body = receiver.received[0]
    assert headers["X-Pilotage-Event"] == "alert.opened"
    assert body["event"] == "alert.opened"
    assert body["alert"]["id"] == alert_id and body["alert"]["slice_value"] == "webinars"
    assert body["alert"]["change_rel"] == pytest.approx(0.59)
    assert "CPL (channel webinars) up 59%" in body["alert"]["summary"]
    assert "en hausse de 59" in body["alert"]["summary_fr"]
    assert len(other.received) == 1
    # Delivered ones are not sent again.
    assert deliver_pending(meta, policy=FAST).deliveries == []


def test_a_receiver_that_does_not_answer_loses_nothing(
    meta: MetadataStore, receiver: Receiver
) -> None:
    silent = Silent()
    waits: list[float] = []
    try:
        raise_one(meta, urls=(silent.url,))
        report = deliver_pending(meta, policy=FAST, sleep=waits.append)
    finally:
        silent.close()
    assert (report.delivered, report.failed) == (0, 1)
    failed = report.deliveries[0]
    assert failed.status == "failed" and failed.attempts == 2
    assert failed.error == "no answer within 0.5 s (2 attempt(s))"
    assert waits == [0.01]  # one backoff between the two tries
    assert report.message is not None
    assert silent.url in report.message and "Nothing is lost" in report.message
    assert "pilotage alerts deliver" in report.message
    # The receiver is back (same alert, now at a live URL): the kept delivery goes out.
    stored = list_deliveries(meta, "failed").deliveries
    assert len(stored) == 1
    with meta.session() as session:
        from pilotage.data.metadata.models_governance import AlertDelivery

        row = session.get(AlertDelivery, stored[0].id)
        assert row is not None
        row.url = receiver.url
    again = deliver_pending(meta, policy=FAST)
    assert again.delivered == 1 and again.deliveries[0].attempts == 3
    assert len(receiver.received) == 1


def test_an_error_status_is_a_failure_with_its_code(meta: MetadataStore) -> None:
    failing = Receiver(status=500)
    try:
        raise_one(meta, urls=(failing.url,))
        report = deliver_pending(meta, policy=FAST, sleep=lambda _: None)
        pending_only = deliver_pending(meta, policy=FAST, include_failed=False)
    finally:
        failing.close()
    d = report.deliveries[0]
    assert d.status == "failed" and d.http_status == 500
    assert d.error == "the receiver answered HTTP 500, not 2xx (2 attempt(s))"
    assert len(failing.received) == 2
    assert pending_only.deliveries == []


def test_an_unreachable_receiver_says_so(meta: MetadataStore) -> None:
    closed = Silent()
    url = closed.url
    closed.close()
    raise_one(meta, urls=(url,))
    d = deliver_pending(meta, policy=FAST, sleep=lambda _: None).deliveries[0]
    assert d.status == "failed" and (d.error or "").startswith("could not reach the receiver")


def test_webhook_settings(meta: MetadataStore, tmp_path: Path) -> None:
    hook = add_webhook(meta, " https://hooks.example.com/p ", None, "admin")
    assert hook.url == "https://hooks.example.com/p" and hook.id is not None
    (tmp_path / "pilotage.toml").write_text(
        '[alerts]\nwebhooks = ["http://127.0.0.1:8099/in", "https://hooks.example.com/p"]\n',
        encoding="utf-8",
    )
    urls = toml_webhooks(tmp_path)
    listed = list_webhooks(meta, urls).webhooks
    assert [(w.url, w.source) for w in listed] == [
        ("https://hooks.example.com/p", "store"),
        ("http://127.0.0.1:8099/in", "pilotage.toml"),
    ]
    assert remove_webhook(meta, hook.id, "admin").url == hook.url
    with pytest.raises(NotFoundError, match="no webhook"):
        remove_webhook(meta, hook.id, "admin")


@pytest.mark.parametrize("url", ["ftp://x.test/a", "hooks.example.com", "https://"])
def test_a_bad_url_is_refused_with_the_fix(meta: MetadataStore, url: str) -> None:
    with pytest.raises(UsageError, match=r"not an http\(s\) URL") as refused:
        add_webhook(meta, url, None, "admin")
    assert "https://hooks.example.com" in (refused.value.fix or "")


def test_a_bad_toml_section_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "pilotage.toml").write_text('[alerts]\nwebhooks = "https://x"\n', "utf-8")
    with pytest.raises(ConfigError, match="must be a list"):
        toml_webhooks(tmp_path)
    (tmp_path / "pilotage.toml").write_text('[alerts]\nwebhooks = ["nope"]\n', "utf-8")
    with pytest.raises(ConfigError, match=r"pilotage\.toml"):
        toml_webhooks(tmp_path)


@pytest.mark.parametrize(
    "kwargs", [{"attempts": 0}, {"attempts": 11}, {"timeout_s": 0}, {"backoff_s": -1}]
)
def test_retry_policy_limits(kwargs: dict[str, float]) -> None:
    with pytest.raises(UsageError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
