"""The fast CSV path stores exactly what the Python path stores, or steps aside.

Every clean file is loaded twice, once by each path, into two stores whose tables must be
identical (names, types, every value as text, keys and row hashes); every dirty file must
make the fast path step aside, so the error report is the Python path's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotage.data import fast_csv
from pilotage.data.fast_csv import load_csv_fast
from pilotage.data.loader import ImportReport, load_file
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import InputError

SETTINGS = WorkspaceSettings()
FX = "date,currency,rate_to_reporting\n2026-01-01,USD,0.9\n2026-03-15,USD,0.8\n2026-01-01,GBP,1.2\n"
CAMPAIGNS = "campaign_id,name,channel\nweb1,Webinar série,Webinars\nsea1,Search,\n"

CLEAN: dict[str, tuple[str, str]] = {
    "touchpoints_mixed": (
        "touchpoints",
        "\ufefftouched_at,Channel,person_id,Touch ID,campaign_id,source,medium,is_sales,"
        "utm_campaign, Note \r\n"
        "2026-03-29 02:30,Paid Search,p1,t1,,,,yes,,  spaced  \r\n"
        '2026-10-25T02:30:00,,p2,,web1,,,No,,"a, b"\r\n'
        '2026-07-01 10:00:00.25,,p3,,,google,cpc,1,spring,"two\r\nlines"\r\n'
        "2026-07-01T10:00:00Z,,p4,,,pigeon,carrier,oui,,\r\n"
        "2026-01-05T23:30:00+02:00,email,p5,t5,,,,,,x\r\n"
        "2026-01-05,organic-search,p6,,,,,,,\r\n"
        ",,,,,,,,,\r\n"
        '2026-02-01 08:00:00.123456-05:30,Direct,p7,"t""7",,,,false,,""\r\n',
    ),
    "spend_semicolon_usd": (
        "spend",
        "date;channel;campaign_id;cost;currency;impressions;clicks;platform_conversions;extra\n"
        "2026-03-10;email;c1;100;usd;1000;10;1.5e1;a\n"
        "2026-03-20;email;c1;100.25;USD;;7;0.333;b\n"
        "2026-03-20;paid_social;c2;12.5;;5;0;2;\n"
        "2026-02-01;display;c3;0.1;GBP;0;0;1.500;c\n"
        "2026-02-02;display;c4;1234567.891;EUR;3;1;0.5E-3;d\n",
    ),
    "orders_tab": (
        "orders",
        "order_id\tordered_at\tamount\tperson_id\tgross_margin\tmargin_is_ratio\tproduct\t\n"
        "o1\t2026-04-01 12:00\t99.9\tp1\t0.4\tTRUE\tpro\t\n"
        "o2\t2026-04-02 13:00\t-10\tp2\t\tfalse\tbasic\t\n"
        "o3\t2026-04-03\t0\tp3\t0\t\t\t\n"
        "o4\t2026-04-03\t5\tp9\t\t\t\t\n",
    ),
    "opportunities_choices": (
        "opportunities",
        "opportunity_id,account_id,created_at,amount,stage,source,is_won,closed_at\n"
        "op1,a1,2025-12-01 09:00,5000,won,Marketing,yes,2026-01-10 10:00\n"
        "op2,a2,2025-12-02 09:00,7000,open,,,\n",
    ),
    "surveys_bounds": (
        "surveys",
        "answered_at,survey_type,score,comment\n"
        "2026-05-01 10:00,NPS,10,très bien\n"
        "2026-05-01 10:00,csat,0,\n"
        "2026-05-02 11:00,ces,7.5,ok\n",
    ),
    "people_many_times": (
        "people",
        "person_id,created_at,mql_at,sql_at,customer_at,lifecycle_stage\n"
        "p1,2024-01-01,2024-02-01 10:00,,2024-06-30T23:59:59Z,customer\n"
        "p2,2025-03-30 02:15,,,,lead\n",
    ),
    "campaigns_fill": ("campaigns", CAMPAIGNS),
    "spend_many_channels": (
        "spend",
        "date,channel,campaign_id,cost\n"
        + "".join(f"2026-03-01,Chan {i},c{i},{i}.5\n" for i in range(250))
        + "2026-03-01,,c-none,1\n",
    ),
    "product_events_zones": (
        "product_events",
        "occurred_at,event,person_id\n"
        + "".join(
            f"{t},e{i},p{i}\n"
            for i, t in enumerate(
                (
                    "2026-03-01T10:00:00Z",
                    "2026-03-01 10:00:00.1+02:00",
                    "2026-03-01 10:00:00+0530",
                    "2026-03-01 10:00:00-03",
                    "2026-12-31T23:59:59.999999+14:00",
                    "1990-01-01T00:00:00-14:59",
                    "2100-12-31 23:59:59",
                    "2026-03-29T01:59:59",
                    "2026-03-29T03:00:00",
                    "2026-10-25 01:59:59",
                    "2026-10-25 02:00:00",
                    "2026-10-25 03:00:00",
                    "2024-02-29",
                )
            )
        ),
    ),
}

DIRTY: dict[str, tuple[str, str]] = {
    "negative_cost": ("spend", "date,channel,campaign_id,cost\n2026-03-03,email,c3,-4\n"),
    "decimal_comma": ("spend", "date;channel;campaign_id;cost\n2026-03-03;email;c3;4,5\n"),
    "day_first": ("spend", "date,channel,campaign_id,cost\n03/31/2026,email,c3,4\n"),
    "currency_sign": ("spend", "date,channel,campaign_id,cost\n2026-03-03,email,c3,4 €\n"),
    "missing_value": ("spend", "date,channel,campaign_id,cost\n2026-03-03,email,,4\n"),
    "bad_choice": ("surveys", "answered_at,survey_type,score\n2026-05-01,nps2,4\n"),
    "out_of_bounds": ("surveys", "answered_at,survey_type,score\n2026-05-01,nps,11\n"),
    "conflicting_keys": (
        "spend",
        "date,channel,campaign_id,cost\n2026-03-03,email,c3,4\n2026-03-03,email,c3,5\n",
    ),
    "repeated_rows": (
        "spend",
        "date,channel,campaign_id,cost\n2026-03-03,email,c3,4\n2026-03-03,email,c3,4\n",
    ),
    "ambiguous_decimal": ("spend", "date,channel,campaign_id,cost\n2026-03-03,email,c3,1.500\n"),
    "wrong_width": ("spend", "date,channel,campaign_id,cost\n2026-03-03,email,c3,4,9\n"),
    "no_rate": ("spend", "date,channel,campaign_id,cost,currency\n2025-01-01,email,c3,4,USD\n"),
    "space_before_quote": ("spend", 'date,channel,campaign_id,cost\n2026-03-03, "email",c3,4\n'),
    "blank_edges": ("spend", "date,channel,campaign_id,cost\n2026-03-03,email ,c3,4\n"),
    "impossible_date": ("spend", "date,channel,campaign_id,cost\n2026-02-30,email,c3,4\n"),
    "old_date": ("spend", "date,channel,campaign_id,cost\n1989-12-31,email,c3,4\n"),
    "bad_zone": ("touchpoints", "touched_at,channel,person_id\n2026-03-03T10:00+15:00,email,p\n"),
    "one_of_empty": ("touchpoints", "touched_at,channel,person_id\n2026-03-03T10:00,email,\n"),
    "title_line": ("spend", "Report\ndate,channel,campaign_id,cost\n2026-03-03,email,c3,4\n"),
    "duplicate_header": ("spend", "date,channel,campaign_id,cost,Cost\n2026-03-03,email,c3,4,4\n"),
    "not_whole": ("spend", "date,channel,campaign_id,cost,clicks\n2026-03-03,email,c3,4,2.5\n"),
    # Valid, but DuckDB does not read a zone after a time without seconds.
    "minutes_and_zone": (
        "touchpoints",
        "touched_at,channel,person_id\n2026-03-03T10:00Z,email,p\n",
    ),
    "bad_bool": (
        "touchpoints",
        "touched_at,channel,person_id,is_sales\n2026-03-03,email,p,maybe\n",
    ),
}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def dump(store: AnalyticsStore, table: str) -> tuple[list[tuple[str, str]], list[tuple]]:
    """Column names and types, and every row as text, sorted."""
    described = store.con.execute(f"DESCRIBE {table}").fetchall()
    rows = store.con.execute(f"SELECT COLUMNS(*)::VARCHAR FROM {table}").fetchall()
    return [(r[0], r[1]) for r in described], sorted(rows, key=repr)


def prepare(store: AnalyticsStore, tmp_path: Path, fast: bool) -> None:
    """Rates and campaigns that the files refer to, loaded by the path under test."""
    for table, text in (("fx_rates", FX), ("campaigns", CAMPAIGNS)):
        load(store, table, write(tmp_path / f"{table}.csv", text), fast)


def load(store: AnalyticsStore, table: str, path: Path, fast: bool) -> ImportReport:
    if fast:
        report = load_csv_fast(store, SETTINGS, table, path)
        assert report is not None, f"{path.name} did not take the fast path"
        return report
    return slow_load(store, table, path)


def slow_load(store: AnalyticsStore, table: str, path: Path) -> ImportReport:
    original = fast_csv.load_csv_fast
    fast_csv.load_csv_fast = lambda *a, **k: None  # type: ignore[assignment]
    try:
        return load_file(store, SETTINGS, table, path)
    finally:
        fast_csv.load_csv_fast = original


@pytest.mark.parametrize("case", sorted(CLEAN))
def test_a_clean_file_is_stored_identically_by_both_paths(tmp_path, case):
    table, text = CLEAN[case]
    path = write(tmp_path / f"{case}.csv", text)
    dumps, reports = [], []
    for fast in (False, True):
        folder = tmp_path / ("fast" if fast else "slow")
        folder.mkdir()
        with AnalyticsStore.open(folder / "a.duckdb") as store:
            prepare(store, folder, fast)
            reports.append(load(store, table, path, fast))
            dumps.append(dump(store, table))
    assert dumps[0] == dumps[1]
    assert reports[0] == reports[1]
    assert reports[1].rows_in_file > 0


def test_both_paths_agree_on_keys_so_reloading_across_paths_changes_nothing(tmp_path):
    table, text = CLEAN["touchpoints_mixed"]
    path = write(tmp_path / "t.csv", text)
    with AnalyticsStore.open(tmp_path / "a.duckdb") as store:
        prepare(store, tmp_path, fast=True)
        first = load(store, table, path, fast=False)
        again = load(store, table, path, fast=True)
        once_more = load(store, table, path, fast=True)
        count = store.con.execute("select count(*) from touchpoints").fetchone()
    assert (first.inserted, first.updated, first.unchanged) == (7, 0, 0)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 7)
    assert once_more == again
    assert count == (7,)


def test_the_fast_path_fills_channels_and_warns_like_the_python_path(tmp_path):
    table, text = CLEAN["touchpoints_mixed"]
    path = write(tmp_path / "t.csv", text)
    with AnalyticsStore.open(tmp_path / "a.duckdb") as store:
        prepare(store, tmp_path, fast=True)
        report = load(store, table, path, fast=True)
        got = store.con.execute("select person_id, channel from touchpoints order by 1").fetchall()
    assert ("p2", "webinars") in got and ("p3", "paid_search") in got
    assert ("p4", "unassigned") in got and ("p6", "organic_search") in got
    assert any("source='pigeon' medium='carrier'" in w for w in report.warnings)


@pytest.mark.parametrize("case", sorted(DIRTY))
def test_a_dirty_file_steps_aside_and_gets_the_python_report(tmp_path, case):
    table, text = DIRTY[case]
    path = write(tmp_path / f"{case}.csv", text)
    outcomes = []
    for fast in (False, True):
        folder = tmp_path / ("fast" if fast else "slow")
        folder.mkdir()
        with AnalyticsStore.open(folder / "a.duckdb") as store:
            prepare(store, folder, fast=False)
            before = dump(store, "fx_rates")
            if fast:
                assert load_csv_fast(store, SETTINGS, table, path) is None
                assert not store.table_exists(table) or dump(store, table)[1] == []
                assert dump(store, "fx_rates") == before
            try:
                report = load_file(store, SETTINGS, table, path)
                outcomes.append(("loaded", report, dump(store, table)))
            except InputError as exc:
                outcomes.append(("refused", str(exc), [e.line for e in exc.errors]))
    assert outcomes[0] == outcomes[1]


def test_a_file_with_a_header_only_is_stored_identically(tmp_path):
    path = write(tmp_path / "empty.csv", "touched_at,channel,person_id,extra\n")
    dumps = []
    for fast in (False, True):
        with AnalyticsStore.open(tmp_path / f"{fast}.duckdb") as store:
            report = load(store, "touchpoints", path, fast)
            dumps.append((report, dump(store, "touchpoints")))
    assert dumps[0] == dumps[1]


def test_a_name_duckdb_would_read_as_a_pattern_steps_aside(tmp_path):
    path = write(tmp_path / "spend[1].csv", "date,channel,campaign_id,cost\n2026-03-01,e,c,1\n")
    with AnalyticsStore.open(tmp_path / "a.duckdb") as store:
        assert load_csv_fast(store, SETTINGS, "spend", path) is None


def test_a_latin1_file_steps_aside(tmp_path):
    path = write(
        tmp_path / "s.csv", "date,channel,campaign_id,cost\n2026-03-03,émail,c3,4\n", "cp1252"
    )
    with AnalyticsStore.open(tmp_path / "a.duckdb") as store:
        assert load_csv_fast(store, SETTINGS, "spend", path) is None
        load_file(store, SETTINGS, "spend", path)
        assert store.con.execute("select channel from spend").fetchall() == [("émail",)]


def test_a_failed_fast_load_leaves_the_previous_rows(tmp_path):
    good = write(tmp_path / "good.csv", "date,channel,campaign_id,cost\n2026-03-01,email,c1,5\n")
    bad = write(
        tmp_path / "bad.csv",
        "date,channel,campaign_id,cost\n2026-03-01,email,c1,6\n2026-03-03,email,c3,-4\n",
    )
    with AnalyticsStore.open(tmp_path / "a.duckdb") as store:
        assert load_csv_fast(store, SETTINGS, "spend", good) is not None
        assert load_csv_fast(store, SETTINGS, "spend", bad) is None
        with pytest.raises(InputError, match=r"bad.csv, line 3, column 'cost'"):
            load_file(store, SETTINGS, "spend", bad)
        rows = store.con.execute("select campaign_id, cost from spend").fetchall()
        temp = store.con.execute("select count(*) from duckdb_tables() where temporary").fetchone()
    assert rows == [("c1", 5.0)]
    assert temp == (0,)


KILL_AT_COMMIT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import pilotage.data.loader as loader
    from pilotage.data.settings import WorkspaceSettings
    from pilotage.data.store import AnalyticsStore

    def python_path(*args, **kwargs):
        sys.exit(3)  # the fast path stepped aside: not what this test is about

    loader.coerce = python_path
    store = AnalyticsStore.open(Path(sys.argv[1]))
    con = store.con

    class Dying:
        def __getattr__(self, name):
            return getattr(con, name)

        def execute(self, sql, *args):
            # Die the moment the load commits: every row is written, none committed.
            if sql.strip() == "COMMIT":
                os.kill(os.getpid(), signal.SIGKILL)
            return con.execute(sql, *args)

    store.con = Dying()
    loader.load_file(store, WorkspaceSettings(), "spend", Path(sys.argv[2]))
    """
)


