"""Paths, retention cohorts and the sBG retention curve on literal logs, counted by hand;
the curve's fit pinned to Fader and Hardie (2007)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from pilotage.core.attribution import journeys as jn
from pilotage.core.journey import paths as px
from pilotage.core.journey import retention as rx
from pilotage.core.journey.curve import durations, fit_curve, observed
from pilotage.core.journey.steps import parse_matcher
from pilotage.errors import UsageError

ZONE = "UTC"


def test_paths_to_conversion_and_drop_off(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        touchpoints=[
            lg.touch("p1", 0, channel="seo"),
            lg.touch("p1", 1, channel="seo"),  # repeat: collapsed
            lg.touch("p1", 2, channel="email"),
            lg.touch("p1", 9, channel="ads"),  # after the conversion: not on the path
            lg.touch("p2", 0, channel="seo"),
            lg.touch("p2", 1, channel="email"),
            lg.touch("p3", 0, channel="ads"),
        ],
        conversions=[lg.conversion("p1", 3, "purchase"), lg.conversion("p2", 2, "lead")],
    )
    spec = px.PathSpec(parse_matcher("conversion:purchase"))
    rows = run(px.path_rows(tables, spec, ZONE))
    found: dict[str, list[tuple[int, str, float]]] = {}
    for r in rows:
        found.setdefault(r["owner"], []).append((r["position"], r["channel"], r["conversions"]))
    assert sorted(found["p1"]) == [
        (0, "touch.channel:seo", 1.0),
        (1, "touch.channel:email", 1.0),
    ]
    assert [c for _, c, _ in sorted(found["p2"])] == [
        "touch.channel:seo",
        "touch.channel:email",
        "conversion:lead",
    ]
    assert [c for _, c, _ in found["p3"]] == ["touch.channel:ads"]
    lengths = {
        r["length"]: (r["converters"], r["dropped"])
        for r in run(px.lengths(px.path_rows(tables, spec, ZONE)))
    }
    assert lengths == {2: (1.0, 0.0), 3: (0.0, 1.0), 1: (0.0, 1.0)}


def test_long_paths_keep_their_last_steps_after_an_ellipsis(run: Any, logs: Any) -> None:
    lg = logs
    channels = ["a", "b", "c", "d", "e"]
    tables = lg.Tables(
        touchpoints=[lg.touch("p1", i, channel=c) for i, c in enumerate(channels)],
    )
    spec = px.PathSpec(None, sources=("touch",), steps=2)
    rows = sorted(run(px.path_rows(tables, spec, ZONE)), key=lambda r: r["position"])
    assert [r["channel"] for r in rows] == [px.ELLIPSIS, "touch.channel:d", "touch.channel:e"]
    assert rows[0]["full"] == 5 and rows[0]["length"] == 3
    encoding = jn.Encoding(
        channels=tuple(sorted(r["channel"] for r in rows)), max_age=0, max_length=3, with_ages=False
    )
    import ibis

    packed = run(jn.path_patterns(ibis.memtable(rows), encoding))
    columns = {k: np.array([r[k] for r in packed]) for k in packed[0]}
    counts = jn.decode(columns, encoding)
    assert [counts.channels[i] for i in counts.touches] == [
        px.ELLIPSIS,
        "touch.channel:d",
        "touch.channel:e",
    ]
    assert counts.nulls.tolist() == [1.0]


def test_next_and_previous_steps(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        touchpoints=[lg.touch("p1", 0, channel="seo"), lg.touch("p2", 0, channel="ads")],
        conversions=[
            lg.conversion("p1", 1, "signup"),
            lg.conversion("p1", 3, "purchase"),
            lg.conversion("p2", 1, "signup"),
        ],
    )
    spec = px.PathSpec(None)
    signup = parse_matcher("conversion:signup")
    after = {
        r["label"]: (r["occurrences"], r["median"])
        for r in run(px.step_view(tables, spec, signup, "next", ZONE))
    }
    assert after == {"conversion:purchase": (1, 2 * 86_400.0), px.END: (1, None)}
    before = {
        r["label"]: r["occurrences"]
        for r in run(px.step_view(tables, spec, signup, "previous", ZONE))
    }
    assert before == {"touch.channel:seo": 1, "touch.channel:ads": 1}


def test_bad_path_specs_are_refused() -> None:
    with pytest.raises(UsageError, match="steps per path"):
        px.PathSpec(None, steps=0)
    with pytest.raises(UsageError, match="touches cannot be labelled"):
        px.PathSpec(None, touch_label="campaign")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="unknown or missing path sources"):
        px.PathSpec(None, sources=("web",))  # type: ignore[arg-type]


def cohort_log(lg: Any) -> Any:
    """Signups p1, p2 (day 0) and p3 (day 35); logins after them; data ends day 70."""
    return lg.Tables(
        people=[
            {"person_id": "p1", "acquisition_channel": "seo"},
            {"person_id": "p2", "acquisition_channel": "ads"},
            {"person_id": "p3", "acquisition_channel": "seo"},
        ],
        conversions=[
            lg.conversion("p1", 0, "signup"),
            lg.conversion("p2", 0, "signup"),
            lg.conversion("p3", 35, "signup"),
            lg.conversion("p1", 40, "signup"),  # a second signup: the first one counts
        ],
        product_events=[
            lg.product("p1", 5, "login"),  # period 0
            lg.product("p1", 45, "login"),  # period 1 (30-day periods)
            lg.product("p2", 65, "login"),  # period 2: not complete yet for p2 (ends day 90)
            lg.product("p3", 40, "login"),  # p3's period 0
        ],
        orders=[
            {"order_id": "o1", "person_id": "p1", "ordered_at": lg.at(1), "amount": 100.0},
            {"order_id": "o2", "person_id": "p1", "ordered_at": lg.at(31), "amount": 50.0},
        ],
    )


def spec(returns: str = "product", **kw: Any) -> rx.RetentionSpec:
    return rx.RetentionSpec(parse_matcher("conversion:signup"), parse_matcher(returns), **kw)


def test_cohorts_count_only_complete_periods(run: Any, logs: Any) -> None:
    lg = logs
    tables = cohort_log(lg)
    s = spec(periods=3)
    members = rx.members(tables, s, lg.at(70), ZONE)
    got = {r["owner"]: (r["horizon"], r["row"]) for r in run(members)}
    # p1, p2: 70 days = 2 whole periods (0, 1); p3: 35 days = period 0 only.
    assert got == {"p1": (1, "2026-01-01"), "p2": (1, "2026-01-01"), "p3": (0, "2026-02-01")}
    act = rx.activity(tables, s, members)
    active = {(r["row"], r["period"]): r["members"] for r in run(rx.active(act, 3))}
    assert active == {("2026-01-01", 0): 2, ("2026-01-01", 1): 1, ("2026-02-01", 0): 1}
    lasts = {(r["row"], r["last"], r["horizon"]): r["members"] for r in run(rx.lasts(act))}
    assert lasts == {("2026-01-01", 1, 1): 1, ("2026-01-01", 0, 1): 1, ("2026-02-01", 0, 0): 1}
    brackets = spec(periods=3, mode="bracket", brackets=((1, 2),))
    got_b = run(rx.in_brackets(rx.activity(tables, brackets, members), brackets.brackets))
    assert [(r["row"], r["bracket"], r["horizon"], r["members"]) for r in got_b] == [
        ("2026-01-01", 0, 1, 1)
    ]


def test_cohort_rows_by_channel_and_revenue(run: Any, logs: Any) -> None:
    lg = logs
    tables = cohort_log(lg)
    by_channel = spec(rows="channel")
    rows = {r["owner"]: r["row"] for r in run(rx.members(tables, by_channel, lg.at(70), ZONE))}
    assert rows == {"p1": "seo", "p2": "ads", "p3": "seo"}
    money = spec("order", measure="revenue")
    members = rx.members(tables, money, lg.at(70), ZONE)
    got = {(r["row"], r["period"]): r["amount"] for r in run(rx.revenue(tables, money, members))}
    assert got == {("2026-01-01", 0): 100.0, ("2026-01-01", 1): 50.0}


def test_bad_retention_specs_are_refused() -> None:
    with pytest.raises(UsageError, match="needs brackets"):
        spec(mode="bracket")
    with pytest.raises(UsageError, match="not after the one before"):
        spec(mode="bracket", brackets=((2, 3), (3, 4)))
    with pytest.raises(UsageError, match="revenue retention is per period"):
        spec(measure="revenue", mode="unbounded")
    with pytest.raises(UsageError, match="subscriptions belong to accounts"):
        spec(measure="revenue", revenue_source="subscriptions")
    with pytest.raises(UsageError, match="unknown unit"):
        spec(unit="year")


#: Fader and Hardie (2007), "How to project customer retention", the "regular" cohort:
#: survivors of 1,000 customers over seven years; MLE alpha 0.704, beta 1.182, LL -1680.3.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]


def regular_rows() -> list[tuple[int, int, float]]:
    lost = [(t - 1, 7, float(REGULAR[t - 1] - REGULAR[t])) for t in range(1, 8)]
    return [*lost, (7, 7, float(REGULAR[-1]))]


def test_the_curve_reproduces_fader_and_hardie() -> None:
    data = durations(regular_rows())
    assert data is not None and data.n_customers == 1000
    curve = fit_curve(data, horizon=12)
    assert curve is not None
    params = curve.estimate.params
    assert round(params["alpha"], 3) == 0.704 and round(params["beta"], 3) == 1.182
    assert round(curve.estimate.log_likelihood, 1) == -1680.3
    km = observed(data, 7)
    assert km == pytest.approx([s / 1000 for s in REGULAR])
    assert curve.low[12] < curve.survival[12] < curve.high[12]
    assert all(a >= b for a, b in zip(curve.survival, curve.survival[1:], strict=False))


def test_curve_needs_churned_members() -> None:
    assert durations([(0, 0, 10.0)]) is None
    data = durations([(3, 3, 100.0), (0, 3, 2.0)])
    assert data is not None and fit_curve(data, 6) is None
