"""Opportunities, orders and subscriptions: the sales-led contracts and self-serve revenue.

Sales-led: each opportunity-stage person opens a deal on their account (or joins the
account's deal opened in the last 7 days); sales and partners source extra deals. Won deals
become a first-year order and a subscription (an extension row when the account already
subscribes). Annual contracts renew or churn at each anniversary with the account's churn
probability theta ~ Beta(SBG_ALPHA, SBG_BETA) (shifted-beta-geometric), correlated with the
account's usage through a Gaussian copula. Self-serve buyers repeat purchases following a
BG/NBD process (Gamma(r, alpha) purchase rates per week, Beta(a, b) drop-out after each).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from pilotage.data.demo.config import F64, I64, NO_TIME, US_PER_DAY, Calendar
from pilotage.data.demo.people import COUNTRIES, SEGMENTS, Accounts, People

SBG_ALPHA, SBG_BETA = 1.1, 5.5  # annual churn probability theta ~ Beta(alpha, beta)
CHURN_USAGE_RHO = -0.6  # copula correlation between log usage engagement and churn quantile
AMOUNT_MEDIAN_EUR = {"SMB": 9_000.0, "mid-market": 32_000.0, "enterprise": 120_000.0}
WIN_P = {"SMB": 0.24, "mid-market": 0.26, "enterprise": 0.2}
TARGET_WIN_BONUS = 0.08
CYCLE_DAYS = {"SMB": 35.0, "mid-market": 70.0, "enterprise": 120.0}
PLANS = {"SMB": "Pro", "mid-market": "Business", "enterprise": "Enterprise"}
RENEWAL_UPLIFT = 0.03
LEGACY_CUSTOMER_SHARE = 0.12  # share of accounts already customers at the period start
BGNBD = {"r": 0.8, "alpha_weeks": 10.0, "a": 0.9, "b": 3.5}
STARTER_PRICE = {"EUR": 588.0, "GBP": 499.0}  # Starter plan, annual, paid by card
ADD_ONS = (
    ("Pack utilisateurs", 240.0, 199.0),
    ("Module exports", 180.0, 149.0),
    ("Crédits connecteurs", 90.0, 79.0),
)
MARGIN = {"saas": 0.82, "ecommerce": 0.6}
STAGES_OPEN = ("Discovery", "Qualification", "Proposal", "Negotiation")


@dataclass
class Ledger:
    """Rows of the opportunities, orders and subscriptions tables (Python lists)."""

    opps: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    subs: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Revenue:
    ledger: Ledger
    engagement: F64  # (n_accounts,) usage engagement multiplier
    theta: F64  # (n_accounts,) annual churn probability
    customer_at: I64  # (n_people,) first time the person became a customer
    truth: dict[str, Any]


def _churn(rng: np.random.Generator, n: int) -> tuple[F64, F64]:
    z = rng.normal(size=n)
    u = stats.norm.cdf(CHURN_USAGE_RHO * z + np.sqrt(1 - CHURN_USAGE_RHO**2) * rng.normal(size=n))
    theta = stats.beta.ppf(u, SBG_ALPHA, SBG_BETA)
    return np.exp(0.5 * z - 0.125), np.asarray(theta, dtype=np.float64)


def _subscribe(
    cal: Calendar,
    rng: np.random.Generator,
    led: Ledger,
    theta: float,
    account: int,
    start: int,
    mrr: float,
    plan: str,
    segment: str,
) -> None:
    """A contract with annual renewals from ``start``; renewal orders inside the period."""
    year = 365 * US_PER_DAY
    t, ended = start + year, NO_TIME
    while t < cal.end_us:
        if rng.random() < theta:
            ended = t
            break
        if t >= cal.start_us:
            led.orders.append(
                {
                    "ordered_at": t,
                    "amount": round(12 * mrr * (1 + RENEWAL_UPLIFT), 2),
                    "account": account,
                    "person": -1,
                    "margin": MARGIN["saas"],
                    "currency": "EUR",
                    "product": f"Renouvellement Clairval {PLANS[segment]}",
                }
            )
        mrr *= 1 + RENEWAL_UPLIFT
        t += year
    led.subs.append(
        {
            "account": account,
            "started_at": start,
            "ended_at": ended,
            "mrr": round(mrr, 2),
            "plan": plan,
            "kind": segment,
        }
    )


def build_revenue(
    cal: Calendar,
    rng: np.random.Generator,
    acc: Accounts,
    people: People,
    opp_at: I64,
    source_channel: list[str],
    campaign_of: list[str | None],
    purchased_at: I64,
) -> Revenue:
    led = Ledger()
    engagement, theta = _churn(rng, acc.n)
    customer_at = np.full(people.n, NO_TIME, dtype=np.int64)
    # Customers before the period: contracts signed up to 3 years earlier, still alive.
    legacy = np.flatnonzero(rng.random(acc.n) < LEGACY_CUSTOMER_SHARE)
    for a in legacy.tolist():
        seg = SEGMENTS[acc.segment[a]]
        start = cal.start_us - int(rng.integers(30, 3 * 365)) * US_PER_DAY
        acc.created_at[a] = min(int(acc.created_at[a]), start - 60 * US_PER_DAY)
        mrr = AMOUNT_MEDIAN_EUR[seg] * rng.lognormal(0, 0.4) / 12
        _subscribe(cal, rng, led, float(theta[a]), int(a), start, mrr, PLANS[seg], seg)
    legacy_alive = {
        s["account"] for s in led.subs if s["ended_at"] == NO_TIME or s["ended_at"] > cal.start_us
    }
    led.subs = [s for s in led.subs if s["account"] in legacy_alive]

    # Deals: marketing / partner / other from people, plus sales-sourced outbound deals.
    deals: list[tuple[int, int, int, str, str | None]] = []  # (time, account, person, src, cmp)
    open_until: dict[int, int] = {}
    for p in np.flatnonzero(opp_at >= 0)[np.argsort(opp_at[opp_at >= 0], kind="stable")].tolist():
        a, t = int(people.account[p]), int(opp_at[p])
        if open_until.get(a, -1) > t:
            continue  # the person joins the account's open deal
        open_until[a] = t + 7 * US_PER_DAY
        ch = source_channel[p]
        src = (
            "partner"
            if ch == "partners"
            else "other"
            if ch in ("direct", "referral") and rng.random() < 0.3
            else "marketing"
        )
        deals.append((t, a, int(p), src, campaign_of[p]))
    n_sales = round(0.2 * len(deals)) + 1
    targets = np.flatnonzero(acc.tier > 0)
    for _ in range(n_sales):
        pick = targets[rng.integers(len(targets))] if rng.random() < 0.7 else rng.integers(acc.n)
        deals.append((int(rng.integers(cal.start_us, cal.end_us)), int(pick), -1, "sales", None))
    deals.sort(key=lambda d: (d[0], d[1]))

    subscribed: set[int] = set(legacy_alive)
    for k, (t, a, p, src, cmp) in enumerate(deals):
        seg = SEGMENTS[acc.segment[a]]
        target = acc.tier[a] > 0
        amount = round(AMOUNT_MEDIAN_EUR[seg] * rng.lognormal(0, 0.45) * (1.2 if target else 1), 2)
        won = rng.random() < WIN_P[seg] + (TARGET_WIN_BONUS if target else 0.0)
        cycle = rng.gamma(3.0, CYCLE_DAYS[seg] / 3.0) * (1.0 if won else 0.8)
        closed = t + int(cycle * US_PER_DAY) + US_PER_DAY
        is_closed = closed < cal.end_us
        stage = (
            ("Closed Won" if won else "Closed Lost")
            if is_closed
            else STAGES_OPEN[min(3, int(4 * (cal.end_us - t) / (closed - t)))]
        )
        led.opps.append(
            {
                "id": k,
                "account": a,
                "person": p,
                "created_at": t,
                "amount": amount,
                "stage": stage,
                "closed_at": closed if is_closed else NO_TIME,
                "is_closed": is_closed,
                "is_won": bool(won and is_closed),
                "source": src,
                "campaign": cmp,
                "owner": acc.sales_owner[a],
            }
        )
        if not (won and is_closed):
            continue
        plan = PLANS[seg]
        led.orders.append(
            {
                "ordered_at": closed,
                "amount": amount,
                "account": a,
                "person": p,
                "margin": MARGIN["saas"],
                "currency": "EUR",
                "product": f"Clairval {plan} - première année",
                "opp": k,
            }
        )
        start = closed + 7 * US_PER_DAY
        if start < cal.end_us:
            kind = f"{plan} - extension" if a in subscribed else plan
            _subscribe(cal, rng, led, float(theta[a]), a, start, amount / 12, kind, seg)
            subscribed.add(a)
        if p >= 0:
            customer_at[p] = closed
    _self_serve(cal, rng, led, people, purchased_at)
    first = purchased_at >= 0
    customer_at = np.where(
        first & ((customer_at < 0) | (purchased_at < customer_at)), purchased_at, customer_at
    )
    truth = {
        "churn": {
            "model": "shifted_beta_geometric",
            "period": "year",
            "alpha": SBG_ALPHA,
            "beta": SBG_BETA,
            "mean_annual_churn": round(SBG_ALPHA / (SBG_ALPHA + SBG_BETA), 4),
            "usage_correlation_rho": CHURN_USAGE_RHO,
        },
        "repeat_purchases": {
            "model": "bg_nbd",
            "time_unit": "weeks",
            **BGNBD,
            "products": [a[0] for a in ADD_ONS],
        },
        "deal_amount_median_eur": AMOUNT_MEDIAN_EUR,
        "win_probability": WIN_P,
        "target_account_win_bonus": TARGET_WIN_BONUS,
        "sales_cycle_mean_days": CYCLE_DAYS,
        "renewal_uplift": RENEWAL_UPLIFT,
        "gross_margin_ratio": MARGIN,
        "starter_price": STARTER_PRICE,
    }
    return Revenue(led, engagement, theta, customer_at, truth)


def _self_serve(
    cal: Calendar, rng: np.random.Generator, led: Ledger, people: People, purchased_at: I64
) -> None:
    """Starter purchases then BG/NBD repeat add-on purchases, vectorised over buyers."""
    buyers = np.flatnonzero(purchased_at >= 0)
    uk = people.country[buyers] == COUNTRIES.index("UK")
    lam = rng.gamma(BGNBD["r"], 1.0 / BGNBD["alpha_weeks"], len(buyers))  # purchases / week
    drop = rng.beta(BGNBD["a"], BGNBD["b"], len(buyers))
    week = 7 * US_PER_DAY
    t = purchased_at[buyers].copy()
    alive = np.ones(len(buyers), dtype=bool)
    last = t.copy()
    times, who, what = [t], [np.arange(len(buyers))], [np.full(len(buyers), -1)]
    while alive.any():
        alive &= rng.random(len(buyers)) >= drop  # may drop out after each purchase
        with np.errstate(divide="ignore", over="ignore"):
            gap = rng.exponential(1.0, len(buyers)) / lam * week
        # A rate that underflows to 0 (large scales draw many) gives an infinite gap: the
        # next purchase falls after the period, as does any gap longer than what is left.
        room = (cal.end_us - t).astype(np.float64)
        inside = gap < room
        t = np.where(inside, t + np.where(inside, gap, 0.0).astype(np.int64), cal.end_us)
        alive &= t < cal.end_us
        idx = np.flatnonzero(alive)
        times.append(t[idx])
        who.append(idx)
        what.append(rng.integers(0, len(ADD_ONS), len(idx)))
        last[idx] = t[idx]
    for ts, ws, ps in zip(times, who, what, strict=True):
        for tt, w, pr in zip(ts.tolist(), ws.tolist(), ps.tolist(), strict=True):
            cur = "GBP" if uk[w] else "EUR"
            name, eur, gbp = (
                ADD_ONS[pr]
                if pr >= 0
                else ("Starter (annuel)", STARTER_PRICE["EUR"], STARTER_PRICE["GBP"])
            )
            person = int(buyers[w])
            led.orders.append(
                {
                    "ordered_at": tt,
                    "amount": gbp if cur == "GBP" else eur,
                    "account": int(people.account[person]),
                    "person": person,
                    "margin": MARGIN["ecommerce"],
                    "currency": cur,
                    "product": name,
                }
            )
    for w, person in enumerate(buyers.tolist()):
        a = int(people.account[person])
        if a >= 0:
            end = int(last[w]) + 365 * US_PER_DAY  # the plan is not renewed after dropping out
            led.subs.append(
                {
                    "account": a,
                    "started_at": int(purchased_at[person]),
                    "ended_at": end if end < cal.end_us else NO_TIME,
                    "mrr": 49.0,
                    "plan": "Starter",
                    "kind": "starter",
                }
            )
