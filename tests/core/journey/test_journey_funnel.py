"""Funnels on literal event logs: every count below is worked out by hand from the rows,
and a brute-force Python funnel agrees with the Ibis one on generated logs."""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.core.journey.funnel import funnel_owners, step_counts, trend
from pilotage.core.journey.funnel_spec import Exclusion, FunnelSpec, FunnelStep
from pilotage.core.journey.steps import parse_matcher

DAY = 86_400
ZONE = "UTC"


def steps(*events: str, **limits: dict[int, int]) -> tuple[FunnelStep, ...]:
    """Steps of ``events``; ``within``/``min_gap``/``max_gap`` map step number -> seconds."""
    return tuple(
        FunnelStep(
            parse_matcher(e),
            within=limits.get("within", {}).get(i),
            min_gap=limits.get("min_gap", {}).get(i),
            max_gap=limits.get("max_gap", {}).get(i),
        )
        for i, e in enumerate(events, start=1)
    )


def counts(run: Any, tables: Any, spec: FunnelSpec, end: datetime.datetime) -> dict[str, Any]:
    owners = funnel_owners(tables, spec, end, ZONE)
    row: dict[str, Any] = run(step_counts(owners, len(spec.steps), by_group=False))[0]
    return row


def by_owner(run: Any, tables: Any, spec: FunnelSpec, end: datetime.datetime) -> dict[str, Any]:
    return {r["owner"]: r for r in run(funnel_owners(tables, spec, end, ZONE))}


def test_ordered_funnel_counts_steps_in_order_within_the_window(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        product_events=[
            # p1: a, b, c in order: converts, 2 days end to end.
            lg.product("p1", 0, "a"),
            lg.product("p1", 1, "b"),
            lg.product("p1", 2, "c"),
            # p2: c before b: reaches b only.
            lg.product("p2", 0, "a"),
            lg.product("p2", 0.5, "c"),
            lg.product("p2", 1, "b"),
            # p3: b after the 7-day window: stops at a.
            lg.product("p3", 0, "a"),
            lg.product("p3", 8, "b"),
            # p4: never does a: not an entrant.
            lg.product("p4", 1, "b"),
            # p5: enters late, data ends 2 days later: in progress at a.
            lg.product("p5", 18, "a"),
        ]
    )
    spec = FunnelSpec(steps("product:a", "product:b", "product:c"), window=7 * DAY)
    end = lg.at(20)
    row = counts(run, tables, spec, end)
    assert (row["entered"], row["reached1"], row["reached2"], row["reached3"]) == (4, 4, 2, 1)
    assert (row["open1"], row["open2"]) == (1, 0)
    # Rates count only owners whose time is over: p5 (entered day 18) is not.
    assert (row["mature1"], row["advanced1"]) == (3, 2)
    assert (row["mature2"], row["advanced2"]) == (2, 1)
    assert (row["mature"], row["converted_mature"]) == (3, 1)
    assert row["q50"] == 2 * DAY
    owners = by_owner(run, tables, spec, end)
    assert owners["p2"]["depth"] == 2 and not owners["p2"]["open"]
    assert owners["p5"]["open"] and owners["p5"]["depth"] == 1
    assert owners["p1"]["gap2"] == DAY and owners["p1"]["total"] == 2 * DAY


def test_per_step_window_and_gaps(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        product_events=[
            lg.product("p1", 0, "a"),
            lg.product("p1", 0.01, "b"),  # too soon: min gap 1 hour
            lg.product("p1", 0.5, "b"),  # kept: 12 h after a
            lg.product("p2", 0, "a"),
            lg.product("p2", 3, "b"),  # max gap 2 days: too late
            lg.product("p3", 0, "a"),
            lg.product("p3", 1, "b"),
            lg.product("p3", 5, "c"),  # within 4 days of the entry: too late
        ]
    )
    spec = FunnelSpec(
        steps(
            "product:a",
            "product:b",
            "product:c",
            min_gap={2: 3_600},
            max_gap={2: 2 * DAY},
            within={3: 4 * DAY},
        ),
        window=30 * DAY,
    )
    owners = by_owner(run, tables, spec, lg.at(60))
    assert owners["p1"]["gap2"] == 0.5 * DAY
    assert owners["p2"]["depth"] == 1
    assert owners["p3"]["depth"] == 2


