from __future__ import annotations

from collections.abc import Callable

import pytest

from pilotage.data.adapters import hubspot
from pilotage.data.readers.raw import RawTable
from pilotage.errors import InputError


def test_contacts(fixture_raw: Callable[..., RawTable]) -> None:
    out = hubspot.convert_contacts(fixture_raw("hubspot_contacts.csv"))
    data = out.data.to_pylist()
    first = data[0]
    assert first["person_id"] == "51234001" and first["account_id"] == "18823001"
    assert first["created_at"] == "2026-09-02T10:14:00"
    assert first["customer_at"] == "2026-11-03T15:45:00"
    assert first["lifecycle_stage"] == "customer"
    assert first["Email"] == "claire.martin@lumen-industries.fr"
    assert [r["acquisition_channel"] for r in data] == [
        "organic_search", "paid_search", "paid_social", "email", "direct", "sales",
        "organic_social",
    ]  # fmt: skip
    assert data[2]["lifecycle_stage"] == "mql"


def test_companies(fixture_raw: Callable[..., RawTable]) -> None:
    data = hubspot.convert_companies(fixture_raw("hubspot_companies.csv")).data.to_pylist()
    assert data[1]["domain"] == "www.kraftwerk-logistik.de"
    assert (data[0]["is_target"], data[0]["tier"], data[0]["employees"]) == (
        "true",
        "Tier 1",
        "420",
    )
    assert data[0]["sales_owner"] == "Julie Bernard"


def test_deals(fixture_raw: Callable[..., RawTable]) -> None:
    data = hubspot.convert_deals(fixture_raw("hubspot_deals.csv")).data.to_pylist()
    won, open_, lost, offline = data
    assert (won["is_closed"], won["is_won"], won["closed_at"]) == (
        "true", "true", "2026-11-03T15:45:00",
    )  # fmt: skip
    assert (lost["is_closed"], lost["is_won"]) == ("true", "false")
    assert open_["closed_at"] is None and open_["Close Date"] == "2026-12-18 12:00"
    assert open_["account_id"] == "18823002"  # primary of "18823002;18823006"
    assert open_["Associated Company IDs"] == "18823002;18823006"
    assert offline["source"] == "sales" and won["source"] == "marketing"
    assert offline["amount"] == "36500.5"


def test_deal_stage_without_flag_columns(make_raw: Callable[..., RawTable]) -> None:
    raw = make_raw(
        [
            {"Record ID": "1", "Associated Company IDs": "9", "Deal Stage": "closedwon"},
            {"Record ID": "2", "Associated Company IDs": "9", "Deal Stage": "appointmentscheduled"},
            {"Record ID": "3", "Associated Company IDs": "9", "Deal Stage": "Custom stage"},
        ]
    )
    data = hubspot.convert_deals(raw).data.to_pylist()
    assert [(r["is_closed"], r["is_won"]) for r in data] == [
        ("true", "true"), ("false", "false"), (None, None),
    ]  # fmt: skip


def test_deals_with_company_names_instead_of_ids(make_raw: Callable[..., RawTable]) -> None:
    raw = make_raw([{"Record ID": "1", "Associated Company": "Acme", "Deal Stage": "closedwon"}])
    with pytest.raises(InputError) as err:
        hubspot.convert_deals(raw)
    text = str(err.value)
    assert "export.csv, line 2, column 'Associated Company'" in text
    assert "Fix: export the associated company record IDs" in text


def test_contacts_without_record_id(make_raw: Callable[..., RawTable]) -> None:
    with pytest.raises(InputError) as err:
        hubspot.convert_contacts(make_raw([{"Email": "a@b.c"}]))
    text = str(err.value)
    assert "line 1, column 'Record ID'" in text and "Fix: include the Record ID" in text
