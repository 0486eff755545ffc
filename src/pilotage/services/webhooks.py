"""Alerts delivered by webhook: every new alert is queued for every receiver (the URLs saved
with ``pilotage alerts webhook add`` and those of ``[alerts] webhooks`` in pilotage.toml),
then POSTed as JSON with retries and backoff. Each delivery is recorded with its status, so
nothing is lost: a receiver that does not answer leaves its deliveries ``failed``, with what
went wrong, until a later pass sends them."""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotage.data.metadata.audit import record_audit
from pilotage.data.metadata.clock import now_of
from pilotage.data.metadata.models_governance import Alert, AlertDelivery, Webhook
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import SETTINGS_FILE
from pilotage.errors import ConfigError, NotFoundError, UsageError
from pilotage.services.alerts_types import DeliveryInfo, DeliveryReport

EVENT_OPENED = "alert.opened"
#: One POST: (url, JSON body, headers, timeout in s) -> HTTP status.
Post = Callable[[str, dict[str, Any], dict[str, str], float], int]


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries per delivery and pass, waiting ``backoff_s`` then twice as long
    after each failure; a receiver silent for ``timeout_s`` has failed that attempt."""

    attempts: int = 3
    backoff_s: float = 1.0
    timeout_s: float = 5.0

    def __post_init__(self) -> None:
        if not 1 <= self.attempts <= 10:
            raise UsageError(
                f"{self.attempts} attempts", fix="give between 1 and 10 attempts per delivery"
            )
        if self.backoff_s < 0 or not 0 < self.timeout_s <= 60:
            raise UsageError(
                "the backoff must be >= 0 s and the timeout between 0 and 60 s",
                fix="e.g. --timeout 5 --backoff 1",
            )


class WebhookInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int | None
    url: str
    name: str | None
    active: bool
    #: "store" (added with the CLI, API or page) or "pilotage.toml".
    source: str


class WebhookList(BaseModel):
    model_config = ConfigDict(frozen=True)

    webhooks: list[WebhookInfo]


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"webhook URL {url!r} is not an http(s) URL with a host",
            fix="give a full URL such as https://hooks.example.com/pilotage",
        )
    if len(url) > 2000:
        raise UsageError("the webhook URL is longer than 2000 characters", fix="shorten it")
    return url


def toml_webhooks(root: Path) -> list[str]:
    """The URLs of ``[alerts] webhooks = [...]`` in the workspace's pilotage.toml."""
    path = root / SETTINGS_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return []
    section = raw.get("alerts", {})
    urls = section.get("webhooks", []) if isinstance(section, dict) else []
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise ConfigError(
            f"{path}: [alerts] webhooks must be a list of URLs",
            fix='write webhooks = ["https://hooks.example.com/pilotage"] under [alerts]',
        )
    try:
        return [check_url(u) for u in urls]
    except UsageError as exc:
        raise ConfigError(f"{path}: {exc.message}", fix=exc.fix) from exc


def add_webhook(meta: MetadataStore, url: str, name: str | None, actor: str) -> WebhookInfo:
    url = check_url(url)
    with meta.session() as session:
        hook = session.scalar(select(Webhook).where(Webhook.url == url))
        if hook is None:
            hook = Webhook(url=url, created_at=now_of(session), created_by=actor)
            session.add(hook)
        hook.name = name.strip() if name and name.strip() else None
        hook.active = True
        record_audit(session, actor, "webhook.add", url)
        session.flush()
        return _hook(hook)


def remove_webhook(meta: MetadataStore, webhook_id: int, actor: str) -> WebhookInfo:
    with meta.session() as session:
        hook = session.get(Webhook, webhook_id)
        if hook is None:
            raise NotFoundError(
                f"no webhook {webhook_id}", fix="list them with `pilotage alerts webhooks`"
            )
        info = _hook(hook)
        session.delete(hook)
        record_audit(session, actor, "webhook.remove", info.url)
        return info


def list_webhooks(meta: MetadataStore, extra_urls: Sequence[str] = ()) -> WebhookList:
    with meta.reading() as session:
        stored = [_hook(h) for h in session.scalars(select(Webhook).order_by(Webhook.id))]
    known = {h.url for h in stored}
    from_toml = [
        WebhookInfo(id=None, url=u, name=None, active=True, source=SETTINGS_FILE)
        for u in dict.fromkeys(extra_urls)
        if u not in known
    ]
    return WebhookList(webhooks=stored + from_toml)


def _hook(hook: Webhook) -> WebhookInfo:
    return WebhookInfo(id=hook.id, url=hook.url, name=hook.name, active=hook.active, source="store")


