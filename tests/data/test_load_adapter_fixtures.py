"""Every adapter's real-format fixture loads end to end, and loading it again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotage.data.adapters.registry import ADAPTERS
from pilotage.data.loader import load_file
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore

FIXTURES = Path(__file__).parents[1] / "fixtures" / "adapters"
#: (source, table) -> fixture, in load order: campaigns before the members that need them.
CASES = [
    ("google-ads", "spend", "google_ads_gaql.csv"),
    ("google-ads", "spend", "google_ads_ui.csv"),
    ("meta-ads", "spend", "meta_ads_insights.json"),
    ("linkedin-ads", "spend", "linkedin_campaign_performance.csv"),
    ("hubspot", "accounts", "hubspot_companies.csv"),
    ("hubspot", "people", "hubspot_contacts.csv"),
    ("hubspot", "opportunities", "hubspot_deals.csv"),
    ("salesforce", "campaigns", "salesforce_campaigns.csv"),
    ("salesforce", "touchpoints", "salesforce_campaign_members.csv"),
    ("salesforce", "opportunities", "salesforce_opportunities.csv"),
    ("ga4", "touchpoints", "ga4_events_20261124.jsonl"),
]


def test_cases_cover_every_adapter():
    assert {(s, t) for s, t, _ in CASES} == set(ADAPTERS)
    assert all((FIXTURES / f).is_file() for _, _, f in CASES)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    path = tmp_path_factory.mktemp("ws") / "a.duckdb"
    settings = WorkspaceSettings()
    # The GBP and USD rows of some exports need rates to the reporting currency.
    rates = path.parent / "fx.csv"
    rates.write_text(
        "date,currency,rate_to_reporting\n2020-01-01,USD,0.92\n2020-01-01,GBP,1.17\n",
        encoding="utf-8",
    )
    with AnalyticsStore.open(path) as store:
        load_file(store, settings, "fx_rates", rates)
        first, second = [], []
        for source, table, name in CASES:
            # Loaded twice in a row: two exports may legitimately restate the same rows.
            first.append(load_file(store, settings, table, FIXTURES / name, source=source))
            second.append(load_file(store, settings, table, FIXTURES / name, source=source))
        touch_channels = store.con.execute(
            "SELECT DISTINCT channel FROM touchpoints ORDER BY 1"
        ).fetchall()
    return first, second, [c for (c,) in touch_channels]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{s}-{t}-{f}" for s, t, f in CASES])
def test_fixture_loads_then_reloads_unchanged(loaded, index):
    first, second, _ = loaded
    assert first[index].rows_in_file > 0
    assert first[index].inserted + first[index].updated == first[index].rows_in_file
    again = second[index]
    assert (again.inserted, again.updated) == (0, 0)
    assert again.unchanged == again.rows_in_file


def test_touchpoint_channels_are_filled(loaded):
    *_, touch_channels = loaded
    assert None not in touch_channels
    assert set(touch_channels) & {"webinars", "events", "paid_search", "organic_search", "direct"}
