"""Bad inputs with their messages; transactions -> summaries; predictions' invariants
(hypothesis); holdout validation and RFM on small literal inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.clv import bgnbd, mbgnbd, pareto_nbd
from pilotage.core.clv.mle import total
from pilotage.core.clv.models import MODELS, fit
from pilotage.core.clv.predict import predict
from pilotage.core.clv.rfm import quintile, rfm
from pilotage.core.clv.summary import Summary, summary
from pilotage.core.clv.transactions import summarize
from pilotage.core.clv.validation import validate
from pilotage.errors import InputError

BAD = [
    ([-1], [0], [5], None, "negative frequency"),
    ([1.5], [2], [5], None, "frequency is not a whole number"),
    ([1], [6], [5], None, "recency > T"),
    ([2], [0], [5], None, "frequency > 0 with recency 0 is impossible"),
    ([0], [3], [5], None, "recency > 0 with frequency 0 is impossible"),
    ([0], [0], [-1], None, "negative T"),
    ([float("nan")], [0], [5], None, "not a number"),
    ([0], [0], [5], [0], "weight <= 0"),
]


@pytest.mark.parametrize(("x", "tx", "t", "w", "message"), BAD, ids=[b[4] for b in BAD])
def test_every_bad_row_is_reported(x, tx, t, w, message) -> None:
    with pytest.raises(InputError) as refused:
        summary(x, tx, t, weight=w, source="s.csv")
    assert message in str(refused.value) and "s.csv, line 2" in str(refused.value)


def test_discrete_and_spend_rules() -> None:
    with pytest.raises(InputError, match="more purchases than opportunities"):
        summary([3], [2], [6], kind="discrete")
    with pytest.raises(InputError, match="positive mean spend"):
        summary([2], [3], [6], monetary=[0], kind="spend")


def test_transactions_to_summary_with_holdout() -> None:
    ids = ["a", "a", "a", "a", "b", "c"]
    days = np.array(
        ["2026-01-05", "2026-01-06", "2026-01-20", "2026-03-02", "2026-01-12", "2026-03-09"],
        dtype="datetime64[D]",
    )
    amounts = [10.0, 5.0, 30.0, 7.0, 20.0, 9.0]
    table = summarize(
        ids,
        days,
        amounts,
        np.datetime64("2026-02-02"),
        "weeks",
        observation_end=np.datetime64("2026-03-09"),
    )
    assert list(table.customers) == ["a", "b"]  # c was not acquired by the calibration end
    s = table.summary
    # a: weeks 0 (two orders, one purchase of 15) and 2 -> x=1, t_x=2, T=4, mean 30
    assert (s.frequency.tolist(), s.recency.tolist(), s.T.tolist()) == ([1, 0], [2, 0], [4, 3])
    assert s.monetary[0] == 30 and np.isnan(s.monetary[1])
    assert table.holdout_frequency.tolist() == [1, 0] and table.holdout_length == 5
    assert table.revenue.tolist() == [45, 20]


@settings(max_examples=40, deadline=None)
@given(
    x=st.integers(0, 300),
    share=st.floats(0, 1),
    age=st.floats(0, 500),
    name=st.sampled_from(["bgnbd", "mbgnbd", "pareto_nbd"]),
)
def test_p_alive_in_unit_interval_and_purchases_grow_with_time(x, share, age, name) -> None:
    tx = age * share if x > 0 else 0.0
    if x > 0 and tx == 0:
        tx = age if age > 0 else 0.0
    if x > 0 and tx == 0:
        return
    data = Summary(
        np.array([x], float), np.array([tx]), np.array([age]), np.ones(1), np.full(1, np.nan)
    )
    params = {
        "bgnbd": [0.24, 4.4, 0.79, 2.4],
        "mbgnbd": [0.52, 6.2, 0.89, 1.6],
        "pareto_nbd": [0.55, 10.6, 0.61, 11.7],
    }[name]
    spec = MODELS[name]
    alive = spec.p_alive(np.array(params), data)  # type: ignore[misc]
    assert 0 <= alive[0] <= 1
    values = [spec.expected_purchases(np.array(params), data, t)[0] for t in (1, 10, 50)]  # type: ignore[misc]
    assert all(np.isfinite(values)) and values[0] <= values[1] <= values[2]
    ll, grad = total(spec.log_likelihood, np.array(params), data)
    assert np.isfinite(ll) and np.all(np.isfinite(grad))


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(0, 5), st.integers(1, 4)), min_size=1, max_size=8),
    name=st.sampled_from(["bgnbd", "pareto_nbd"]),
)
def test_weighting_rows_equals_repeating_them(rows, name) -> None:
    x = np.array([float(r[0]) for r in rows])
    w = np.array([float(r[1]) for r in rows])
    tx = np.where(x > 0, 5.0 + x, 0.0)
    age = np.full(len(x), 20.0)
    weighted = Summary(x, tx, age, w, np.full(len(x), np.nan))
    rep = np.repeat(np.arange(len(x)), w.astype(int))
    repeated = Summary(x[rep], tx[rep], age[rep], np.ones(len(rep)), np.full(len(rep), np.nan))
    params = np.array([0.5, 5.0, 0.8, 6.0])
    a = total(MODELS[name].log_likelihood, params, weighted)
    b = total(MODELS[name].log_likelihood, params, repeated)
    assert a[0] == pytest.approx(b[0]) and np.allclose(a[1], b[1])


def test_extreme_inputs_stay_finite() -> None:
    data = Summary(
        np.array([0.0, 5000.0, 3.0]),
        np.array([0.0, 99.0, 50.0]),
        np.array([0.0, 100.0, 50.0]),
        np.ones(3),
        np.full(3, np.nan),
    )
    for module in (bgnbd, mbgnbd, pareto_nbd):
        params = np.array([0.5, 5.0, 0.8, 3.0])
        ll, grad = total(module.log_likelihood, params, data)
        assert np.isfinite(ll) and np.all(np.isfinite(grad))
        assert np.all((module.p_alive(params, data) >= 0) & (module.p_alive(params, data) <= 1))
    # T = 0 with no repeat: nothing happened, the likelihood is 1.
    zero = Summary(np.zeros(1), np.zeros(1), np.zeros(1), np.ones(1), np.full(1, np.nan))
    assert total(bgnbd.log_likelihood, np.array([0.5, 5, 0.8, 3]), zero)[0] == pytest.approx(0)


def test_predictions_with_spend_and_bands(cdnow: Summary) -> None:
    purchases, spend = fit("bgnbd", cdnow), fit("gamma_gamma", cdnow)
    one = Summary(
        np.array([2.0]), np.array([30.43]), np.array([38.86]), np.ones(1), np.array([22.35])
    )
    done = predict(MODELS["bgnbd"], purchases, one, horizon=39, spend=spend, draws=50)
    assert done.expected_purchases[0] == pytest.approx(1.226, abs=5e-4)
    low, mid, high = done.ltv_band[:, 0]
    assert low <= mid <= high and low <= done.ltv[0] <= high
    cheaper = predict(
        MODELS["bgnbd"], purchases, one, horizon=39, spend=spend, discount_rate=0.01, draws=5
    )
    assert cheaper.ltv[0] < done.ltv[0]


def test_holdout_validation_numbers() -> None:
    rng = np.random.default_rng(3)
    truth = np.array([0.8, 10.0, 0.9, 3.5])
    age = rng.uniform(20, 40, 3000)
    x, tx = bgnbd.simulate(truth, age, rng)
    data = Summary(x, tx, age, np.ones(3000), np.full(3000, np.nan))
    later, _ = bgnbd.simulate(truth, age + 26, np.random.default_rng(4))
    actual = np.maximum(later - x, 0)  # rough holdout counts for the test
    done = validate(MODELS["bgnbd"], fit("bgnbd", data), data, actual, 26.0)
    assert done.mae >= 0 and done.table[0].frequency == "0"
    assert done.degrees_of_freedom == 8 - 1 - 4 and done.p_value is not None
    assert sum(done.histogram_observed) == pytest.approx(3000)
    assert sum(done.histogram_expected) == pytest.approx(3000)


def test_rfm_quintiles_and_segments() -> None:
    assert quintile(np.arange(10.0)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    data = Summary(
        np.array([9.0, 0.0, 3.0]),
        np.array([30.0, 0.0, 2.0]),
        np.full(3, 31.0),
        np.ones(3),
        np.array([50.0, np.nan, 20.0]),
    )
    scores = rfm(data)
    assert scores.segment[0] == "champions" and scores.segment[1] == "hibernating"
