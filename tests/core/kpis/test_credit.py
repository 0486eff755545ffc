"""Rule attribution credit on a literal journey, and its invariants on random journeys."""

from __future__ import annotations

import datetime as dt
import math
import random

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.kpis.credit import CREDIT_MODELS, credited

T0 = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
OUTCOMES = pa.table(
    {
        "outcome_id": pa.array(["o1", "lonely"]),
        "at": pa.array([T0, T0], pa.timestamp("us", tz="UTC")),
        "match": pa.array(["p:x", "p:nobody"]),
    }
)


def journey(*touches: tuple[str, float, str]) -> pa.Table:
    """(match, days before T0, channel) per touch; campaign = channel + '_c'."""
    return pa.table(
        {
            "match": pa.array([m for m, _, _ in touches]),
            "touched_at": pa.array(
                [T0 - dt.timedelta(days=d) for _, d, _ in touches], pa.timestamp("us", tz="UTC")
            ),
            "channel": pa.array([c for _, _, c in touches]),
            "campaign_id": pa.array([f"{c}_c" for _, _, c in touches]),
        }
    )


#: 40 days before (only within a 60-day lookback), 9, 7 and 2 days before, then 1 day AFTER
#: the outcome (never counts).
JOURNEY = journey(
    ("p:x", 40, "organic_search"),
    ("p:x", 9, "paid_search"),
    ("p:x", 7, "email"),
    ("p:x", 2, "direct"),
    ("p:x", -1, "display"),
    ("p:other", 1, "video"),
)


def credit(model: str, lookback: int, outcomes: pa.Table = OUTCOMES) -> dict[str, dict]:
    """outcome -> channel (None: unattributed) -> summed weight."""
    rows = (
        credited(ibis.memtable(outcomes), ibis.memtable(JOURNEY), model, lookback)  # type: ignore[arg-type]
        .to_pyarrow()
        .to_pylist()
    )
    out: dict[str, dict] = {}
    for row in rows:
        per = out.setdefault(row["outcome_id"], {})
        per[row["channel"]] = per.get(row["channel"], 0.0) + row["weight"]
    return out


def approx(got: dict, expected: dict) -> None:
    assert {k for k, v in got.items() if v > 1e-12} == set(expected), got
    for key, value in expected.items():
        assert math.isclose(got[key], value, rel_tol=1e-12), (key, got[key], value)


# Within 30 days: paid_search (9 days), email (7), direct (2).
DECAY = {"paid_search": 2 ** (-9 / 7), "email": 2 ** (-7 / 7), "direct": 2 ** (-2 / 7)}
EXPECTED_30 = {
    "last": {"direct": 1.0},
    "first": {"paid_search": 1.0},
    "last_non_direct": {"email": 1.0},
    "linear": {"paid_search": 1 / 3, "email": 1 / 3, "direct": 1 / 3},
    "position": {"paid_search": 0.4, "email": 0.2, "direct": 0.4},
    "time_decay": {k: v / sum(DECAY.values()) for k, v in DECAY.items()},
}


@pytest.mark.parametrize("model", CREDIT_MODELS)
def test_each_model_on_a_literal_journey(model: str) -> None:
    got = credit(model, lookback=30)
    approx(got["o1"], EXPECTED_30[model])
    # no touch: the whole outcome stays unattributed (channel null), never spread
    assert got["lonely"] == {None: 1.0}


def test_the_lookback_window_and_position_with_four_touches() -> None:
    # within 60 days the organic_search touch (40 days) is in: it becomes first
    assert credit("first", lookback=60)["o1"] == {"organic_search": 1.0}
    approx(
        credit("position", lookback=60)["o1"],
        {"organic_search": 0.4, "paid_search": 0.1, "email": 0.1, "direct": 0.4},
    )
    approx(
        credit("linear", lookback=60)["o1"],
        dict.fromkeys(EXPECTED_30["linear"], 0.25) | {"organic_search": 0.25},
    )
    # within 5 days only the direct touch remains
    assert credit("first", lookback=5)["o1"] == {"direct": 1.0}
    assert credit("position", lookback=5)["o1"] == {"direct": 1.0}
    # last non-direct falls back on direct when nothing else is there
    assert credit("last_non_direct", lookback=5)["o1"] == {"direct": 1.0}
    # two touches: half each
    approx(credit("position", lookback=8)["o1"], {"email": 0.5, "direct": 0.5})


