from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pilotage.data.adapters.google_ads import convert
from pilotage.data.readers.raw import RawTable
from pilotage.errors import InputError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "adapters"


def test_gaql_report(fixture_raw: Callable[..., RawTable]) -> None:
    out = convert(fixture_raw("google_ads_gaql.csv"))
    first = out.data.to_pylist()[0]
    assert first["date"] == "2026-11-01"
    assert first["cost"] == "12.34567"  # cost_micros 12345670
    assert first["campaign_id"] == "21345678901"
    assert first["platform_conversions"] == "14"
    assert first["platform_conversion_value"] == "3120.5"
    assert first["currency"] == "EUR"
    assert first["campaign.advertising_channel_type"] == "SEARCH"  # kept as an extra
    assert out.data.column("channel").to_pylist() == [
        "paid_search", "paid_search", "paid_search", "display", "video", "display",
        "paid_search", "paid_search",
    ]  # fmt: skip
    assert out.lines.to_pylist() == [2, 3, 4, 5, 6, 7, 8, 9]


def test_ui_csv_drops_total_rows(fixture_raw: Callable[..., RawTable]) -> None:
    out = convert(fixture_raw("google_ads_ui.csv"))
    data = out.data.to_pylist()
    assert len(data) == 6
    assert not any(str(r["campaign_id"]).startswith("-") for r in data)
    assert [r["cost"] for r in data] == ["12.35", "23.1", "11.98", "21.04", "1013.4", "0"]
    assert data[0]["impressions"] == "1843"
    assert data[0]["platform_conversion_value"] == "3120.5"
    assert data[5]["platform_conversion_value"] is None  # '--'
    assert data[1]["campaign_name"] == "Retargeting, all visitors"
    assert data[1]["channel"] == "display"
    assert out.lines.to_pylist() == [4, 5, 6, 7, 8, 9]  # the file's lines, titles included


def test_nested_api_json(make_raw: Callable[..., RawTable]) -> None:
    raw = make_raw(
        [
            {
                "campaign": '{"id": "42", "name": "Brand", "advertisingChannelType": "VIDEO"}',
                "metrics": '{"costMicros": "1500000", "impressions": "10", "clicks": "2"}',
                "segments": '{"date": "2026-11-01"}',
            }
        ]
    )
    [row] = convert(raw).data.to_pylist()
    assert (row["date"], row["campaign_id"], row["cost"], row["channel"]) == (
        "2026-11-01", "42", "1.5", "video",
    )  # fmt: skip


def test_missing_cost_column(make_raw: Callable[..., RawTable]) -> None:
    raw = make_raw([{"Day": "2026-11-01", "Campaign ID": "1", "Clicks": "3"}])
    with pytest.raises(InputError) as err:
        convert(raw)
    text = str(err.value)
    assert "export.csv, line 1, column 'Cost'" in text
    assert "Google Ads export has no 'Cost' column" in text
    assert "Fix: download the report with the Day segment" in text


def test_bad_micros_and_duplicate_rows(make_raw: Callable[..., RawTable]) -> None:
    row = {"segments.date": "2026-11-01", "campaign.id": "7", "metrics.cost_micros": "12.5"}
    with pytest.raises(InputError) as err:
        convert(make_raw([row, {**row, "metrics.cost_micros": "5"}]))
    text = str(err.value)
    assert "line 2, column 'metrics.cost_micros'" in text and "whole number" in text
    assert "line 3, column 'campaign_id'" in text and "first is on line 2" in text
