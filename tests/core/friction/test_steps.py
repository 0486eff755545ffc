"""The Ibis expressions behind friction: stage delays by cohort and touchpoint outcomes,
run on DuckDB on literal rows worked out by hand."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from pilotage.core.friction import steps


def at(day: int, hour: int = 10, month: int = 1) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=datetime.UTC)


def table(rows: Sequence[Mapping[str, object]], schema: dict[str, str]) -> ir.Table:
    arrow = ibis.schema(schema).to_pyarrow()
    return ibis.memtable(pa.Table.from_pylist([{k: r.get(k) for k in schema} for r in rows], arrow))


TS = "timestamp('UTC')"
PEOPLE = {
    "person_id": "string",
    "account_id": "string",
    "segment": "string",
    "country": "string",
    "created_at": TS,
    "mql_at": TS,
    "sql_at": TS,
    "opportunity_at": TS,
    "customer_at": TS,
}
ACCOUNTS = {
    "account_id": "string",
    "segment": "string",
    "country": "string",
    "tier": "string",
    "is_target": "boolean",
}


@pytest.fixture()
def con() -> ibis.BaseBackend:
    return ibis.duckdb.connect()


def test_stage_delays_by_cohort_and_segment(con: ibis.BaseBackend) -> None:
    people = table(
        [
            {"person_id": "p1", "segment": "SMB", "created_at": at(1), "mql_at": at(3)},
            {"person_id": "p2", "segment": "SMB", "created_at": at(2), "mql_at": at(6)},
            {
                "person_id": "p3",
                "segment": "ent",
                "created_at": at(5),
                "mql_at": at(15),
                "sql_at": at(16),
            },
            {"person_id": "p4", "segment": "ent", "created_at": at(9)},  # never an MQL
        ],
        PEOPLE,
    )
    accounts = table([], ACCOUNTS)
    rows = con.to_pyarrow(
        steps.stage_delays(people, accounts, "UTC", "duckdb", "month", by_segment=True)
    ).to_pylist()
    got = {(r["step"], r["slice"]): (r["delay_days"], r["people"]) for r in rows}
    assert got == {
        ("lead→mql", "SMB"): (3.0, 2),
        ("lead→mql", "ent"): (10.0, 1),
        ("mql→sql", "ent"): (1.0, 1),
    }
    q = con.to_pyarrow(steps.delay_quantiles(people, accounts, 0.5, "UTC", "duckdb")).to_pylist()
    assert {r["step"]: r["median_days"] for r in q} == {"lead→mql": 4.0, "mql→sql": 1.0}


def test_touch_outcomes_within_the_window(con: ibis.BaseBackend) -> None:
    touches = table(
        [
            {"touched_at": at(1), "person_id": "p1", "landing_page": "/pricing"},
            {"touched_at": at(3), "person_id": "p1", "landing_page": "/pricing"},  # not first
            {"touched_at": at(2), "person_id": "p2", "landing_page": "/pricing"},
            {"touched_at": at(2), "person_id": "p3", "landing_page": "/blog"},
            {"touched_at": at(2), "person_id": None, "landing_page": "/blog"},  # anonymous
        ],
        {
            "touched_at": TS,
            "person_id": "string",
            "landing_page": "string",
            "campaign_id": "string",
            "touch_type": "string",
        },
    )
    conversions = table(
        [
            {"converted_at": at(3), "person_id": "p1"},  # 2 days after p1's first touch
            {"converted_at": at(5), "person_id": "p1"},
            {"converted_at": at(25), "person_id": "p2"},  # outside a 7-day window
        ],
        {"converted_at": TS, "person_id": "string"},
    )
    expr = steps.touch_outcomes(touches, conversions, "landing_page", 7, "UTC", "duckdb", "month")
    got = {r["step"]: r for r in con.to_pyarrow(expr).to_pylist()}
    assert (got["/pricing"]["entrants"], got["/pricing"]["reached"]) == (2, 1)
    assert got["/pricing"]["delay_days"] == 2.0
    assert (got["/blog"]["entrants"], got["/blog"]["reached"]) == (1, 0)
    assert got["/blog"]["delay_days"] is None
