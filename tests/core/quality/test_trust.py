"""Trust scores from literal findings: the arithmetic, the words, and the invariants (score in
[0, 100], more affected rows never raise it, metric trust is the weakest table's)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.quality.checks import CHECKS
from pilotage.core.quality.trust import (
    Finding,
    affected_share,
    metric_trust,
    percent,
    severity,
    table_trust,
)


def test_a_clean_table_scores_100() -> None:
    score = table_trust("spend", 10, [])
    assert score.score == 100.0
    assert score.reasons == ()
    assert score.summary == "spend: 100 — no problem found"


def test_each_finding_costs_weight_times_share_points_and_says_why() -> None:
    score = table_trust("spend", 40, [Finding("dq_spend_unknown_campaign", 0.18, 1.0)])
    assert score.score == 82.0
    assert score.summary == "spend: 82 — 18% of cost has no campaign"


def test_points_add_up_costliest_first() -> None:
    findings = [
        Finding("dq_spend_untracked", 0.3, 0.5),  # 15 points
        Finding("dq_spend_unknown_campaign", 0.3, 1.0),  # 30 points
        Finding("dq_future_rows", 0.0, 1.0),  # nothing found: no reason
    ]
    score = table_trust("spend", 5, findings)
    assert score.score == 55.0
    assert score.reasons == (
        "30% of cost has no campaign",
        "30% of cost has no tracked touchpoint",
    )


def test_french_reasons_and_stale_parameters() -> None:
    stale = Finding("dq_stale_table", 1.0, 0.3, {"days": 24, "limit": 7})
    score = table_trust("spend", 3, [stale, Finding("dq_spend_unknown_campaign", 0.05, 1.0)], "fr")
    assert score.score == 65.0
    assert score.reasons == (
        "aucune ligne nouvelle depuis 24 jours (limite 7)",
        "5\u00a0% du coût n'a pas de campagne",
    )


def test_the_score_never_goes_below_zero() -> None:
    findings = [Finding(c, 1.0, 1.0) for c in ("dq_future_rows", "dq_spend_unknown_campaign")]
    assert table_trust("spend", 1, findings).score == 0.0


def test_an_empty_table_has_no_score() -> None:
    score = table_trust("orders", 0, [Finding("dq_future_rows", 0.5, 1.0)])
    assert score.score is None
    assert score.reasons == ("no data",)
    assert table_trust("orders", 0, [], "fr").reasons == ("aucune donnée",)


def test_shares_severities_and_percentages() -> None:
    assert affected_share(18, 100) == 0.18
    assert affected_share(5, 0) == 0.0
    assert affected_share(150, 100) == 1.0
    assert [severity(0, 0), severity(3, 0.5), severity(3, 2), severity(3, 10)] == [
        "ok",
        "low",
        "medium",
        "high",
    ]
    assert [percent(s, "en") for s in (0.18, 0.045, 0.0004, 0.0)] == ["18%", "4.5%", "<0.1%", "0%"]
    assert percent(0.045, "fr") == "4,5\u00a0%"


def test_findings_refuse_shares_and_weights_outside_0_1() -> None:
    with pytest.raises(ValueError, match="share"):
        Finding("dq_future_rows", 1.5, 1.0)
    with pytest.raises(ValueError, match="weight"):
        Finding("dq_future_rows", 0.5, -0.1)


def test_metric_trust_is_the_lowest_score_of_its_tables() -> None:
    scores = {"spend": 82.0, "orders": 95.5, "touchpoints": 100.0, "surveys": None}
    assert metric_trust(["spend", "orders", "touchpoints"], scores) == 82.0
    assert metric_trust(("orders",), scores) == 95.5
    # An empty or unaudited table lowers nothing; no scored table at all gives no score.
    assert metric_trust(["orders", "surveys"], scores) == 95.5
    assert metric_trust(["orders", "costs"], scores) == 95.5
    assert metric_trust(["surveys", "costs"], scores) is None
    assert metric_trust([], scores) is None


CHECK_IDS = st.sampled_from(sorted(CHECKS))
UNIT = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
FINDINGS = st.lists(st.builds(Finding, CHECK_IDS, UNIT, UNIT), max_size=8)


@given(findings=FINDINGS, rows=st.integers(min_value=1, max_value=10**9))
def test_the_score_is_between_0_and_100(findings: list[Finding], rows: int) -> None:
    score = table_trust("t", rows, findings).score
    assert score is not None
    assert 0.0 <= score <= 100.0


@given(
    findings=st.lists(st.builds(Finding, CHECK_IDS, UNIT, UNIT), min_size=1, max_size=8),
    pick=st.integers(min_value=0),
    more=UNIT,
)
def test_more_affected_rows_never_raise_the_score(
    findings: list[Finding], pick: int, more: float
) -> None:
    i = pick % len(findings)
    worse = list(findings)
    old = findings[i]
    worse[i] = Finding(old.check_id, max(old.share, more), old.weight)
    before, after = table_trust("t", 9, findings).score, table_trust("t", 9, worse).score
    assert before is not None and after is not None
    assert after <= before


@given(
    affected=st.integers(min_value=0, max_value=1000),
    extra=st.integers(0, 1000),
    total=st.integers(min_value=1, max_value=2000),
    weight=UNIT,
)
def test_more_affected_rows_of_the_same_table_never_raise_the_score(
    affected: int, extra: int, total: int, weight: float
) -> None:
    def score(n: int) -> float | None:
        finding = Finding("dq_future_rows", affected_share(n, total), weight)
        return table_trust("t", total, [finding]).score

    low, high = score(affected), score(affected + extra)
    assert low is not None and high is not None
    assert high <= low


@given(findings=FINDINGS)
def test_the_order_of_findings_does_not_matter(findings: list[Finding]) -> None:
    assert table_trust("t", 3, findings) == table_trust("t", 3, list(reversed(findings)))


@given(
    scores=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]),
        st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
    ),
    tables=st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=4),
)
def test_metric_trust_never_exceeds_a_table_it_needs(
    scores: dict[str, float | None], tables: list[str]
) -> None:
    trust = metric_trust(tables, scores)
    if trust is None:
        assert all(scores.get(t) is None for t in tables)
    else:
        assert all(trust <= s for t in tables if (s := scores.get(t)) is not None)
        assert trust in [scores.get(t) for t in tables]
