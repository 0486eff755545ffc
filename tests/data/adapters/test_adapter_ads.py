"""Meta Ads and LinkedIn Ads -> spend."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from pilotage.data.adapters import linkedin_ads, meta_ads
from pilotage.data.readers.raw import RawTable
from pilotage.errors import InputError


def test_meta_insights(fixture_raw: Callable[..., RawTable]) -> None:
    out = meta_ads.convert(fixture_raw("meta_ads_insights.json"))
    data = out.data.to_pylist()
    # omni_purchase (5) wins over the pixel purchase (4); never summed.
    assert (data[0]["platform_conversions"], data[0]["platform_conversion_value"]) == (
        "5", "471.5",
    )  # fmt: skip
    assert (data[1]["platform_conversions"], data[1]["platform_conversion_value"]) == (
        "3", "289",
    )  # fmt: skip
    assert data[2]["platform_conversions"] == "9"  # lead, no purchase type
    assert data[3]["platform_conversions"] is None  # no conversion type tracked
    assert [r["reach"] for r in data] == ["8120", "7654", "17310", "35022", "33540"]
    assert data[0]["cost"] == "84.37" and data[0]["currency"] == "EUR"
    assert data[0]["ad_group"] == "Website visitors 30d"
    assert {r["channel"] for r in data} == {"paid_social"}
    assert "actions" in out.columns and "frequency" in out.columns


def test_meta_refuses_non_daily_rows(make_raw: Callable[..., RawTable]) -> None:
    row = {"date_start": "2026-11-01", "date_stop": "2026-11-01", "campaign_id": "1", "spend": "3"}
    raw = make_raw([row, {**row, "date_stop": "2026-11-07"}], source="insights.csv")
    with pytest.raises(InputError) as err:
        meta_ads.convert(raw)
    text = str(err.value)
    assert "insights.csv, line 3, column 'date_stop'" in text
    assert "not a daily row" in text and "Fix: export with time_increment=1" in text


def test_meta_actions_not_a_list(make_raw: Callable[..., RawTable]) -> None:
    row = {"date_start": "2026-11-01", "campaign_id": "1", "spend": "3"}
    raw = make_raw([{**row, "actions": json.dumps({"purchase": 3})}])
    with pytest.raises(InputError) as err:
        meta_ads.convert(raw)
    text = str(err.value)
    assert "export.csv, line 2, column 'actions'" in text and "not a JSON list" in text
    assert "Fix: export actions and action_values as JSON lists" in text


def test_linkedin_export(fixture_raw: Callable[..., RawTable]) -> None:
    out = linkedin_ads.convert(fixture_raw("linkedin_campaign_performance.csv"))
    data = out.data.to_pylist()
    assert [r["date"] for r in data] == [
        "2026-11-23", "2026-11-23", "2026-11-24", "2026-11-24", "2026-11-25",
    ]  # fmt: skip
    assert data[2]["cost"] == "1203.55" and data[0]["impressions"] == "6212"
    assert data[1]["platform_conversions"] == "2"
    assert data[0]["Leads"] == "6" and data[0]["Reactions"] == "12"  # kept as extras
    assert {r["channel"] for r in data} == {"paid_social"}


def test_linkedin_missing_spent(make_raw: Callable[..., RawTable]) -> None:
    raw = make_raw([{"Start Date (in UTC)": "11/23/2026", "Campaign ID": "1"}])
    with pytest.raises(InputError) as err:
        linkedin_ads.convert(raw)
    text = str(err.value)
    assert "line 1, column 'Total Spent'" in text and "Daily time breakdown" in text
