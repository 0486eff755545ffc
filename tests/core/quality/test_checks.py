"""The checks as data: every check is worded in both languages, weights are in [0, 1], and
the audit settings refuse what they can't mean."""

from __future__ import annotations

import pytest

from pilotage.core.quality.checks import CHECKS, DEFAULT_AUDIT, AuditSettings


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_every_check_is_worded_in_french_and_english(check_id: str) -> None:
    spec = CHECKS[check_id]
    assert 0 <= spec.weight <= 1
    for part in ("title", "explanation", "fix", "affected"):
        english, french = spec.text(part, "en"), spec.text(part, "fr")  # type: ignore[arg-type]
        assert english and french and english != french


def test_the_freshness_limits_of_the_brief() -> None:
    assert [DEFAULT_AUDIT.days(t) for t in ("spend", "touchpoints", "orders", "people")] == [
        7,
        7,
        35,
        60,
    ]
    assert DEFAULT_AUDIT.days("experiments") is None  # a finished test is not stale data
    assert DEFAULT_AUDIT.examples == 5


def test_audit_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="1 to 3650 days"):
        AuditSettings(freshness_days={"spend": 0})
    with pytest.raises(ValueError, match="1 to 3650 days"):
        AuditSettings(default_days=-3)
    with pytest.raises(ValueError, match="examples"):
        AuditSettings(examples=500)


def test_a_weight_outside_0_1_is_refused() -> None:
    from pilotage.core.quality.checks import CheckSpec

    with pytest.raises(ValueError, match="weight"):
        CheckSpec("x", 2.0, "rows", ("a", "b"), ("a", "b"), ("a", "b"), ("a", "b"))
