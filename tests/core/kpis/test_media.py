"""Funnel conversion between neighbouring stages; the budget page's spend slice."""

from __future__ import annotations

import ibis
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.kpis.media import stage_conversions
from pilotage.core.kpis.slices import spend_in_channels
from pilotage.core.kpis.window import Window


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=6))
def test_stage_conversions_are_ratios_of_neighbouring_counts(counts) -> None:
    rates = stage_conversions(counts)
    assert len(rates) == len(counts) - 1
    for rate, before, after in zip(rates, counts, counts[1:], strict=False):
        assert rate == (None if before == 0 else after / before)


def test_spend_in_channels_keeps_those_channels_or_all() -> None:
    spend = ibis.memtable({"channel": ["email", "display", "email"], "cost": [1.0, 2.0, 3.0]})
    assert spend_in_channels(spend, ["email"]).cost.sum().to_pyarrow().as_py() == 4.0
    assert spend_in_channels(spend, []).cost.sum().to_pyarrow().as_py() == 6.0


def test_a_window_refuses_a_start_after_its_end() -> None:
    import datetime as dt

    import pytest

    with pytest.raises(ValueError, match="after end"):
        Window(dt.date(2026, 4, 2), dt.date(2026, 4, 1))
