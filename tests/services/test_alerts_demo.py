"""Monitoring on the demo company (24 months, scale 0.3): the fall of organic social reach
after the platform's algorithm change is found, once, since the day of the change, with
its cause and a suggested move; channels with plain seasonality raise nothing; pacing and
the run's coverage say what was judged and how."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest

from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.data.demo.config import DemoConfig
from pilotage.data.workspace import GROUND_TRUTH_FILE, open_workspace
from pilotage.services.alerts import detect_changes
from pilotage.services.alerts_types import Candidate, Coverage, PacingView
from pilotage.services.demo import build_demo
from pilotage.services.workspaces import analytics

TODAY = datetime.date(2026, 11, 3)
#: Organic channels of the demo with trend and seasonality, and no change.
PLAIN = ("organic_search", "direct", "referral")


Run = tuple[list[Candidate], Coverage, PacingView, dict[str, Any]]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    root = tmp_path_factory.mktemp("alerts-demo") / "ws"
    build_demo(root, DemoConfig(scale=0.3))
    truth = json.loads((root / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    ws = open_workspace(root)
    with analytics(ws) as store:
        found, coverage, pacing = detect_changes(
            store, ws.settings, today=TODAY, rules=MonitorSettings()
        )
    yield found, coverage, pacing, truth


def test_the_algorithm_change_is_one_alert_since_its_day(run: Run) -> None:
    found, _, _, truth = run
    change = truth["algorithm_change"]
    social = [c for c in found if c.slice_value == change["channel"]]
    assert len(social) == 1
    alert = social[0]
    assert (alert.rule, alert.kind, alert.direction) == ("anomaly", "shift", "down")
    assert alert.since.isoformat() == change["date"]
    # Reach x 0.4 on arrivals; touches also count follow-up visits of other channels.
    assert -0.5 < (alert.change_rel or 0.0) < -0.2
    assert alert.severity == "warning" and alert.details["seasonal"] is True
    related = {r["metric_id"] for r in alert.details["related"]} | {alert.metric_id}
    assert {"touches", "sessions", "visitors"} <= related
    assert alert.cause is not None and alert.cause.value == "organic_social"
    # Bad news: a move is suggested, from the channels' ROI (no mix model saved).
    assert alert.suggestion is not None and alert.suggestion.basis == "roi"
    assert alert.suggestion.amount > 0


def test_plain_seasonality_raises_nothing(run: Run) -> None:
    found, coverage, _, _ = run
    assert not [c for c in found if c.slice_value in PLAIN]
    # ... though those channels were scored.
    skipped = {(s.metric_id, s.slice_value) for s in coverage.skipped}
    assert ("touches", "organic_search") not in skipped
    assert coverage.scored > 50


def test_coverage_says_what_was_not_scored_and_why(run: Run) -> None:
    _, coverage, _, _ = run
    reasons = {s.reason for s in coverage.skipped}
    assert "cohort to date: its recent weeks are still maturing" in reasons
    assert any(r.startswith("flighted channel") for r in reasons)
    assert coverage.end == datetime.date(2026, 10, 25)  # the last complete week's Sunday
    assert "Fourier" in coverage.method


def test_pacing_against_prorated_budgets(run: Run) -> None:
    found, _, pacing, _ = run
    assert pacing.month_start == datetime.date(2026, 10, 1)
    assert pacing.as_of == datetime.date(2026, 10, 31)
    search = next(c for c in pacing.channels if c.channel == "paid_search")
    # The plan spreads the two-year budget evenly; search got +30 % for its last 30 %.
    assert search.ratio is not None and search.ratio > 1.15 and search.status == "overspend"
    alert = next(c for c in found if c.rule == "pacing" and c.slice_value == "paid_search")
    assert alert.kind == "overspend" and alert.expected == pytest.approx(search.planned_to_date)
    assert alert.details["gap"] == pytest.approx(search.projected - search.planned_month)
    assert alert.suggestion is not None and alert.suggestion.from_channel == "paid_search"


def test_every_change_says_what_by_how_much_and_since_when(run: Run) -> None:
    found, _, _, _ = run
    assert found
    for c in found:
        assert c.since <= c.last_period
        assert c.expected is not None and c.observed is not None
        assert c.change_rel is not None
        assert c.cause is not None
