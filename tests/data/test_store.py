"""The analytics store: idempotent upserts, all-or-nothing writes, one writer at a time."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import pyarrow as pa
import pytest

from pilotage.data.schema import TABLES, arrow_schema
from pilotage.data.store import AnalyticsStore, UpsertCounts
from pilotage.errors import WorkspaceError, WorkspaceLockedError

SPEND = TABLES["spend"]
TOUCH = TABLES["touchpoints"]


def spend_rows(costs: dict[str, float], extra: str | None = None) -> pa.Table:
    rows = [
        {
            "date": dt.date(2026, 3, 1),
            "channel": "email",
            "campaign_id": cid,
            "cost": cost,
            "currency": "EUR",
        }
        for cid, cost in costs.items()
    ]
    table = pa.Table.from_pylist(rows, schema=arrow_schema(SPEND))
    table = table.append_column("cost_original", table.column("cost"))
    if extra is not None:
        table = table.append_column("note", pa.array([extra] * len(rows)))
    return table


@pytest.fixture
def store(tmp_path):
    with AnalyticsStore.open(tmp_path / "a.duckdb") as s:
        yield s


def test_loading_twice_changes_nothing(store):
    assert store.upsert(SPEND, spend_rows({"a": 1.0, "b": 2.0})) == UpsertCounts(2, 0, 0)
    assert store.upsert(SPEND, spend_rows({"a": 1.0, "b": 2.0})) == UpsertCounts(0, 0, 2)
    assert store.con.execute("select count(*) from spend").fetchone() == (2,)


def test_changed_rows_are_replaced_on_their_key(store):
    store.upsert(SPEND, spend_rows({"a": 1.0, "b": 2.0}))
    counts = store.upsert(SPEND, spend_rows({"a": 1.5, "c": 3.0}))
    assert counts == UpsertCounts(inserted=1, updated=1, unchanged=0)
    got = dict(store.con.execute("select campaign_id, cost from spend").fetchall())
    assert got == {"a": 1.5, "b": 2.0, "c": 3.0}


def test_extra_columns_are_kept(store):
    store.upsert(SPEND, spend_rows({"a": 1.0}, extra="=note"))
    assert store.con.execute("select note from spend").fetchone() == ("=note",)
    assert "note" in store.columns("spend")


def test_rows_without_id_are_keyed_by_their_values(store):
    schema = arrow_schema(TOUCH)
    when = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    rows = [
        {"touched_at": when, "channel": "email", "person_id": "p1"},
        {"touched_at": when, "channel": "email", "person_id": "p2"},
        {"touched_at": when, "channel": "email", "person_id": "p3", "touch_id": "t3"},
    ]
    data = pa.Table.from_pylist(rows, schema=schema)
    assert store.upsert(TOUCH, data) == UpsertCounts(3, 0, 0)
    assert store.upsert(TOUCH, data) == UpsertCounts(0, 0, 3)
    keys = sorted(r[0] for r in store.con.execute("select _key from touchpoints").fetchall())
    assert [k.split(":")[0] for k in keys] == ["h", "h", "id"]
    assert keys[2] == "id:t3"


def test_summaries_list_every_table_with_dates(store):
    store.upsert(SPEND, spend_rows({"a": 1.0}))
    summary = {s.table: s for s in store.summaries()}
    assert set(summary) == set(TABLES)
    assert (summary["spend"].rows, summary["spend"].min_date) == (1, "2026-03-01")
    assert summary["orders"].rows == 0


def test_a_second_writer_gets_a_clear_error(tmp_path):
    path = tmp_path / "a.duckdb"
    AnalyticsStore.open(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True); "
            "time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(WorkspaceLockedError) as info:
            AnalyticsStore.open(path)
        assert "another Pilotage process" in str(info.value)
        assert "imports" in (info.value.fix or "")
    finally:
        holder.kill()
        holder.wait()


def test_reading_a_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(WorkspaceError, match="nothing has been loaded"):
        AnalyticsStore.open(tmp_path / "none.duckdb", read_only=True)


KILL_BEFORE_COMMIT = textwrap.dedent(
    """
    import datetime as dt, os, signal, sys
    import pyarrow as pa
    from pilotage.data.schema import TABLES, arrow_schema
    from pilotage.data.store import AnalyticsStore

    store = AnalyticsStore.open(__import__("pathlib").Path(sys.argv[1]))
    original = store.con.execute

    def execute(sql, *args):
        # Die the moment the load tries to commit: rows are written but not committed.
        if sql.strip() == "COMMIT":
            os.kill(os.getpid(), signal.SIGKILL)
        return original(sql, *args)

    store.con = type("C", (), {"execute": staticmethod(execute),
                               "register": store.con.register,
                               "unregister": store.con.unregister})()
    rows = [{"date": dt.date(2026, 3, 2), "channel": "email", "campaign_id": f"k{i}",
             "cost": 9.0, "currency": "EUR"} for i in range(50_000)]
    t = pa.Table.from_pylist(rows, schema=arrow_schema(TABLES["spend"]))
    t = t.append_column("cost_original", t.column("cost"))
    store.upsert(TABLES["spend"], t)
    """
)


def test_a_load_killed_midway_leaves_the_previous_state_intact(tmp_path):
    path = tmp_path / "a.duckdb"
    with AnalyticsStore.open(path) as store:
        store.upsert(SPEND, spend_rows({"a": 1.0, "b": 2.0}))
    done = subprocess.run([sys.executable, "-c", KILL_BEFORE_COMMIT, str(path)], check=False)
    assert done.returncode == -9  # killed, not finished
    with AnalyticsStore.open(path) as store:
        rows = store.con.execute("select campaign_id, cost from spend order by 1").fetchall()
    assert rows == [("a", 1.0), ("b", 2.0)]