def test_same_event_never_counts_as_two_overlapping_steps(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        touchpoints=[
            lg.touch("p1", 0, channel="email"),
            lg.touch("p2", 0),
            lg.touch("p2", 1, channel="email"),
        ]
    )
    spec = FunnelSpec(steps("touch", "touch.channel:email"), window=7 * DAY)
    owners = by_owner(run, tables, spec, lg.at(30))
    assert owners["p1"]["depth"] == 1
    assert owners["p2"]["depth"] == 2


def test_distinct_sources_at_one_instant_are_in_order(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        touchpoints=[lg.touch("p1", 0, "form_submit")],
        conversions=[lg.conversion("p1", 0, "lead")],
    )
    spec = FunnelSpec(steps("touch:form_submit", "conversion:lead"))
    assert by_owner(run, tables, spec, lg.at(30))["p1"]["depth"] == 2


def test_strict_order_needs_the_very_next_event(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        product_events=[
            # p1: a, x, b: b is not next after a; the later a, b is.
            lg.product("p1", 0, "a"),
            lg.product("p1", 1, "x"),
            lg.product("p1", 2, "b"),
            lg.product("p1", 3, "a"),
            lg.product("p1", 4, "b"),
            # p2: a, x, b only: strict stops at a.
            lg.product("p2", 0, "a"),
            lg.product("p2", 1, "x"),
            lg.product("p2", 2, "b"),
        ]
    )
    spec = FunnelSpec(steps("product:a", "product:b"), order="strict", window=7 * DAY)
    owners = by_owner(run, tables, spec, lg.at(60))
    assert owners["p1"]["depth"] == 2 and owners["p1"]["t1"] == lg.at(3)
    assert owners["p2"]["depth"] == 1
    ordered = FunnelSpec(steps("product:a", "product:b"), window=7 * DAY)
    assert by_owner(run, tables, ordered, lg.at(60))["p2"]["depth"] == 2


def test_any_order_counts_steps_done(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        product_events=[
            lg.product("p1", 0, "c"),
            lg.product("p1", 1, "a"),
            lg.product("p1", 2, "b"),
            lg.product("p2", 0, "b"),
            lg.product("p2", 9, "a"),  # outside the 7-day window
        ]
    )
    spec = FunnelSpec(steps("product:a", "product:b", "product:c"), order="any", window=7 * DAY)
    owners = by_owner(run, tables, spec, lg.at(60))
    assert owners["p1"]["depth"] == 3 and owners["p1"]["total"] == 2 * DAY
    assert owners["p2"]["depth"] == 1


def test_exclusion_removes_owners_between_its_steps(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        product_events=[
            lg.product("p1", 0, "a"),
            lg.product("p1", 1, "cancel"),
            lg.product("p1", 2, "b"),
            lg.product("p2", 0, "a"),
            lg.product("p2", 2, "b"),
            lg.product("p2", 3, "cancel"),  # after step 2: kept
        ]
    )
    spec = FunnelSpec(
        steps("product:a", "product:b"),
        window=7 * DAY,
        exclusions=(Exclusion(parse_matcher("product:cancel"), 1, 2),),
    )
    row = counts(run, tables, spec, lg.at(30))
    assert (row["entered"], row["excluded"], row["reached2"]) == (1, 1, 1)


