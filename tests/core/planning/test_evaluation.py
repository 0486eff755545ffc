"""The evaluation's arithmetic: windows, the control group's counterfactual, the verdict."""

from __future__ import annotations

import datetime

import pytest

from pilotage.core.planning.evaluation import before_window, controlled_counterfactual, verdict

D = datetime.date


def test_the_before_window_has_the_same_number_of_days() -> None:
    assert before_window(D(2026, 3, 1), D(2026, 3, 31)) == (D(2026, 1, 29), D(2026, 2, 28))
    first, last = before_window(D(2025, 9, 25), D(2025, 12, 24))
    assert (last - first) == (D(2025, 12, 24) - D(2025, 9, 25)) and last == D(2025, 9, 24)


def test_the_counterfactual_follows_the_control_groups_change() -> None:
    # Lyon had 80 SQLs before; the control region went from 200 to 220 (+10 %): without the
    # event Lyon would have had 88, so 110 after is an impact of 22.
    assert controlled_counterfactual(80, 200, 220) == pytest.approx(88)
    assert controlled_counterfactual(80, 0, 220) is None


@pytest.mark.parametrize(
    ("measured", "expected", "direction", "outcome"),
    [
        (120, 100, "at_least", "met"),
        (60, 100, "at_least", "partly"),
        (-5, 100, "at_least", "missed"),
        (-30, -20, "at_most", "met"),  # a cost that fell more than planned
        (-10, -20, "at_most", "partly"),
        (5, -20, "at_most", "missed"),
        (None, 100, "at_least", "unknown"),
    ],
)
def test_verdict(measured, expected, direction, outcome) -> None:
    assert verdict(measured, expected, direction) == outcome