@pytest.mark.parametrize("model", CREDIT_MODELS)
def test_a_touch_after_the_outcome_never_counts(model: str) -> None:
    for lookback in (5, 30, 60, 365):
        assert "display" not in credit(model, lookback)["o1"]
        assert "video" not in credit(model, lookback)["o1"]  # someone else's touch


def test_unknown_model_is_refused() -> None:
    with pytest.raises(ValueError, match="no rule attribution model 'markov'"):
        credited(ibis.memtable(OUTCOMES), ibis.memtable(JOURNEY), "markov", 30)  # type: ignore[arg-type]


# --- invariants on random journeys ------------------------------------------------------

CHANNELS = ("paid_search", "email", "direct", "events")
touch_st = st.tuples(
    st.sampled_from(["p:a", "p:b", "p:c"]),
    st.integers(-5, 40).map(float),  # days before T0; negative: after
    st.sampled_from(CHANNELS),
)
outcome_st = st.tuples(st.sampled_from(["p:a", "p:b", "p:c", "p:z"]), st.integers(0, 20))


def _outcomes(rows: list[tuple[str, int]]) -> pa.Table:
    return pa.table(
        {
            "outcome_id": pa.array([f"o{i}" for i in range(len(rows))]),
            "at": pa.array(
                [T0 - dt.timedelta(days=d) for _, d in rows], pa.timestamp("us", tz="UTC")
            ),
            "match": pa.array([m for m, _ in rows]),
        }
    )


def _weights(outcomes: pa.Table, touches: pa.Table, model: str) -> dict[str, float]:
    rows = credited(ibis.memtable(outcomes), ibis.memtable(touches), model, 14).to_pyarrow()  # type: ignore[arg-type]
    out: dict[str, float] = {}
    for r in rows.to_pylist():
        key = f"{r['outcome_id']}|{r['channel']}"
        out[key] = out.get(key, 0.0) + r["weight"]
    return out


@settings(max_examples=20, deadline=None)
@given(
    st.lists(touch_st, min_size=0, max_size=10),
    st.lists(outcome_st, min_size=1, max_size=5, unique=True),
    st.randoms(use_true_random=False),
)
def test_credits_sum_to_the_outcomes_for_every_model_in_any_row_order(
    touches: list[tuple[str, float, str]], outcome_rows: list[tuple[str, int]], rnd: random.Random
) -> None:
    outcomes = _outcomes(outcome_rows)
    table = journey(*touches) if touches else journey(("p:none", 0, "email"))
    shuffled_touches = table.take(rnd.sample(range(table.num_rows), table.num_rows))
    shuffled_outcomes = outcomes.take(rnd.sample(range(outcomes.num_rows), outcomes.num_rows))
    for model in CREDIT_MODELS:
        weights = _weights(outcomes, table, model)
        per_outcome: dict[str, float] = {}
        for key, w in weights.items():
            assert w >= -1e-12
            per_outcome[key.split("|")[0]] = per_outcome.get(key.split("|")[0], 0.0) + w
        assert set(per_outcome) == {f"o{i}" for i in range(len(outcome_rows))}
        assert all(math.isclose(w, 1.0, rel_tol=1e-9) for w in per_outcome.values()), model
        assert math.isclose(sum(weights.values()), len(outcome_rows), rel_tol=1e-9)
        again = _weights(shuffled_outcomes, shuffled_touches, model)
        assert again.keys() == weights.keys(), model
        assert all(math.isclose(again[k], weights[k], abs_tol=1e-12) for k in weights), model
