"""Edge cases of an analysis: one variant, unknown control, zero conversions, identical
variants, extreme imbalance, several variants corrected together, CUPED."""

from __future__ import annotations

import numpy as np
import pytest

from pilotage.core.experiments.analysis import analyze
from pilotage.core.experiments.metrics import estimate
from pilotage.core.experiments.options import AnalysisSettings
from pilotage.errors import UsageError

FREQ = AnalysisSettings()


def test_a_single_variant_is_refused(agg) -> None:
    with pytest.raises(UsageError, match="one variant only"):
        analyze([agg("A", 100, 10)], ["conversion"], FREQ)


def test_an_unknown_control_names_the_variants(agg) -> None:
    with pytest.raises(UsageError, match="control 'Z' not found") as caught:
        analyze([agg("A", 100, 10), agg("B", 100, 12)], ["conversion"], FREQ, control="Z")
    assert "A, B" in str(caught.value)


def test_the_default_control_is_the_first_variant(agg) -> None:
    done = analyze([agg("B", 100, 10, order=0), agg("A", 100, 12, order=1)], ["conversion"], FREQ)
    assert done[0].control == "B"


def test_zero_conversions_in_the_control(agg) -> None:
    done = analyze([agg("A", 500, 0), agg("B", 500, 9)], ["conversion"], FREQ)[0]
    c = done.comparisons[0]
    assert c.lift_rel is None and c.lift_abs == pytest.approx(0.018)
    with pytest.raises(UsageError, match="relative lift is undefined"):
        analyze(
            [agg("A", 500, 0), agg("B", 500, 9)],
            ["conversion"],
            AnalysisSettings(difference="relative"),
        )


def test_identical_variants(agg) -> None:
    c = analyze([agg("A", 1000, 100), agg("B", 1000, 100)], ["conversion"], FREQ)[0].comparisons[0]
    assert c.lift_abs == 0 and c.p_value == pytest.approx(1.0)
    assert c.chance_to_win == pytest.approx(0.5) and c.verdict == "inconclusive"


def test_extreme_imbalance_is_a_sample_ratio_mismatch(agg) -> None:
    done = analyze([agg("A", 9990, 999), agg("B", 10, 1)], ["conversion"], FREQ)[0]
    assert done.srm_broken and done.decision == "check_data"


def test_partial_planned_shares_are_refused(agg) -> None:
    with pytest.raises(UsageError, match="planned_share is missing for B"):
        analyze([agg("A", 100, 10, share=0.5), agg("B", 100, 10)], ["conversion"], FREQ)


def test_variants_and_metrics_are_corrected_together(agg) -> None:
    variants = [agg("A", 2000, 200), agg("B", 2000, 250), agg("C", 2000, 205)]
    raw = analyze(variants, ["conversion"], AnalysisSettings(correction="none"))[0]
    held = analyze(variants, ["conversion", "count"], AnalysisSettings(correction="holm"))
    b_raw = raw.comparisons[0].p_value
    adjusted = [c.adjusted_p for a in held for c in a.comparisons]
    assert len(adjusted) == 4 and min(adjusted) >= b_raw
    bh = analyze(variants, ["conversion"], AnalysisSettings(correction="bh"))[0]
    assert bh.comparisons[0].adjusted_p == pytest.approx(min(1, 2 * b_raw))


def test_no_units_in_a_variant(agg) -> None:
    with pytest.raises(UsageError, match="has no units"):
        estimate(agg("A", 0, 0), "conversion")


def test_cuped_reduces_the_variance_and_keeps_the_lift(units) -> None:
    rng = np.random.default_rng(3)
    pre_a, pre_b = rng.normal(100, 20, 4000), rng.normal(100, 20, 4000)
    y_a = pre_a + rng.normal(0, 10, 4000)
    y_b = pre_b + 2 + rng.normal(0, 10, 4000)
    a = units("A", np.zeros(4000), y_a, list(pre_a))
    b = units("B", np.zeros(4000), y_b, list(pre_b), order=1)
    plain = analyze([a, b], ["mean"], AnalysisSettings(cuped=False))[0]
    adjusted = analyze([a, b], ["mean"], AnalysisSettings())[0]
    assert adjusted.cuped is not None and adjusted.cuped.reduction > 0.7
    cp, ca = plain.comparisons[0], adjusted.comparisons[0]
    assert ca.high - ca.low < 0.6 * (cp.high - cp.low)
    assert ca.low < 2 < ca.high and not adjusted.imbalanced


def test_cuped_with_missing_pre_values_and_an_imbalanced_pre_period(units) -> None:
    rng = np.random.default_rng(5)
    pre_a, pre_b = rng.normal(100, 20, 3000), rng.normal(110, 20, 3000)  # broken randomisation
    y_a, y_b = pre_a + rng.normal(0, 10, 3000), pre_b + rng.normal(0, 10, 3000)
    missing = [None if i % 10 == 0 else x for i, x in enumerate(pre_a)]
    a = units("A", np.zeros(3000), y_a, missing)
    b = units("B", np.zeros(3000), y_b, list(pre_b), order=1)
    done = analyze([a, b], ["mean"], FREQ)[0]
    assert done.cuped is not None and done.cuped.fill == pytest.approx(
        (sum(x for x in missing if x is not None) + pre_b.sum()) / 5700
    )
    assert done.imbalanced


def test_no_pre_values_means_no_cuped(units) -> None:
    a, b = units("A", [0, 1, 0, 1]), units("B", [1, 1, 0, 1], order=1)
    assert analyze([a, b], ["conversion"], FREQ)[0].cuped is None
