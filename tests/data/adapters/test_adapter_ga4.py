from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from pilotage.data.adapters import ga4
from pilotage.data.readers.raw import RawTable
from pilotage.errors import InputError


def test_one_touchpoint_per_session(fixture_raw: Callable[..., RawTable]) -> None:
    out = ga4.convert(fixture_raw("ga4_events_20261124.jsonl"))
    data = out.data.to_pylist()
    assert out.lines.to_pylist() == [2, 5, 7, 9, 10]  # session_start, else first page_view
    paid, social, referral, continued, direct = data
    assert paid["touched_at"] == "2026-11-24T09:00:00.123456Z"
    assert paid["session_id"] == "1843021577.1795510790-1795510800"
    assert paid["touch_id"] == ga4.touch_id("1843021577.1795510790", "1795510800")
    assert (paid["source"], paid["medium"], paid["utm_campaign"], paid["utm_term"]) == (
        "google", "cpc", "fr_search_brand", "acme analytics",
    )  # fmt: skip
    assert paid["anonymous_id"] == "1843021577.1795510790" and paid["person_id"] is None
    assert social["person_id"] == "0035g00000CoNt2AAK"
    assert (social["source"], social["medium"], social["utm_content"]) == (
        "linkedin", "paid_social", "carousel_v2",
    )  # fmt: skip
    assert (referral["source"], referral["medium"]) == ("news.ycombinator.com", "referral")
    assert continued["landing_page"] == "https://www.acme-analytics.io/docs"
    assert (continued["source"], continued["medium"]) == (None, None)
    assert (direct["source"], direct["medium"]) == ("(direct)", "(none)")
    assert {r["touch_type"] for r in data} == {"visit"}
    assert {r["channel"] for r in data} == {None}  # the loader fills it from source/medium
    assert json.loads(paid["event_params"])[0]["key"] == "ga_session_id"  # kept as extra


def test_event_params_not_a_list(make_raw: Callable[..., RawTable]) -> None:
    raw = make_raw(
        [
            {
                "event_timestamp": "1795510800000000",
                "event_name": "session_start",
                "user_pseudo_id": "1.2",
                "event_params": '{"ga_session_id": 1}',
            }
        ],
        source="events.jsonl",
    )
    with pytest.raises(InputError) as err:
        ga4.convert(raw)
    text = str(err.value)
    assert "events.jsonl, line 2, column 'event_params'" in text and "not a JSON list" in text
    assert "Fix: keep event_params as the export's list" in text


def test_missing_timestamp(make_raw: Callable[..., RawTable]) -> None:
    raw = make_raw([{"event_name": "page_view", "user_pseudo_id": "1", "event_params": "[]"}])
    with pytest.raises(InputError) as err:
        ga4.convert(raw)
    assert "line 1, column 'event_timestamp'" in str(err.value)
