"""Spec validation, business priors, the weekly table and the checks before fitting."""

from __future__ import annotations

import datetime
import math

import numpy as np
import pytest

from pilotage.core.mmm.checks import negative_baseline, pre_fit_checks, prior_driven
from pilotage.core.mmm.design import WeeklyData, build_design
from pilotage.core.mmm.diagnostics import verdict
from pilotage.core.mmm.spec import ModelSpec, RoasPrior


def _weeks(n: int) -> tuple[datetime.date, ...]:
    return tuple(datetime.date(2024, 1, 1) + datetime.timedelta(weeks=i) for i in range(n))


def test_roas_range_becomes_a_lognormal_with_that_90_percent_range():
    p = RoasPrior(1.0, 4.0)
    assert math.exp(p.mu) == pytest.approx(2.0)
    assert math.exp(p.mu + 1.6448536 * p.sigma) == pytest.approx(4.0)
    assert RoasPrior.from_roi(-0.5, 3.0) == RoasPrior(0.5, 4.0)
    with pytest.raises(ValueError, match="0 < low < high"):
        RoasPrior(3.0, 1.0)


def test_spec_lists_every_problem():
    with pytest.raises(ValueError) as err:
        ModelSpec(
            channels=("a", "a"),
            adstock="square",  # type: ignore[arg-type]
            max_lag=0,
            roas_priors={"zz": RoasPrior(1, 2)},
        )
    text = str(err.value)
    for part in ("repeated", "adstock 'square'; allowed", "max_lag 0", "unknown channels ['zz']"):
        assert part in text


def test_weekly_table_refuses_bad_input():
    with pytest.raises(ValueError, match="negative"):
        WeeklyData(_weeks(3), np.ones(3), ("a",), np.array([[1.0], [-1.0], [2.0]]))
    with pytest.raises(ValueError, match="shape"):
        WeeklyData(_weeks(3), np.ones(2), ("a",), np.ones((3, 1)))
    data = WeeklyData(_weeks(10), np.ones(10), ("a",), np.ones((10, 1)))
    with pytest.raises(ValueError, match="at least 20 weeks"):
        build_design(data, ModelSpec(channels=("a",)))


def test_checks_name_collinear_flat_and_rare_channels_in_both_languages():
    rng = np.random.default_rng(0)
    n = 60
    a = rng.uniform(100, 200, n)
    spend = np.column_stack(
        [a, a * 2 + rng.normal(0, 1, n), np.full(n, 50.0) + rng.normal(0, 1, n), np.zeros(n)]
    )
    spend[:3, 3] = 10.0
    data = WeeklyData(_weeks(n), np.ones(n), ("search", "social", "display", "tv"), spend)
    found = {(f.code, f.channels) for f in pre_fit_checks(data)}
    assert ("collinear", ("search", "social")) in found
    assert ("low_variation", ("display",)) in found
    assert ("not_identifiable", ("tv",)) in found
    first = pre_fit_checks(data)[0]
    assert "corrélation" in first.text("fr") and "correlation" in first.text("en")


def test_prior_driven_flags_a_posterior_as_wide_as_its_prior():
    rng = np.random.default_rng(0)
    draws = np.exp(np.column_stack([rng.normal(0, 1.0, 2000), rng.normal(0, 0.1, 2000)]))
    found = prior_driven(("wide", "narrow"), draws, np.array([1.0, 1.0]))
    assert [f.channels for f in found] == [("wide",)]


@pytest.mark.parametrize(
    ("rhat", "ess", "div", "status"),
    [
        (1.001, 800, 0, "good"),
        (1.07, 800, 0, "caution"),
        (1.3, 800, 0, "unreliable"),
        (1.0, 20, 0, "unreliable"),
        (1.0, 800, 50, "unreliable"),
        (float("nan"), 800, 0, "unreliable"),
    ],
)
def test_a_bad_fit_is_never_reported_good(rhat, ess, div, status):
    d = verdict(rhat, ess, div, 1000)
    assert d.status == status
    assert bool(d.warnings) == (status != "good")


def test_cpa_range_and_the_default_prior_of_a_conversions_kpi():
    assert RoasPrior.from_cpa(50.0, 400.0) == RoasPrior(1 / 400, 1 / 50)
    with pytest.raises(ValueError, match="CPA range"):
        RoasPrior.from_cpa(400.0, 50.0)
    spec = ModelSpec(channels=("a", "b"), kpi="conversions", roas_priors={"b": RoasPrior(1, 2)})
    # 0.01 conversions per euro over the table: default 5 % to 200 % of that
    assert spec.prior("a", 0.01) == RoasPrior(0.0005, 0.02)
    assert spec.prior("b", 0.01) == RoasPrior(1, 2)
    assert ModelSpec(channels=("a",)).prior("a", 0.01) == RoasPrior(0.2, 8.0)


def test_trend_changepoints_follow_the_fitted_weeks_unless_set():
    assert ModelSpec(channels=("a",)).changepoints(156) == 5
    assert ModelSpec(channels=("a",)).changepoints(30) == 0
    assert ModelSpec(channels=("a",), trend_changepoints=3).changepoints(156) == 3
    with pytest.raises(ValueError, match="holidays 'XX'; allowed: FR"):
        ModelSpec(channels=("a",), holidays="XX")  # type: ignore[arg-type]


def test_holdout_weeks_carry_the_last_slope_and_hinges_stay_in_the_fitted_weeks():
    data = WeeklyData(_weeks(40), np.ones(40), ("a",), np.ones((40, 1)) + np.arange(40)[:, None])
    design = build_design(data, ModelSpec(channels=("a",), trend_changepoints=1), train_weeks=30)
    slope = np.diff(design.baseline[:, 0])
    np.testing.assert_allclose(slope, slope[0])
    hinge = design.baseline[:, 1]
    assert np.all(np.diff(hinge[:15]) == 0) and np.all(np.diff(hinge[16:]) > 0)
    assert design.train.sum() == 30 and design.spend_total[0] == pytest.approx(sum(range(1, 31)))


def test_a_channel_that_is_a_mix_of_the_others_is_named():
    rng = np.random.default_rng(3)
    n = 80
    a, b, d = rng.uniform(100, 200, (3, n))
    spend = np.column_stack([a, b, a + b + rng.normal(0, 3, n), d])
    data = WeeklyData(_weeks(n), np.ones(n), ("a", "b", "sum", "d"), spend)
    found = [f for f in pre_fit_checks(data) if f.code == "collinear"]
    # each of a, b and their sum is the others' mix; d moves on its own
    assert {f.channels for f in found} == {("a",), ("b",), ("sum",)}
    assert all("Faites" in f.fr for f in found)


def test_a_negative_baseline_is_flagged():
    assert negative_baseline(np.ones(50)) == []
    found = negative_baseline(np.r_[np.ones(40), -np.ones(10)])
    assert found[0].code == "negative_baseline" and "20 %" in found[0].en
