"""Product usage: trial activity that drives self-serve purchases, and customer usage that
falls before churn.

A signup's trial lasts TRIAL_DAYS; its event counts are Poisson(rate x activation) and the
purchase decision follows a logistic model on those counts (coefficients in the truth), taken
after the last trial event. Customer accounts generate events every month they subscribe,
at a rate set by segment and account engagement, multiplied by PRE_CHURN_MULTIPLIER in the
PRE_CHURN_DAYS before a subscription ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from pilotage.data.demo.config import F64, I64, NO_TIME, US_PER_DAY, US_PER_HOUR, Bools, Calendar
from pilotage.data.demo.tables import build_table, ids, labels

EVENTS = (
    "login",
    "report_created",
    "dashboard_shared",
    "integration_connected",
    "export",
    "invite_sent",
    "alert_configured",
    "api_call",
)
FEATURES = (
    "authentification",
    "rapports",
    "tableaux de bord",
    "intégrations",
    "exports",
    "collaboration",
    "alertes",
    "api",
)
TRIAL_DAYS = 14
TRIAL_RATES = np.array([4.0, 1.5, 0.4, 0.5, 0.8, 0.5, 0.3, 0.0])  # per trial, x activation
# logit P(purchase | trial) = intercept + sum coef * feature
TRIAL_LOGIT = {
    "intercept": -1.9,
    "log1p_logins": 0.25,
    "log1p_reports_created": 0.55,
    "integration_connected": 0.9,
    "invite_sent": 0.7,
    "log1p_exports": 0.2,
}
USAGE_MIX = np.array([0.42, 0.17, 0.08, 0.03, 0.1, 0.04, 0.05, 0.11])
USAGE_PER_MONTH = {"SMB": 9.0, "mid-market": 16.0, "enterprise": 30.0, "starter": 1.2}
PRE_CHURN_DAYS = 90
PRE_CHURN_MULTIPLIER = 0.4


@dataclass(frozen=True)
class Trials:
    purchased_at: I64  # (n_people,) first self-serve purchase time or NO_TIME
    person: I64  # event rows
    time: I64
    event: I64


def simulate_trials(
    cal: Calendar, rng: np.random.Generator, signed_up_at: I64, is_signup: Bools
) -> Trials:
    n = len(signed_up_at)
    who = np.flatnonzero(is_signup)
    activation = rng.lognormal(-0.25, 0.7, len(who))
    counts = rng.poisson(activation[:, None] * TRIAL_RATES[None, :])  # (n_signups, n_events)
    rows, ev = np.nonzero(counts)
    reps = counts[rows, ev]
    owner = np.repeat(rows, reps)
    event = np.repeat(ev, reps)
    t = signed_up_at[who][owner] + rng.integers(
        US_PER_HOUR // 6, TRIAL_DAYS * US_PER_DAY, len(owner)
    )
    keep = t < cal.end_us
    owner, event, t = owner[keep], event[keep], t[keep]
    seen = np.zeros((len(who), len(EVENTS)))
    np.add.at(seen, (owner, event), 1)
    c = TRIAL_LOGIT
    logit = (
        c["intercept"]
        + c["log1p_logins"] * np.log1p(seen[:, 0])
        + c["log1p_reports_created"] * np.log1p(seen[:, 1])
        + c["integration_connected"] * (seen[:, 3] > 0)
        + c["invite_sent"] * (seen[:, 5] > 0)
        + c["log1p_exports"] * np.log1p(seen[:, 4])
    )
    buys = rng.random(len(who)) < 1 / (1 + np.exp(-logit))
    last = signed_up_at[who].copy()
    np.maximum.at(last, owner, t)
    at = last + rng.integers(US_PER_HOUR, 2 * US_PER_DAY, len(who))
    purchased = np.full(n, NO_TIME, dtype=np.int64)
    ok = buys & (at < cal.end_us)
    purchased[who[ok]] = at[ok]
    return Trials(purchased, who[owner], t, event)


def simulate_usage(
    cal: Calendar,
    rng: np.random.Generator,
    sub_account: I64,
    sub_start: I64,
    sub_end: I64,
    sub_kind: list[str],
    account_engagement: F64,
    people_account: I64,
) -> tuple[I64, I64, I64, I64]:
    """(person or -1, account, time, event) of customer usage during each subscription."""
    start = np.maximum(sub_start, cal.start_us)
    stop = np.where(sub_end == NO_TIME, cal.end_us, np.minimum(sub_end, cal.end_us))
    month_us = cal.month_first * US_PER_DAY
    m0 = np.searchsorted(month_us, start, side="right") - 1
    m1 = np.searchsorted(month_us, np.maximum(stop - 1, start), side="right") - 1
    n_months = np.where(stop > start, m1 - m0 + 1, 0)
    sub = np.repeat(np.arange(len(start)), n_months)
    month = m0[sub] + (np.arange(len(sub)) - np.repeat(np.cumsum(n_months) - n_months, n_months))
    lo = np.maximum(month_us[month], start[sub])
    hi = np.minimum(np.append(month_us[1:], cal.end_us)[month], stop[sub])
    rate = (
        np.array([USAGE_PER_MONTH[k] for k in sub_kind])[sub] * account_engagement[sub_account[sub]]
    )
    rate = rate * (hi - lo) / (30.4 * US_PER_DAY)
    churned = (sub_end[sub] != NO_TIME) & (sub_end[sub] <= cal.end_us)
    near_end = churned & ((lo + hi) // 2 > sub_end[sub] - PRE_CHURN_DAYS * US_PER_DAY)
    rate = np.where(near_end, rate * PRE_CHURN_MULTIPLIER, rate)
    counts = rng.poisson(np.maximum(rate, 0.0))
    cell = np.repeat(np.arange(len(sub)), counts)
    time = lo[cell] + (rng.random(len(cell)) * (hi - lo)[cell]).astype(np.int64)
    account = sub_account[sub[cell]]
    event = rng.choice(len(EVENTS), len(cell), p=USAGE_MIX)
    # The acting user: a random known person of the account, else account-level (-1).
    order = np.argsort(people_account, kind="stable")
    sorted_acc = people_account[order]
    first = np.searchsorted(sorted_acc, account, side="left")
    count = np.searchsorted(sorted_acc, account, side="right") - first
    pick = first + (rng.random(len(cell)) * np.maximum(count, 1)).astype(np.int64)
    person = np.where(count > 0, order[np.minimum(pick, len(order) - 1)], -1)
    return person, account, time, event


def events_table(person: I64, account: I64, time: I64, event: I64) -> pa.Table:
    order = np.lexsort((event, time))
    person, account, time, event = person[order], account[order], time[order], event[order]
    return build_table(
        "product_events",
        {
            "occurred_at": time,
            "event": labels(event, EVENTS),
            "person_id": ids("P", person, 7),
            "account_id": ids("A", account, 5),
            "event_id": ids("E", np.arange(len(time), dtype=np.int64), 8),
        },
        extras={"feature": labels(event, FEATURES)},
    )


def product_truth() -> dict[str, Any]:
    return {
        "trial_days": TRIAL_DAYS,
        "trial_event_rates_per_trial": dict(zip(EVENTS, TRIAL_RATES.tolist(), strict=True)),
        "trial_purchase_logit": TRIAL_LOGIT,
        "events_raising_purchase_odds": [
            "report_created",
            "integration_connected",
            "invite_sent",
            "login",
            "export",
        ],
        "customer_events_per_month": USAGE_PER_MONTH,
        "customer_event_mix": dict(zip(EVENTS, USAGE_MIX.tolist(), strict=True)),
        "pre_churn_window_days": PRE_CHURN_DAYS,
        "pre_churn_usage_multiplier": PRE_CHURN_MULTIPLIER,
    }