def queue(
    session: Session,
    alerts: Sequence[Alert],
    payloads: Sequence[dict[str, Any]],
    extra_urls: Sequence[str],
) -> int:
    """Queue one pending delivery per (alert, receiver) in the caller's transaction."""
    urls = [h.url for h in session.scalars(select(Webhook).where(Webhook.active))]
    urls = list(dict.fromkeys([*urls, *extra_urls]))
    when = now_of(session)
    for alert, payload in zip(alerts, payloads, strict=True):
        for url in urls:
            session.add(
                AlertDelivery(
                    alert_id=alert.id,
                    url=url,
                    event=EVENT_OPENED,
                    payload=payload,
                    status="pending",
                    attempts=0,
                    created_at=when,
                )
            )
    session.flush()
    return len(urls) * len(alerts)


def httpx_post(url: str, body: dict[str, Any], headers: dict[str, str], timeout: float) -> int:
    response = httpx.post(url, json=body, headers=headers, timeout=timeout)
    return response.status_code


def deliver_pending(
    meta: MetadataStore,
    *,
    policy: RetryPolicy | None = None,
    include_failed: bool = True,
    post: Post = httpx_post,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    """Send every pending delivery (and the failed ones, unless ``include_failed`` is
    false), each with ``policy.attempts`` tries; record each outcome as it happens."""
    policy = policy or RetryPolicy()
    statuses = ("pending", "failed") if include_failed else ("pending",)
    with meta.reading() as session:
        todo = [
            (d.id, d.url, d.event, dict(d.payload))
            for d in session.scalars(
                select(AlertDelivery)
                .where(AlertDelivery.status.in_(statuses))
                .order_by(AlertDelivery.id)
            )
        ]
    done: list[DeliveryInfo] = []
    for delivery_id, url, event, payload in todo:
        headers = {
            "X-Pilotage-Event": event,
            "X-Pilotage-Delivery": str(delivery_id),
            "User-Agent": "pilotage-webhooks",
        }
        status, error, tries = _attempts(url, payload, headers, policy, post, sleep)
        with meta.session() as session:
            row = session.get(AlertDelivery, delivery_id)
            if row is None:  # the alert was deleted meanwhile
                continue
            row.attempts += tries
            row.last_attempt_at = now_of(session)
            row.http_status = status
            if error is None:
                row.status, row.error, row.delivered_at = "delivered", None, now_of(session)
            else:
                row.status, row.error = "failed", error
            session.flush()
            done.append(_delivery(row))
    return _report(done)


def _attempts(
    url: str,
    payload: dict[str, Any],
    headers: dict[str, str],
    policy: RetryPolicy,
    post: Post,
    sleep: Callable[[float], None],
) -> tuple[int | None, str | None, int]:
    """(last HTTP status, error or None, attempts made)."""
    status: int | None = None
    error: str | None = None
    wait = policy.backoff_s
    for attempt in range(1, policy.attempts + 1):
        try:
            status = post(url, payload, headers, policy.timeout_s)
        except httpx.TimeoutException:
            status, error = None, f"no answer within {policy.timeout_s:g} s"
        except httpx.HTTPError as exc:
            status, error = None, f"could not reach the receiver ({type(exc).__name__}: {exc})"
        else:
            if 200 <= status < 300:
                return status, None, attempt
            error = f"the receiver answered HTTP {status}, not 2xx"
        if attempt < policy.attempts:
            sleep(wait)
            wait *= 2
    return status, f"{error} ({policy.attempts} attempt(s))", policy.attempts


def _delivery(row: AlertDelivery) -> DeliveryInfo:
    return DeliveryInfo(
        id=row.id,
        alert_id=row.alert_id,
        url=row.url,
        event=row.event,
        status=row.status,
        attempts=row.attempts,
        created_at=row.created_at,
        last_attempt_at=row.last_attempt_at,
        delivered_at=row.delivered_at,
        http_status=row.http_status,
        error=row.error,
    )


def _report(rows: Sequence[DeliveryInfo]) -> DeliveryReport:
    failed = [d for d in rows if d.status == "failed"]
    message = None
    if failed:
        where = sorted({f"{d.url}: {d.error}" for d in failed})
        message = (
            f"{len(failed)} of {len(rows)} delivery(ies) failed; "
            + "; ".join(where)
            + ". Nothing is lost: they are kept and sent again by `pilotage alerts deliver` "
            "(or POST /api/v1/alerts/deliveries/retry) once the receiver answers."
        )
    return DeliveryReport(
        delivered=sum(d.status == "delivered" for d in rows),
        failed=len(failed),
        pending=sum(d.status == "pending" for d in rows),
        deliveries=list(rows),
        message=message,
    )


def list_deliveries(meta: MetadataStore, status: str | None = None) -> DeliveryReport:
    if status is not None and status not in ("pending", "delivered", "failed"):
        raise UsageError(
            f"unknown delivery status {status!r}", fix="use pending, delivered or failed"
        )
    with meta.reading() as session:
        query = select(AlertDelivery).order_by(AlertDelivery.id.desc())
        if status is not None:
            query = query.where(AlertDelivery.status == status)
        return _report([_delivery(d) for d in session.scalars(query)])
