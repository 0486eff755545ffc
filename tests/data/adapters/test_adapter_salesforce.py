from __future__ import annotations

from collections.abc import Callable

import pytest

from pilotage.data.adapters import salesforce
from pilotage.data.readers.raw import RawTable
from pilotage.errors import InputError


def test_opportunities(fixture_raw: Callable[..., RawTable]) -> None:
    data = salesforce.convert_opportunities(
        fixture_raw("salesforce_opportunities.csv")
    ).data.to_pylist()
    won, open_ = data[0], data[1]
    assert won["created_at"] == "2026-09-20T09:30:00+00:00"
    assert (won["is_closed"], won["is_won"], won["closed_at"]) == ("true", "true", "2026-11-03")
    assert open_["closed_at"] is None and open_["CloseDate"] == "2026-12-18"
    assert [r["source"] for r in data] == ["marketing", "partner", "marketing", "sales", None]
    assert won["primary_campaign_id"] == "7015g000000AbC1AAK" and won["currency"] == "EUR"


def test_campaigns(fixture_raw: Callable[..., RawTable]) -> None:
    data = salesforce.convert_campaigns(fixture_raw("salesforce_campaigns.csv")).data.to_pylist()
    assert [(r["channel"], r["program"]) for r in data] == [
        (None, "other"),
        ("webinars", "webinar"),
        ("events", "trade_show"),
        ("email", "email"),
        ("display", "advertisement"),
        (None, "direct_mail"),
    ]
    assert data[1]["budget"] == "3500.0" and data[1]["ActualCost"] == "2980.0"


def test_campaign_members(fixture_raw: Callable[..., RawTable]) -> None:
    out = salesforce.convert_members(fixture_raw("salesforce_campaign_members.csv"))
    data = out.data.to_pylist()
    assert [r["person_id"] for r in data] == [
        "00Q5g00000LeAd1AAK", "0035g00000CoNt2AAK", "0035g00000CoNt3AAK",
        "00Q5g00000LeAd4AAK", "0035g00000CoNt5AAK",
    ]  # fmt: skip
    assert data[0]["touched_at"] == "2026-11-02T08:12:00+00:00"  # not responded
    assert data[1]["touched_at"] == "2026-11-12"  # FirstRespondedDate
    assert data[0]["touch_id"] == "00v5g00000MbR1AAK"
    assert {r["channel"] for r in data} == {None}  # the loader fills it from campaigns


def test_members_without_person_columns(make_raw: Callable[..., RawTable]) -> None:
    raw = make_raw([{"Id": "1", "CampaignId": "7", "CreatedDate": "2026-11-02"}])
    with pytest.raises(InputError) as err:
        salesforce.convert_members(raw)
    text = str(err.value)
    assert "line 1, column 'ContactId'" in text and "Fix: add the ContactId and LeadId" in text


def test_bad_boolean(make_raw: Callable[..., RawTable]) -> None:
    raw = make_raw([{"Id": "1", "AccountId": "2", "IsClosed": "maybe"}])
    with pytest.raises(InputError) as err:
        salesforce.convert_opportunities(raw)
    assert "line 2, column 'IsClosed'" in str(err.value)