@pytest.mark.parametrize("earlier", [True, False], ids=["upsert", "first-load"])
def test_a_fast_load_killed_before_commit_leaves_the_previous_state(tmp_path, earlier):
    path = tmp_path / "a.duckdb"
    first = write(tmp_path / "first.csv", "date,channel,campaign_id,cost\n2026-03-01,email,a,1\n")
    with AnalyticsStore.open(path) as store:
        if earlier:
            assert load_csv_fast(store, SETTINGS, "spend", first) is not None
    lines = [f"2026-03-02,email,k{i},9.5\n" for i in range(50_000)]
    big = write(tmp_path / "big.csv", "date,channel,campaign_id,cost\n" + "".join(lines))
    done = subprocess.run([sys.executable, "-c", KILL_AT_COMMIT, str(path), str(big)], check=False)
    assert done.returncode == -9  # killed at COMMIT, after the fast path wrote every row
    with AnalyticsStore.open(path) as store:
        exists = store.table_exists("spend")
        rows = store.con.execute("select campaign_id, cost from spend").fetchall() if exists else []
    assert rows == ([("a", 1.0)] if earlier else [])


def test_load_file_takes_the_fast_path_for_a_clean_file(tmp_path, monkeypatch):
    import pilotage.data.loader as loader

    def no_validator(*args, **kwargs):
        raise AssertionError("the Python validator ran")

    monkeypatch.setattr(loader, "coerce", no_validator)
    table, text = CLEAN["surveys_bounds"]
    path = write(tmp_path / "s.csv", text)
    with AnalyticsStore.open(tmp_path / "a.duckdb") as store:
        report = load_file(store, SETTINGS, table, path, sep=",")
    assert report.inserted == 3


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
    max_size=8,
)
_ROW = st.tuples(
    st.text(alphabet="abc", min_size=1, max_size=3),
    st.datetimes(min_value=dt.datetime(2025, 6, 1), max_value=dt.datetime(2027, 12, 31)),
    st.sampled_from(["", "", "Z", "+02:00", "-0530"]),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.sampled_from(["", "EUR", "usd", "GBP"]),
    st.text(alphabet="pq", max_size=2),
    _TEXT,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_ROW, min_size=1, max_size=6))
def test_any_file_gets_the_same_outcome_from_both_paths(tmp_path_factory, rows):
    """Whichever path ends up loading it, a file gives the same rows, report or errors."""
    lines = io.StringIO()
    out = csv.writer(lines, lineterminator="\n")
    out.writerow(["order_id", "ordered_at", "amount", "currency", "person_id", "note"])
    for order, when, zone, amount, currency, person, note in rows:
        out.writerow([order, when.isoformat(sep=" ") + zone, repr(amount), currency, person, note])
    folder = tmp_path_factory.mktemp("prop")
    path = write(folder / "orders.csv", lines.getvalue())
    outcomes = []
    for fast in (False, True):
        with AnalyticsStore.open(folder / f"{fast}.duckdb") as store:
            prepare(store, folder, fast=False)
            try:
                report = load_file(store, SETTINGS, "orders", path) if fast else None
                report = report or slow_load(store, "orders", path)
                outcomes.append(("loaded", report, dump(store, "orders")))
            except InputError as exc:
                outcomes.append(("refused", str(exc), None))
    assert outcomes[0] == outcomes[1]
