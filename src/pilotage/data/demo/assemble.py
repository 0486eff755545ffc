"""Canonical tables for people, conversions and the revenue ledger (opportunities, orders,
subscriptions), plus the GBP exchange rates the UK self-serve orders need."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from pilotage.data.demo.config import I64, US_PER_DAY, Calendar
from pilotage.data.demo.funnel import Funnel
from pilotage.data.demo.people import COUNTRIES, ROLES, SEGMENTS, People
from pilotage.data.demo.revenue import Ledger
from pilotage.data.demo.tables import build_table, date_column, ids, labels
from pilotage.data.demo.truth import CHANNELS

GBP_EUR_START = 1.17  # EUR per GBP at the period start, then a daily random walk
CONVERSION_TYPES = ("signup", "lead", "mql", "sql", "opportunity", "customer", "purchase")


def people_table(people: People, funnel: Funnel, customer_at: I64) -> pa.Table:
    stage = np.select(
        [customer_at >= 0, funnel.opportunity_at >= 0, funnel.sql_at >= 0, funnel.mql_at >= 0],
        [4, 3, 2, 1],
        0,
    )
    return build_table(
        "people",
        {
            "person_id": ids("P", np.arange(people.n, dtype=np.int64), 7),
            "account_id": ids("A", people.account, 5),
            "created_at": people.created_at,
            "lifecycle_stage": labels(stage, ["lead", "mql", "sql", "opportunity", "customer"]),
            "mql_at": funnel.mql_at,
            "sql_at": funnel.sql_at,
            "opportunity_at": funnel.opportunity_at,
            "customer_at": customer_at,
            "country": labels(people.country, COUNTRIES),
            "segment": labels(people.segment, SEGMENTS),
            "job_role": labels(people.role, ROLES),
            "acquisition_channel": labels(people.acquisition_channel, [c.name for c in CHANNELS]),
        },
    )


def ledger_tables(led: Ledger) -> dict[str, pa.Table]:
    """Opportunities, orders and subscriptions, each sorted by time with sequential ids."""
    opps = led.opps
    opp_table = build_table(
        "opportunities",
        {
            "opportunity_id": ids("O", np.array([o["id"] for o in opps], dtype=np.int64), 5),
            "account_id": ids("A", np.array([o["account"] for o in opps], dtype=np.int64), 5),
            "created_at": np.array([o["created_at"] for o in opps], dtype=np.int64),
            "amount": np.array([o["amount"] for o in opps], dtype=np.float64),
            "stage": [o["stage"] for o in opps],
            "closed_at": np.array([o["closed_at"] for o in opps], dtype=np.int64),
            "is_closed": pa.array([o["is_closed"] for o in opps], pa.bool_()),
            "is_won": pa.array([o["is_won"] for o in opps], pa.bool_()),
            "source": [o["source"] for o in opps],
            "primary_campaign_id": [o["campaign"] for o in opps],
            "owner": [o["owner"] for o in opps],
            "currency": ["EUR"] * len(opps),
        },
        extras={
            "contact_person_id": ids("P", np.array([o["person"] for o in opps], dtype=np.int64), 7)
        },
    )
    orders = sorted(led.orders, key=lambda o: (o["ordered_at"], o["account"], o["person"]))
    order_table = build_table(
        "orders",
        {
            "order_id": ids("ORD", np.arange(len(orders), dtype=np.int64), 6),
            "ordered_at": np.array([o["ordered_at"] for o in orders], dtype=np.int64),
            "amount": np.array([o["amount"] for o in orders], dtype=np.float64),
            "person_id": ids("P", np.array([o["person"] for o in orders], dtype=np.int64), 7),
            "account_id": ids("A", np.array([o["account"] for o in orders], dtype=np.int64), 5),
            "gross_margin": np.array([o["margin"] for o in orders], dtype=np.float64),
            "margin_is_ratio": pa.array([True] * len(orders)),
            "currency": [o["currency"] for o in orders],
            "product": [o["product"] for o in orders],
        },
        extras={
            "opportunity_id": ids(
                "O", np.array([o.get("opp", -1) for o in orders], dtype=np.int64), 5
            )
        },
    )
    subs = sorted(led.subs, key=lambda s: (s["started_at"], s["account"]))
    sub_table = build_table(
        "subscriptions",
        {
            "subscription_id": ids("SUB", np.arange(len(subs), dtype=np.int64), 6),
            "account_id": ids("A", np.array([s["account"] for s in subs], dtype=np.int64), 5),
            "started_at": np.array([s["started_at"] for s in subs], dtype=np.int64),
            "mrr": np.array([s["mrr"] for s in subs], dtype=np.float64),
            "ended_at": np.array([s["ended_at"] for s in subs], dtype=np.int64),
            "plan": [s["plan"] for s in subs],
            "currency": ["EUR"] * len(subs),
        },
    )
    return {"opportunities": opp_table, "orders": order_table, "subscriptions": sub_table}


def conversions_table(people: People, funnel: Funnel, led: Ledger) -> pa.Table:
    n = people.n
    parts: list[dict[str, Any]] = []

    def part(
        kind: int,
        at: I64,
        person: I64,
        account: I64,
        value: np.ndarray,
        currency: list[str | None],
        opp: I64,
    ) -> None:
        parts.append(
            {
                "kind": np.full(len(at), kind),
                "at": at,
                "person": person,
                "account": account,
                "value": value,
                "currency": currency,
                "opp": opp,
            }
        )

    everyone = np.arange(n, dtype=np.int64)
    none = np.full(n, -1, dtype=np.int64)
    nan = np.full(n, np.nan)
    part(
        0,
        people.created_at[people.self_serve],
        everyone[people.self_serve],
        people.account[people.self_serve],
        nan[people.self_serve],
        [None] * int(people.self_serve.sum()),
        none[people.self_serve],
    )
    lead = ~people.self_serve
    part(
        1,
        people.created_at[lead],
        everyone[lead],
        people.account[lead],
        nan[lead],
        [None] * int(lead.sum()),
        none[lead],
    )
    for kind, at in ((2, funnel.mql_at), (3, funnel.sql_at)):
        reached = at >= 0
        part(
            kind,
            at[reached],
            everyone[reached],
            people.account[reached],
            nan[reached],
            [None] * int(reached.sum()),
            none[reached],
        )
    opp_rows = [
        (o["created_at"], o["person"], o["account"], o["amount"], o["id"]) for o in led.opps
    ]
    won_rows = [
        (o["closed_at"], o["person"], o["account"], o["amount"], o["id"])
        for o in led.opps
        if o["is_won"]
    ]
    for kind, rows in ((4, opp_rows), (5, won_rows)):
        arr = np.array(rows, dtype=np.float64).reshape(-1, 5)
        part(
            kind,
            arr[:, 0].astype(np.int64),
            arr[:, 1].astype(np.int64),
            arr[:, 2].astype(np.int64),
            arr[:, 3],
            ["EUR"] * len(rows),
            arr[:, 4].astype(np.int64),
        )
    buys = [o for o in led.orders if o["person"] >= 0 and o["margin"] < 0.7]
    part(
        6,
        np.array([o["ordered_at"] for o in buys], dtype=np.int64),
        np.array([o["person"] for o in buys], dtype=np.int64),
        np.array([o["account"] for o in buys], dtype=np.int64),
        np.array([o["amount"] for o in buys], dtype=np.float64),
        [o["currency"] for o in buys],
        np.full(len(buys), -1, dtype=np.int64),
    )
    cols = {
        k: (
            np.concatenate([p[k] for p in parts])
            if k != "currency"
            else [c for p in parts for c in p[k]]
        )
        for k in parts[0]
    }
    order = np.lexsort((cols["kind"], cols["at"]))
    return build_table(
        "conversions",
        {
            "converted_at": cols["at"][order],
            "conversion_type": labels(cols["kind"][order], CONVERSION_TYPES),
            "person_id": ids("P", cols["person"][order], 7),
            "account_id": ids("A", cols["account"][order], 5),
            "conversion_id": ids("CV", np.arange(len(order), dtype=np.int64), 7),
            "value": cols["value"][order],
            "currency": [cols["currency"][i] for i in order],
            "opportunity_id": ids("O", cols["opp"][order], 5),
        },
    )


def fx_table(cal: Calendar, rng: np.random.Generator) -> tuple[pa.Table, dict[int, float]]:
    """Daily GBP rates (EUR per GBP) over the period, and the rate per day number."""
    rate = np.round(GBP_EUR_START * np.exp(np.cumsum(rng.normal(0, 0.003, cal.n_days))), 5)
    table = build_table(
        "fx_rates",
        {
            "date": date_column(cal.day_num),
            "currency": ["GBP"] * cal.n_days,
            "rate_to_reporting": rate,
        },
    )
    return table, dict(zip(cal.day_num.tolist(), rate.tolist(), strict=True))


def order_eur(led: Ledger, fx: dict[int, float]) -> list[float]:
    """Each order's amount in EUR (GBP converted at the order day's rate), ledger order."""
    return [
        o["amount"] * (fx[o["ordered_at"] // US_PER_DAY] if o["currency"] == "GBP" else 1.0)
        for o in led.orders
    ]
