"""Subscriptions -> durations (calendar periods, right-censoring, left truncation) and the
sBG on them, Kaplan-Meier; the tracking series of the holdout validation; the fast paths
(collapsing, per-pair Pareto/NBD integrals, screening sample) give the plain results."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import betaln

from pilotage.core.clv import bgnbd, pareto_nbd, sbg
from pilotage.core.clv.durations import account_durations, cohorts, kaplan_meier
from pilotage.core.clv.mle import maximise, total
from pilotage.core.clv.models import MODELS, fit, fitted_rows
from pilotage.core.clv.summary import Summary
from pilotage.core.clv.transactions import period_start, periods, summarize
from pilotage.core.clv.validation import tracking

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]


def days(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


def fader_hardie_subscriptions() -> tuple[list[str], np.ndarray, np.ndarray]:
    """The regular segment of Fader and Hardie (2007) as subscriptions: 1,000 accounts
    starting on 1 January 2000; those lost in year k end on 1 July of that year."""
    ids, ends = [], []
    for year, (before, after) in enumerate(itertools.pairwise(REGULAR)):
        ends += [f"{2000 + year}-07-01"] * (before - after)
    ends += ["NaT"] * REGULAR[-1]
    ids = [f"a{i}" for i in range(len(ends))]
    return ids, days(*["2000-01-01"] * len(ends)), np.array(ends, dtype="datetime64[D]")


def test_calendar_months_censoring_and_too_recent() -> None:
    data = account_durations(
        ["a", "b", "c", "c", "d", "e", "f"],
        days(
            "2025-01-31",
            "2025-03-15",
            "2025-04-10",
            "2025-06-01",
            "2025-06-20",
            "2025-05-01",
            "2025-02-10",
        ),
        days("2025-02-28", "2025-06-15", "2025-06-01", "NaT", "NaT", "2025-08-01", "2025-07-02"),
        np.datetime64("2025-07-01"),
        "months",
    )
    # a: 31 Jan -> 28 Feb is exactly one month (month-end renewal): churned at T = 1.
    # b: 15 Mar -> 15 Jun, exactly 3 months: churned at T = 3.
    # c: two subscriptions, the second still running: censored after 2 whole months.
    # d: active for 11 days: too recent, left out. e: ends after the calibration end:
    # censored after 2 months. f: ends after the calibration end too (2 July): censored at 4.
    assert list(data.accounts) == ["a", "b", "c", "e", "f"]
    assert data.T.tolist() == [1, 3, 2, 2, 4]
    assert data.churned.tolist() == [True, True, False, False, False]
    assert data.too_recent == 1
    assert data.horizon.tolist() == [5, 3, 2, 2, 4]
    later = account_durations(
        ["b"], days("2025-03-15"), days("2025-06-16"), np.datetime64("2025-07-01"), "months"
    )
    assert later.T.tolist() == [4]  # one day into the fourth month: it was paid for


def test_weeks_days_and_years() -> None:
    start, end = days("2025-01-01", "2025-01-01"), days("2025-01-15", "2025-01-16")
    cal = np.datetime64("2026-06-01")
    assert account_durations(["a", "b"], start, end, cal, "weeks").T.tolist() == [2, 3]
    assert account_durations(["a", "b"], start, end, cal, "days").T.tolist() == [14, 15]
    yearly = account_durations(["a"], days("2020-02-29"), days("NaT"), cal, "years")
    assert yearly.T.tolist() == [6] and not yearly.churned[0]


def test_fader_hardie_regular_segment_from_subscriptions() -> None:
    ids, start, end = fader_hardie_subscriptions()
    data = account_durations(ids, start, end, np.datetime64("2007-01-01"), "years")
    done = fit("sbg", data.summary())
    assert {k: round(v, 3) for k, v in done.params.items()} == {"alpha": 0.704, "beta": 1.182}
    assert round(done.log_likelihood, 1) == -1680.3
    (cohort,) = cohorts(data)
    assert cohort.accounts == 1000 and list(cohort.survivors) == REGULAR
    at_risk, observed = kaplan_meier(data)
    assert at_risk.tolist() == REGULAR[:-1]
    assert observed == pytest.approx(np.array(REGULAR[1:]) / 1000)


def test_left_truncation_conditions_on_survival_to_entry() -> None:
    params = np.array([0.7, 1.2])
    # Churned at t = 5 and active after t = 6, both first observed after 2 renewals.
    rows = Summary(
        np.array([1.0, 0.0]),
        np.array([2.0, 2.0]),
        np.array([5.0, 6.0]),
        np.ones(2),
        np.full(2, np.nan),
    )
    ll, grad = total(sbg.log_likelihood, params, rows)
    s = sbg.survival(params, np.array([2.0, 4.0, 5.0, 6.0]))
    expected = np.log((s[1] - s[2]) / s[0]) + np.log(s[3] / s[0])
    assert ll == pytest.approx(expected, rel=1e-12)
    for j in range(2):
        up, down = params.copy(), params.copy()
        up[j] += 1e-6
        down[j] -= 1e-6
        numeric = (
            total(sbg.log_likelihood, up, rows)[0] - total(sbg.log_likelihood, down, rows)[0]
        ) / 2e-6
        assert grad[j] == pytest.approx(numeric, rel=1e-6)
    assert ll == pytest.approx(
        betaln(1.7, 1.2 + 4) - betaln(0.7, 3.2) + betaln(0.7, 7.2) - betaln(0.7, 3.2)
    )


def test_accounts_older_than_the_data_enter_late() -> None:
    ids, start, end = fader_hardie_subscriptions()
    # Only what an export made on 1 January 2003 holds: the 382 accounts alive then.
    alive = np.isnat(end) | (end >= np.datetime64("2003-01-01"))
    data = account_durations(
        np.array(ids)[alive],
        start[alive],
        end[alive],
        np.datetime64("2007-01-01"),
        "years",
        observed_from=np.datetime64("2003-01-01"),
    )
    assert len(data.T) == 382 and set(data.entry.tolist()) == {3}
    assert cohorts(data) == []  # no cohort is observed from its start
    at_risk, observed = kaplan_meier(data)
    assert at_risk.tolist() == [0, 0, 0, 382, 326, 289, 262]
    assert observed[:3].tolist() == [1, 1, 1]  # nobody observed: no churn to count
    assert observed[3:] == pytest.approx(np.array(REGULAR[4:]) / 382)
    truncated = fit("sbg", data.summary())
    ignored = fit(
        "sbg",
        Summary(
            data.churned.astype(float),
            np.zeros(382),
            data.T.astype(float),
            np.ones(382),
            np.full(382, np.nan),
        ),
    )

    # The renewal rates of the years observed (4 to 7) are found again when the entry is
    # taken into account; ignoring it (as if no one had churned in years 1 to 3) makes
    # retention look far better than it is.
    years = np.arange(4.0, 8.0)
    truth = sbg.retention(np.array([0.704, 1.182]), years)
    near = np.abs(sbg.retention(truncated.values, years) - truth).max()
    far = np.abs(sbg.retention(ignored.values, years) - truth).max()
    assert near < 0.01 < 0.05 < far


def test_tracking_series_adds_up() -> None:
    rng = np.random.default_rng(5)
    truth = np.array([0.5, 6.0, 0.8, 3.0])
    first = rng.integers(0, 10, 400)
    age = (30 - first).astype(float)
    x, tx = bgnbd.simulate(truth, age, rng)
    data = Summary(x, np.ceil(tx) * (x > 0), age, np.ones(400), np.full(400, np.nan))
    done = fit("bgnbd", data)
    actual = rng.poisson(3.0, 41).astype(float)
    series = tracking(MODELS["bgnbd"], done, first, data.weight, 0, 30, actual)
    assert series.periods == tuple(range(41)) and series.actual == tuple(actual)
    # Expected repeat purchases to the calibration end = sum of E[X(T)] of the customers.
    to_end = sum(series.predicted[:31])
    assert to_end == pytest.approx(bgnbd.expected_purchases_new(done.values, age).sum())
    assert series.predicted[0] == 0 and all(p >= 0 for p in series.predicted)


def test_transactions_count_repeat_purchases_per_calendar_period() -> None:
    ids = ["a", "a", "a", "a", "b", "c"]
    when = days("2026-01-05", "2026-01-06", "2026-01-20", "2026-03-02", "2026-01-12", "2026-03-09")
    table = summarize(
        ids,
        when,
        [10.0, 5, 30, 7, 20, 9],
        np.datetime64("2026-02-02"),
        "weeks",
        observation_end=np.datetime64("2026-03-09"),
    )
    first_week = periods(days("2026-01-05"), "weeks")[0]
    assert table.first_calendar_period == first_week
    assert table.calibration_period == first_week + 4
    # a repeats in week 2 and week 8; c is not a customer by the calibration end.
    assert table.repeat_by_period.tolist() == [0, 0, 1, 0, 0, 0, 0, 0, 1, 0]
    assert str(period_start(np.array([first_week]), "weeks")[0]) == "2026-01-05"


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 3),
            st.integers(0, 3),
            st.integers(3, 5),
            st.sampled_from([np.nan, 2.0, 5.0]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_collapse_keeps_every_customer(rows) -> None:
    x = np.array([float(r[0]) for r in rows])
    tx = np.array([float(r[1]) for r in rows])
    age = np.array([float(r[2]) for r in rows])
    money = np.array([r[3] for r in rows])
    data = Summary(x, tx, age, np.arange(1.0, len(rows) + 1), money)
    unique, back = data.collapse()
    assert unique.n_customers == pytest.approx(data.n_customers)
    assert np.array_equal(unique.frequency[back], x) and np.array_equal(unique.T[back], age)
    assert np.array_equal(unique.monetary[back], money, equal_nan=True)
    keys = {
        (a, b, c, -1 if np.isnan(d) else d) for a, b, c, d in zip(x, tx, age, money, strict=True)
    }
    assert unique.n_rows == len(keys)


def test_screening_sample_finds_the_same_optimum() -> None:
    rng = np.random.default_rng(9)
    age = rng.uniform(20, 60, 30_000)
    for name, module, truth in (
        ("bgnbd", bgnbd, np.array([0.5, 8.0, 0.8, 3.0])),
        ("pareto_nbd", pareto_nbd, np.array([0.55, 10.5, 0.6, 11.7])),
    ):
        x, tx = module.simulate(truth, age, rng)
        rows = fitted_rows(name, Summary(x, tx, age, np.ones(30_000), np.full(30_000, np.nan)))
        spec = MODELS[name]
        screened = maximise(
            name, spec.names, spec.log_likelihood, rows, spec.starts(rows), screen_rows=5_000
        )
        plain = maximise(
            name, spec.names, spec.log_likelihood, rows, spec.starts(rows), screen_rows=10**9
        )
        assert screened.convergence.starts_customers == 5_000
        assert plain.convergence.starts_customers == 30_000
        assert screened.convergence.converged and plain.convergence.converged
        assert screened.log_likelihood == pytest.approx(plain.log_likelihood, abs=1e-6)
        for key, value in plain.params.items():
            assert screened.params[key] == pytest.approx(value, rel=1e-5), (name, key)


def test_pareto_pairs_match_one_integral_per_row() -> None:
    """The per-(x, t) tails J(x, t_x) - J(x, T) against each row's integral alone (each row
    in its own summary, where the largest T is its own T)."""
    rng = np.random.default_rng(4)
    x = rng.integers(0, 60, 40).astype(float)
    age = rng.uniform(1, 80, 40)
    tx = np.where(x > 0, age * rng.uniform(0.01, 1, 40), 0.0)
    data = Summary(x, tx, age, np.ones(40), np.full(40, np.nan))
    params = np.array([0.55, 10.6, 0.61, 11.7])
    together, _ = pareto_nbd.log_likelihood(params, data)
    alone = [
        pareto_nbd.log_likelihood(
            params,
            Summary(x[i : i + 1], tx[i : i + 1], age[i : i + 1], np.ones(1), np.full(1, np.nan)),
        )[0][0]
        for i in range(40)
    ]
    assert together == pytest.approx(np.array(alone), rel=1e-11)


def test_huge_frequency_and_recency_equal_t_stay_finite_for_pareto() -> None:
    data = Summary(
        np.array([20000.0, 300.0, 0.0]),
        np.array([50.0, 80.0, 0.0]),
        np.array([50.0, 80.0, 0.0]),
        np.ones(3),
        np.full(3, np.nan),
    )
    params = np.array([0.55, 10.6, 0.61, 11.7])
    ll, grad = total(pareto_nbd.log_likelihood, params, data)
    assert np.isfinite(ll) and np.all(np.isfinite(grad))
    alive = pareto_nbd.p_alive(params, data)
    assert alive[0] == pytest.approx(1.0) and alive[2] == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["bgnbd", "mbgnbd", "pareto_nbd"])
def test_conditional_expectation_for_huge_frequencies(name: str) -> None:
    """x = 294 with t_x = T = 0.5 over 50 periods once overflowed the hypergeometric term."""
    data = Summary(
        np.array([294.0, 20000.0, 3.0]),
        np.array([0.5, 0.5, 0.0 + 1e-9]),
        np.array([0.5, 0.5, 1e-9]),
        np.ones(3),
        np.full(3, np.nan),
    )
    params = (
        np.array([0.24, 4.4, 0.79, 2.4])
        if name != "pareto_nbd"
        else np.array([0.55, 10.6, 0.61, 11.7])
    )
    spec = MODELS[name]
    assert spec.expected_purchases is not None
    values = np.array([spec.expected_purchases(params, data, t) for t in (1.0, 50.0, 1e4)])
    assert np.all(np.isfinite(values)) and np.all(values >= 0)
    assert np.all(np.diff(values, axis=0) >= 0)
