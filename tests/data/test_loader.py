"""From a file on disk to rows in the store: validation, channels, currencies, idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotage.data.loader import load_file
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import InputError

SETTINGS = WorkspaceSettings()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def store(tmp_path):
    with AnalyticsStore.open(tmp_path / "a.duckdb") as s:
        yield s


def rows(store: AnalyticsStore, sql: str) -> list[tuple]:
    return store.con.execute(sql).fetchall()


def test_french_csv_loads_and_reloading_changes_nothing(store, tmp_path):
    csv = write(
        tmp_path / "spend.csv",
        "date;channel;campaign_id;cost;commentaire\n"
        '31/03/2026;Paid Search;c1;1 234,56 €;"un; deux"\n'
        "01/04/2026;email;c2;10,5;\n",
        encoding="cp1252",
    )
    first = load_file(store, SETTINGS, "spend", csv)
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert rows(store, "select channel, cost, currency, commentaire from spend order by 2") == [
        ("email", 10.5, "EUR", None),
        ("paid_search", 1234.56, "EUR", "un; deux"),
    ]
    again = load_file(store, SETTINGS, "spend", csv)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert rows(store, "select count(*) from spend") == [(2,)]


def test_a_bad_file_loads_nothing_and_names_every_problem(store, tmp_path):
    good = write(tmp_path / "good.csv", "date,channel,campaign_id,cost\n2026-03-01,email,c1,5\n")
    load_file(store, SETTINGS, "spend", good)
    bad = write(
        tmp_path / "bad.csv",
        "date,channel,campaign_id,cost\n2026-03-02,email,c2,7\n2026-03-03,email,c3,-4\n",
    )
    with pytest.raises(InputError) as info:
        load_file(store, SETTINGS, "spend", bad)
    message = str(info.value)
    assert "bad.csv, line 3, column 'cost'" in message
    assert rows(store, "select campaign_id from spend") == [("c1",)]


def test_foreign_amounts_need_rates_and_are_converted(store, tmp_path):
    spend = write(
        tmp_path / "spend.csv",
        "date,channel,campaign_id,cost,currency\n2026-03-10,email,c1,100,USD\n",
    )
    with pytest.raises(InputError) as info:
        load_file(store, SETTINGS, "spend", spend)
    assert "no exchange rate from USD to EUR on or before 2026-03-10" in str(info.value)
    assert "pilotage load fx_rates" in str(info.value)
    rates = write(
        tmp_path / "fx.csv",
        "date,currency,rate_to_reporting\n2026-03-01,USD,0.9\n2026-03-11,USD,0.5\n",
    )
    load_file(store, SETTINGS, "fx_rates", rates)
    load_file(store, SETTINGS, "spend", spend)
    assert rows(store, "select cost, cost_original, currency from spend") == [
        (pytest.approx(90.0), 100.0, "USD")
    ]


def test_empty_channels_come_from_campaigns_then_rules(store, tmp_path):
    campaigns = write(
        tmp_path / "campaigns.csv", "campaign_id,name,channel\nweb1,Webinar série,webinars\n"
    )
    load_file(store, SETTINGS, "campaigns", campaigns)
    touches = write(
        tmp_path / "touches.csv",
        "touched_at,person_id,campaign_id,source,medium\n"
        "2026-03-01 10:00,p1,web1,,\n"
        "2026-03-01 11:00,p2,,google,cpc\n"
        "2026-03-01 12:00,p3,,pigeon,carrier\n",
    )
    report = load_file(store, SETTINGS, "touchpoints", touches)
    got = rows(store, "select person_id, channel from touchpoints order by 1")
    assert got == [("p1", "webinars"), ("p2", "paid_search"), ("p3", "unassigned")]
    assert any("source='pigeon' medium='carrier'" in w for w in report.warnings)


def test_naive_times_are_read_in_the_workspace_zone(store, tmp_path):
    touches = write(tmp_path / "t.csv", "touched_at,person_id,channel\n2026-07-01 10:00,p1,email\n")
    load_file(store, SETTINGS, "touchpoints", touches)
    # 10:00 in Paris in summer is 08:00 UTC.
    assert rows(store, "select strftime(touched_at, '%H:%M') from touchpoints") == [("08:00",)]
