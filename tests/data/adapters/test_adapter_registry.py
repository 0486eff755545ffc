from __future__ import annotations

from collections.abc import Callable

import pytest

from pilotage.data.adapters import ADAPTERS, get_adapter
from pilotage.data.readers.raw import RawTable
from pilotage.data.schema import TABLES
from pilotage.data.typed import ParseOptions
from pilotage.errors import UsageError

FIXTURES = {
    ("google-ads", "spend"): "google_ads_gaql.csv",
    ("meta-ads", "spend"): "meta_ads_insights.json",
    ("linkedin-ads", "spend"): "linkedin_campaign_performance.csv",
    ("hubspot", "people"): "hubspot_contacts.csv",
    ("hubspot", "accounts"): "hubspot_companies.csv",
    ("hubspot", "opportunities"): "hubspot_deals.csv",
    ("salesforce", "opportunities"): "salesforce_opportunities.csv",
    ("salesforce", "campaigns"): "salesforce_campaigns.csv",
    ("salesforce", "touchpoints"): "salesforce_campaign_members.csv",
    ("ga4", "touchpoints"): "ga4_events_20261124.jsonl",
}
#: Outputs whose channel is filled on load (from campaigns, or from source / medium).
LOADER_FILLS_CHANNEL = {("salesforce", "touchpoints"), ("ga4", "touchpoints")}


def test_every_adapter_has_a_fixture() -> None:
    assert set(ADAPTERS) == set(FIXTURES)


@pytest.mark.parametrize("key", sorted(ADAPTERS))
def test_adapter_produces_required_columns(
    key: tuple[str, str], fixture_raw: Callable[..., RawTable]
) -> None:
    adapter = ADAPTERS[key]
    assert adapter.table in TABLES and (adapter.source, adapter.table) == key
    ParseOptions(**adapter.parse)  # type: ignore[arg-type]
    out = adapter.convert(fixture_raw(FIXTURES[key]))
    spec = TABLES[adapter.table]
    assert set(spec.required) <= set(out.columns)
    for group in spec.one_of:
        assert any(c in out.columns for c in group)
    for column in spec.required:
        values = out.data.column(column).to_pylist()
        if column == "channel" and key in LOADER_FILLS_CHANNEL:
            assert values == [None] * len(values)
        elif key[1] == "campaigns" and column == "channel":
            assert any(values)  # unmapped types are left to the loader's rules
        else:
            assert all(v is not None for v in values), column


def test_unknown_pair_lists_the_valid_ones() -> None:
    with pytest.raises(UsageError) as err:
        get_adapter("google-ads", "people")
    assert "--source hubspot for people" in str(err.value)
    assert get_adapter(" Meta-Ads ", "SPEND").source == "meta-ads"
