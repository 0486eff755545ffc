"""Event matchers, durations, Wilson intervals and the validation of funnel specs: every
bad input is refused with a message naming it and a fix."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilotage.core.journey.durations import format_duration, parse_duration
from pilotage.core.journey.funnel_spec import Exclusion, FunnelSpec, FunnelStep
from pilotage.core.journey.names import check_known
from pilotage.core.journey.rates import step_numbers, wilson
from pilotage.core.journey.steps import EventMatcher, Source, parse_matcher
from pilotage.errors import UsageError

DAY = 86_400


@pytest.mark.parametrize(
    ("text", "source", "filters"),
    [
        ("conversion:signup", "conversion", (("conversion_type", ("signup",)),)),
        ("touch.channel:email|paid_search", "touch", (("channel", ("email", "paid_search")),)),
        ("product", "product", ()),
        ("product:*", "product", ()),
        (
            "touch:visit&channel:seo",
            "touch",
            (("channel", ("seo",)), ("touch_type", ("visit",))),
        ),
        ("stage:mql", "stage", (("stage", ("mql",)),)),
    ],
)
def test_matchers_parse_and_write_back(text: str, source: str, filters: tuple[object, ...]) -> None:
    m = parse_matcher(text)
    assert (m.source, m.filters) == (source, filters)
    assert parse_matcher(m.text) == m


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("click:x", "unknown event source 'click'"),
        ("touch.colour:red", "touch events have no field 'colour'"),
        ("stage:won", "unknown lifecycle stage(s) 'won'"),
        ("conversion:", "has an empty value"),
        ("touch.channel", "names a field but no value"),
        ("touch:visit&seo", "needs FIELD:VALUE"),
        ("product:a\nb", "control character"),
    ],
)
def test_bad_matchers_are_refused(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_matcher(text)
    assert message in caught.value.message
    assert caught.value.fix


def test_overlap_is_same_source_and_no_disjoint_field() -> None:
    any_touch, email = parse_matcher("touch"), parse_matcher("touch.channel:email")
    assert any_touch.overlaps(email) and email.overlaps(any_touch)
    assert not email.overlaps(parse_matcher("touch.channel:seo"))
    assert not email.overlaps(parse_matcher("conversion:lead"))


def test_durations() -> None:
    assert parse_duration("30d") == 30 * DAY
    assert parse_duration("1.5h") == 5_400
    assert parse_duration(" 2W ") == 14 * DAY
    assert format_duration(30 * DAY) == "30d" and format_duration(14 * DAY) == "2w"
    assert format_duration(90) == "90s" and format_duration(1.5 * DAY + 1.2) == "1.5d"
    assert format_duration(64.9) == "65s" and format_duration(3_000.5) == "50.0m"
    assert format_duration(5 * 3_600 + 0.5) == "5.0h"
    for bad in ("30", "d", "-1d", "0d", "4000d"):
        with pytest.raises(UsageError):
            parse_duration(bad, "window")


def test_wilson_matches_the_published_formula() -> None:
    # Wilson (1927) score interval, z = 1.959964: 15 of 50 -> [0.1910, 0.4375];
    # 0 of 10 -> [0, 0.2775]; 10 of 10 -> [0.7225, 1].
    r = wilson(15, 50)
    assert (round(r.low or 0, 4), round(r.high or 0, 4)) == (0.1910, 0.4375)
    zero = wilson(0, 10)
    assert zero.low == 0 and round(zero.high or 0, 4) == 0.2775
    assert round(wilson(10, 10).low or 0, 4) == 0.7225
    assert wilson(0, 0).rate is None
    with pytest.raises(ValueError):
        wilson(3, 2)


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_brackets_the_rate_inside_0_1(successes: int, extra: int) -> None:
    trials = successes + extra
    r = wilson(successes, trials)
    assert r.low is not None and r.high is not None and r.rate is not None
    assert 0 <= r.low <= r.rate <= r.high <= 1
    assert math.isclose(r.rate, successes / trials)


def test_in_progress_is_neither_converted_nor_dropped() -> None:
    # 100 entered, 10 still inside their window at step 1; 60 reached step 2, 5 in
    # progress there; 30 reached step 3. Of the 80 at step 1 whose time for step 2 is
    # over, 50 went on; of the 40 at step 2 whose time is over, 20 went on.
    s = step_numbers([100, 60, 30], [10, 5], [80, 40], [50, 20], 0.95)
    assert [x.in_progress for x in s] == [10, 5, 0]
    assert [x.dropped for x in s] == [30, 25, 0]
    assert s[1].rate is not None and (s[1].rate.successes, s[1].rate.trials) == (50, 80)
    assert s[2].rate is not None and (s[2].rate.successes, s[2].rate.trials) == (20, 40)
    with pytest.raises(ValueError):
        step_numbers([1, 1], [0], [], [], 0.95)


def two(**kw: object) -> tuple[FunnelStep, ...]:
    return (FunnelStep(parse_matcher("product:a")), FunnelStep(parse_matcher("product:b"), **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: FunnelSpec(two()[:1]), "a funnel has 1 step(s)"),
        (lambda: FunnelSpec(two(), order="random"), "unknown order 'random'"),  # type: ignore[arg-type]
        (lambda: FunnelSpec(two(), level="team"), "unknown level 'team'"),  # type: ignore[arg-type]
        (lambda: FunnelSpec(two(), breakdown="colour"), "unknown breakdown 'colour'"),  # type: ignore[arg-type]
        (lambda: FunnelSpec(two(within=40 * DAY)), "longer than the funnel's window 30d"),
        (lambda: FunnelSpec(two(min_gap=2 * DAY, max_gap=DAY)), "min_gap 2d leaves no time"),
        (lambda: FunnelSpec(two(max_gap=DAY), order="any"), "this funnel is any-order"),
        (
            lambda: FunnelSpec((FunnelStep(parse_matcher("product:a"), within=DAY), *two()[1:])),
            "is the entry",
        ),
        (
            lambda: FunnelSpec(two(), exclusions=(Exclusion(parse_matcher("product:x"), 2, 3),)),
            "not inside the funnel's 2 steps",
        ),
        (
            lambda: FunnelSpec(two(), exclusions=(Exclusion(parse_matcher("product:b")),)),
            "is step 2 itself",
        ),
        (
            lambda: FunnelSpec(
                two(), order="any", exclusions=(Exclusion(parse_matcher("product:x")),)
            ),
            "any-order funnel has no between",
        ),
        (lambda: FunnelSpec(two(), filters=(("colour", ("red",)),)), "cannot filter funnels"),
    ],
)
def test_bad_funnels_are_refused(build: object, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        build()  # type: ignore[operator]
    assert message in caught.value.message, caught.value.message
    assert caught.value.fix


def test_unknown_names_come_with_close_matches() -> None:
    known: dict[tuple[Source, str], set[str]] = {
        ("product", "event"): {"login", "logout", "export"}
    }
    with pytest.raises(UsageError) as caught:
        check_known({("product", "event"): {"logni", "export"}}, known)
    assert "product.event 'logni' is in no event (did you mean 'login'" in caught.value.message
    nothing: dict[tuple[Source, str], set[str]] = {("product", "event"): set()}
    check_known({("product", "event"): {"anything"}}, nothing)
    check_known({("product", "event"): {"export"}}, known)


def test_matcher_values_are_sorted_and_unique() -> None:
    m = EventMatcher("product", (("event", ("b", "a", "b")),))
    assert m.filters == (("event", ("a", "b")),)