def test_breakdowns_and_account_level(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        people=[
            {"person_id": "p1", "account_id": "A", "segment": "SMB", "acquisition_channel": "seo"},
            {"person_id": "p2", "account_id": "A", "segment": "SMB", "acquisition_channel": "ads"},
            {"person_id": "p3", "account_id": "B", "segment": "ENT", "acquisition_channel": "ads"},
        ],
        accounts=[
            {"account_id": "A", "name": "A", "tier": "tier 1"},
            {"account_id": "B", "name": "B", "tier": "tier 2"},
        ],
        touchpoints=[
            lg.touch("p1", -3, channel="email"),
            lg.touch("p1", -1, channel="paid_search"),
            lg.touch("p3", -2, channel="events"),
        ],
        conversions=[
            lg.conversion("p1", 0, "signup"),
            lg.conversion("p2", 1, "purchase"),
            lg.conversion("p3", 0, "signup"),
        ],
    )
    two = steps("conversion:signup", "conversion:purchase")
    end = lg.at(60)

    def groups(spec: FunnelSpec) -> dict[str, tuple[int, int]]:
        owners = funnel_owners(tables, spec, end, ZONE)
        rows = run(step_counts(owners, 2, by_group=True))
        return {r["grp"]: (r["entered"], r["reached2"]) for r in rows}

    assert groups(FunnelSpec(two, breakdown="tier")) == {"tier 1": (1, 0), "tier 2": (1, 0)}
    assert groups(FunnelSpec(two, breakdown="first_touch")) == {"email": (1, 0), "events": (1, 0)}
    assert groups(FunnelSpec(two, breakdown="last_touch")) == {
        "paid_search": (1, 0),
        "events": (1, 0),
    }
    # Account A: p1 signs up, p2 of the same account buys: the account converts.
    assert groups(FunnelSpec(two, level="account", breakdown="tier")) == {
        "tier 1": (1, 1),
        "tier 2": (1, 0),
    }
    kept = FunnelSpec(two, filters=(("segment", ("ENT",)),))
    assert run(step_counts(funnel_owners(tables, kept, end, ZONE), 2, False))[0]["entered"] == 1


def test_trend_by_entry_period(run: Any, logs: Any) -> None:
    lg = logs
    tables = lg.Tables(
        product_events=[
            lg.product("p1", 0, "a"),
            lg.product("p1", 1, "b"),
            lg.product("p2", 40, "a"),
        ]
    )
    spec = FunnelSpec(steps("product:a", "product:b"), window=7 * DAY, grain="month")
    rows = run(trend(funnel_owners(tables, spec, lg.at(43), ZONE), 2, "month"))
    got = {str(r["period_start"]): (r["entered"], r["converted"], r["open"]) for r in rows}
    assert got == {"2026-01-01": (1, 1, 0), "2026-02-01": (1, 0, 1)}


# -- a brute-force funnel agrees on generated logs ----------------------------------------------


def reference(
    log: list[tuple[str, int, str]], names: tuple[str, ...], window: int, end: int
) -> dict[str, tuple[int, bool]]:
    """(depth, open) per entrant: the first step-1 event, then each step's first event at
    or after the previous step within the window (hours)."""
    out = {}
    for owner in sorted({o for o, _, _ in log}):
        mine = sorted((h, e) for o, h, e in log if o == owner)
        firsts = [h for h, e in mine if e == names[0]]
        if not firsts:
            continue
        t1 = previous = firsts[0]
        depth = 1
        for name in names[1:]:
            found = [h for h, e in mine if e == name and h >= previous and h - t1 <= window]
            if not found:
                break
            previous, depth = found[0], depth + 1
        out[owner] = (depth, depth < len(names) and end - t1 < window)
    return out


events = st.tuples(
    st.sampled_from(["p1", "p2", "p3", "p4"]),
    st.integers(0, 200),
    st.sampled_from(["a", "b", "c"]),
)


@settings(max_examples=25, deadline=None)
@given(log=st.lists(events, min_size=1, max_size=30))
def test_the_ibis_funnel_matches_a_brute_force_one(run: Any, logs: Any, log: list[Any]) -> None:
    lg = logs
    hour = 3_600
    tables = lg.Tables(product_events=[lg.product(o, h / 24, e) for o, h, e in log])
    names = ("a", "b", "c")
    spec = FunnelSpec(steps(*(f"product:{n}" for n in names)), window=48 * hour)
    end = max(h for _, h, _ in log)
    got = by_owner(run, tables, spec, lg.at(end / 24))
    expected = reference(log, names, 48, end)
    assert {o: (r["depth"], bool(r["open"])) for o, r in got.items()} == expected
