"""DAU, WAU, MAU and stickiness from distinct active counts per day, week and month."""

from __future__ import annotations

import datetime

import pytest

from pilotage.core.engagement.series import active_points, summary

D = datetime.date


def test_monthly_points_average_days_weeks_and_months() -> None:
    # Two months: 10 actives on each of the 31 January days; 20 on one February day.
    daily = {D(2026, 1, 1) + datetime.timedelta(days=i): 10 for i in range(31)}
    daily[D(2026, 2, 2)] = 20
    weekly = {D(2026, 1, 5): 30, D(2026, 1, 12): 40, D(2026, 2, 2): 20}
    monthly = {D(2026, 1, 1): 100, D(2026, 2, 1): 20}
    jan, feb = active_points(daily, weekly, monthly, D(2026, 1, 1), D(2026, 2, 28), "month")
    assert (jan.dau, jan.wau, jan.mau) == (10.0, 35.0, 100.0)
    assert jan.stickiness == pytest.approx(0.1) and jan.weekly_stickiness == pytest.approx(10 / 35)
    assert feb.dau == pytest.approx(20 / 28) and feb.mau == 20.0
    assert not jan.partial and not feb.partial


def test_a_cut_period_is_partial_and_a_week_has_no_mau() -> None:
    daily = {D(2026, 1, 7): 4}
    (point,) = active_points(daily, {D(2026, 1, 5): 4}, {}, D(2026, 1, 7), D(2026, 1, 8), "week")
    assert point.partial and point.days == 2
    assert point.dau == 2.0 and point.wau == 4.0 and point.mau is None
    assert point.stickiness is None and point.weekly_stickiness == 0.5


def test_summary_means_and_a_day_period_is_refused() -> None:
    daily = {D(2026, 1, 1): 6, D(2026, 1, 2): 0}
    s = summary(daily, {D(2025, 12, 29): 6}, {D(2026, 1, 1): 12}, D(2026, 1, 1), D(2026, 1, 2))
    assert (s.dau, s.wau, s.mau, s.stickiness) == (3.0, 6.0, 12.0, 0.25)
    with pytest.raises(ValueError, match="week, month"):
        active_points(daily, {}, {}, D(2026, 1, 1), D(2026, 1, 2), "day")
