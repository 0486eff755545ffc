"""The Ibis expressions of activity and of the usage before a purchase or a churn, run on
DuckDB on a handful of literal rows whose counts are worked out by hand."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from pilotage.core.engagement import activity, triggers

UTC = datetime.UTC


def at(day: int, hour: int = 10, month: int = 1) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=UTC)


def table(rows: Sequence[Mapping[str, object]], schema: dict[str, str]) -> ir.Table:
    arrow = ibis.schema(schema).to_pyarrow()
    return ibis.memtable(pa.Table.from_pylist([{k: r.get(k) for k in schema} for r in rows], arrow))


EVENT = {
    "occurred_at": "timestamp('UTC')",
    "event": "string",
    "person_id": "string",
    "account_id": "string",
}
PEOPLE = {"person_id": "string", "account_id": "string"}
EVENTS = [
    # p1 (account A1): logs in and reports, buys on the 5th.
    {"occurred_at": at(1), "event": "login", "person_id": "p1"},
    {"occurred_at": at(2), "event": "report", "person_id": "p1"},
    {"occurred_at": at(8), "event": "export", "person_id": "p1"},  # after buying: not counted
    # p2 (A1) logs in twice, never buys.
    {"occurred_at": at(1), "event": "login", "person_id": "p2"},
    {"occurred_at": at(3), "event": "login", "person_id": "p2"},
    # p3 (no person account; event's own account A2) reports, buys on the 20th (too late).
    {"occurred_at": at(2), "event": "report", "person_id": "p3", "account_id": "A2"},
    # p4 bought before using the product: not at risk.
    {"occurred_at": at(4), "event": "login", "person_id": "p4"},
]
PEOPLE_ROWS = [{"person_id": "p1", "account_id": "A1"}, {"person_id": "p2", "account_id": "A1"}]


@pytest.fixture()
def con() -> ibis.BaseBackend:
    return ibis.duckdb.connect()


def rows(con: ibis.BaseBackend, expr: ir.Table) -> list[dict[str, object]]:
    result: list[dict[str, object]] = con.to_pyarrow(expr).to_pylist()
    return result


def test_activity_by_person_and_by_account(con: ibis.BaseBackend) -> None:
    events, people = table(EVENTS, EVENT), table(PEOPLE_ROWS, PEOPLE)
    by_person = activity.activity(events, people, "person", "Europe/Paris", "duckdb")
    total = rows(con, activity.total_actives(by_person))[0]
    assert (total["actives"], total["events"]) == (4, 7)
    by_account = activity.activity(events, people, "account", "Europe/Paris", "duckdb")
    # p1, p2 -> A1 (their person's account), p3 -> A2 (the event's own); p4 has none.
    assert rows(con, activity.total_actives(by_account))[0]["actives"] == 2
    used = {r["feature"]: r["users"] for r in rows(con, activity.feature_use(by_person))}
    assert used == {"login": 3, "report": 2, "export": 1}


def test_purchase_windows_stop_at_the_purchase_and_the_horizon(con: ibis.BaseBackend) -> None:
    events, people = table(EVENTS, EVENT), table(PEOPLE_ROWS, PEOPLE)
    act = activity.activity(events, people, "person", "Europe/Paris", "duckdb")
    orders = table(
        [
            {"ordered_at": at(5), "person_id": "p1"},
            {"ordered_at": at(20), "person_id": "p3"},
            {"ordered_at": at(2), "person_id": "p4"},
        ],
        {"ordered_at": "timestamp('UTC')", "person_id": "string", "account_id": "string"},
    )
    conversions = table(
        [],
        {
            "converted_at": "timestamp('UTC')",
            "conversion_type": "string",
            "person_id": "string",
            "account_id": "string",
        },
    )
    subs = table([], {"account_id": "string", "started_at": "timestamp('UTC')"})
    outcomes = triggers.purchase_times(orders, conversions, subs, people, "person")
    units = triggers.purchase_units(act, outcomes, 7, at(28, month=2))
    found = {r["unit_id"]: r["reached"] for r in rows(con, units)}
    assert found == {"p1": True, "p2": False, "p3": False}
    counts = {r["feature"]: r for r in rows(con, triggers.exposure_counts(act, units))}
    assert (counts["login"]["users"], counts["login"]["users_reached"]) == (2, 1)
    assert (counts["report"]["users"], counts["report"]["users_reached"]) == (2, 1)
    assert "export" not in counts  # p1 exported after buying
    assert rows(con, triggers.population(units))[0] == {"units": 3, "reached": 1}
    # With the data ending on the 5th, nobody's 7-day horizon is over: nobody is judged.
    assert (
        rows(con, triggers.population(triggers.purchase_units(act, outcomes, 7, at(5))))[0]["units"]
        == 0
    )


def test_churn_compares_the_days_before_leaving_or_the_end(con: ibis.BaseBackend) -> None:
    subs = table(
        [
            {"account_id": "A1", "started_at": at(1, month=1), "ended_at": at(30, month=3)},
            {"account_id": "A2", "started_at": at(1, month=1), "ended_at": None},
            {"account_id": "A3", "started_at": at(15, month=4), "ended_at": None},  # too new
        ],
        {"account_id": "string", "started_at": "timestamp('UTC')", "ended_at": "timestamp('UTC')"},
    )
    units = triggers.churn_units(subs, 30, datetime.datetime(2026, 4, 30, tzinfo=UTC))
    found = {r["unit_id"]: r for r in rows(con, units)}
    assert set(found) == {"A1", "A2"}
    assert found["A1"]["reached"] and not found["A2"]["reached"]
    assert found["A1"]["stop_at"] == at(30, month=3)
    assert found["A2"]["stop_at"] == datetime.datetime(2026, 4, 30, tzinfo=UTC)
