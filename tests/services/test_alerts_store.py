"""Alerts in the metadata store: a change is stored once across runs, updated while it
lasts, resolved by the run that no longer finds it, and never raised again once the team
resolved it; the team's acknowledgements and resolutions."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.data.metadata.store import MetadataStore
from pilotage.errors import NotFoundError, UsageError
from pilotage.services.alerts import (
    SYSTEM_RESOLVER,
    acknowledge,
    get_alert,
    list_alerts,
    reopen,
    resolve,
    store_changes,
)
from pilotage.services.alerts_types import AlertRun, Candidate, Coverage, Move, PacingView
from pilotage.services.webhooks import list_deliveries

D = datetime.date
RULES = MonitorSettings()
COVERAGE = Coverage(start=D(2024, 1, 1), end=D(2026, 10, 25), scored=1, skipped=[], method="m")
PACING = PacingView(month_start=None, as_of=None, currency="EUR", channels=[], undated_campaigns=0)


class Clock:
    def __init__(self) -> None:
        self.now = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)

    def __call__(self) -> datetime.datetime:
        return self.now


@pytest.fixture
def meta(tmp_path: Path) -> Iterator[MetadataStore]:
    with MetadataStore.open(f"sqlite:///{tmp_path / 'metadata.db'}", now=Clock()) as store:
        store.upgrade()
        yield store


def drop(since: datetime.date, change: float = -0.35, metric: str = "sessions") -> Candidate:
    return Candidate(
        rule="anomaly",
        kind="shift",
        metric_id=metric,
        dimension="channel",
        slice_value="organic_social",
        direction="down",
        since=since,
        last_period=D(2026, 10, 19),
        expected=460.0,
        observed=460.0 * (1 + change),
        change_abs=460.0 * change,
        change_rel=change,
        score=-9.0,
        severity="warning",
        details={"related": [{"metric_id": "touches", "change_rel": -0.3, "since": "x"}]},
        suggestion=Move(
            basis="roi",
            from_channel="display",
            to_channel="paid_search",
            amount=1000.0,
            currency="EUR",
            from_roi=-0.4,
            to_roi=1.2,
        ),
    )


def run(meta: MetadataStore, *found: Candidate, urls: tuple[str, ...] = ()) -> AlertRun:
    return store_changes(
        meta, list(found), COVERAGE, PACING, rules=RULES, currency="EUR", webhook_urls=urls
    )


def test_a_lasting_change_is_stored_once_and_updated_while_it_lasts(
    meta: MetadataStore,
) -> None:
    first = run(meta, drop(D(2026, 1, 12)), urls=("http://127.0.0.1:9/hook",))
    assert len(first.opened) == 1 and not first.updated
    alert = first.opened[0]
    assert alert.state == "open" and alert.times_seen == 1
    assert "down 35%" in alert.summary and "since 2026-01-12" in alert.summary
    assert "move EUR 1,000/month from display to paid_search" in alert.summary
    # A week later the same shift is found starting a week later: the same alert.
    second = run(meta, drop(D(2026, 1, 19), change=-0.33))
    assert not second.opened and [a.id for a in second.updated] == [alert.id]
    again = get_alert(meta, alert.id, currency="EUR")
    assert again.times_seen == 2 and again.since == D(2026, 1, 12)
    assert again.change_rel == pytest.approx(-0.33)
    # Only the new alert was queued for the webhook, once.
    queued = list_deliveries(meta).deliveries
    assert [(d.alert_id, d.status) for d in queued] == [(alert.id, "pending")]


def test_a_change_no_longer_found_is_resolved_by_the_run(meta: MetadataStore) -> None:
    alert = run(meta, drop(D(2026, 1, 12))).opened[0]
    later = run(meta)
    assert [a.id for a in later.resolved] == [alert.id]
    stored = get_alert(meta, alert.id, currency="EUR")
    assert stored.state == "resolved" and stored.resolved_by == SYSTEM_RESOLVER


def test_a_change_the_team_resolved_is_not_raised_again(meta: MetadataStore) -> None:
    alert = run(meta, drop(D(2026, 1, 12))).opened[0]
    resolve(meta, alert.id, "cmo@acme.test", currency="EUR", note="algorithm change")
    again = run(meta, drop(D(2026, 1, 12)))
    assert not again.opened and not again.updated and not again.resolved
    # A new change of the same slice months later is a new alert.
    later = run(meta, drop(D(2026, 7, 6)))
    assert len(later.opened) == 1 and later.opened[0].id != alert.id


def test_acknowledge_resolve_reopen(meta: MetadataStore) -> None:
    alert = run(meta, drop(D(2026, 1, 12))).opened[0]
    acked = acknowledge(meta, alert.id, "cmo@acme.test", currency="EUR", note="on it")
    assert acked.state == "acknowledged" and acked.acknowledged_by == "cmo@acme.test"
    assert acked.note == "on it"
    done = resolve(meta, alert.id, "cmo@acme.test", currency="EUR")
    assert done.state == "resolved"
    with pytest.raises(UsageError, match="resolved") as refused:
        acknowledge(meta, alert.id, "cmo@acme.test", currency="EUR")
    assert "reopen" in (refused.value.fix or "")
    assert reopen(meta, alert.id, "cmo@acme.test", currency="EUR").state == "open"


def test_listing_filters_and_orders(meta: MetadataStore) -> None:
    bad = drop(D(2026, 1, 12), change=-0.6).model_copy(update={"severity": "critical"})
    mild = drop(D(2026, 5, 4), metric="leads").model_copy(update={"slice_value": "email"})
    run(meta, mild, bad)
    listed = list_alerts(meta, currency="EUR").alerts
    assert [a.severity for a in listed] == ["critical", "warning"]
    assert [
        a.slice_value for a in list_alerts(meta, currency="EUR", severity="warning").alerts
    ] == ["email"]
    assert len(list_alerts(meta, currency="EUR", state="active").alerts) == 2
    assert list_alerts(meta, currency="EUR", state="resolved").alerts == []
    fr = list_alerts(meta, currency="EUR", lang="fr").alerts[0]
    assert "en baisse de 60\u00a0%" in fr.summary and fr.metric_name == "Sessions"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"state": "closed"}, "state"), ({"severity": "high"}, "severity"), ({"rule": "x"}, "rule")],
)
def test_bad_filters_say_what_is_allowed(
    meta: MetadataStore, kwargs: dict[str, str], field: str
) -> None:
    with pytest.raises(UsageError, match=f"unknown {field}") as refused:
        list_alerts(meta, currency="EUR", **kwargs)
    assert "use one of" in (refused.value.fix or "")


def test_an_unknown_alert_is_not_found(meta: MetadataStore) -> None:
    with pytest.raises(NotFoundError, match="no alert 42"):
        get_alert(meta, 42, currency="EUR")
    with pytest.raises(NotFoundError):
        resolve(meta, 42, "x", currency="EUR")
