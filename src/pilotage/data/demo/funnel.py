"""Lead funnel after identification: nurture touches, MQL, SQL, opportunity stage.

The MQL decision is causal on the nurture touches a lead receives in the 45 days after
identification (email clicks, a webinar, content downloads): the MQL timestamp comes after
the last of them, with logit coefficients recorded in the ground truth. Sales touches
(calls between MQL and SQL, meetings between SQL and opportunity) carry ``is_sales``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from pilotage.data.demo.config import F64, I64, NO_TIME, US_PER_DAY, US_PER_HOUR, Calendar
from pilotage.data.demo.journeys import Journeys
from pilotage.data.demo.media import Campaign
from pilotage.data.demo.people import Accounts, People
from pilotage.data.demo.touches import TT, TouchBatch, batch
from pilotage.data.demo.truth import CHANNEL_INDEX

NURTURE_DAYS = 45
# logit P(MQL | lead) = intercept + sum coef * feature (features counted in the 45 days)
MQL_LOGIT = {
    "intercept": -3.1,
    "email_clicks_capped_6": 0.30,
    "webinar_attended": 1.1,
    "content_downloads_capped_3": 0.6,
    "target_account": 0.9,
    "mid_market_or_larger": 0.4,
}
SQL_LOGIT = {"intercept": -0.75, "target_account": 0.7, "mid_market_or_larger": 0.3}
OPP_LOGIT = {"intercept": 0.15, "target_account": 0.5}
NEWSLETTER_CLICKS_PER_MONTH = 0.2  # per person, x engagement
RETURN_VISITS_PER_MONTH = 0.22  # logged-in or identified return visits, x engagement


@dataclass(frozen=True)
class Funnel:
    mql_at: I64
    sql_at: I64
    opportunity_at: I64
    touches: list[TouchBatch]
    truth: dict[str, Any]


def _sigmoid(x: npt.ArrayLike) -> F64:
    return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64))), dtype=np.float64)


def _spread(rng: np.random.Generator, start: I64, counts: I64, span: I64) -> tuple[I64, I64]:
    """(owner, time) of counts[i] touches uniform in [start[i], start[i] + span[i])."""
    owner = np.repeat(np.arange(len(counts)), counts)
    t = start[owner] + (rng.random(len(owner)) * span[owner]).astype(np.int64)
    return owner, t


def build_funnel(
    cal: Calendar,
    rng: np.random.Generator,
    people: People,
    acc: Accounts,
    journeys: Journeys,
    campaigns: tuple[Campaign, ...],
) -> Funnel:
    n = people.n
    t0 = people.created_at
    lead = ~people.self_serve
    engaged = rng.lognormal(-0.18, 0.6, n)  # mean 1: how much a person engages with content
    end = cal.end_us
    window = np.minimum(NURTURE_DAYS * US_PER_DAY, end - t0 - US_PER_HOUR).clip(0)
    touches: list[TouchBatch] = []
    camp_idx = {c.name: c.index for c in campaigns}

    n_email = rng.poisson(1.3 * engaged)
    owner, t = _spread(rng, t0, n_email, window)
    nurture = np.where(
        lead[owner], camp_idx["Nurture - Leads B2B"], camp_idx["Nurture - Onboarding Starter"]
    )
    touches.append(
        batch(
            t,
            np.full(len(t), CHANNEL_INDEX["email"]),
            np.full(len(t), TT["email_click"]),
            campaign=nurture,
            person=owner,
        )
    )
    last = t0.copy()
    np.maximum.at(last, owner, t)

    webinars = sorted((c.start_day, c.index) for c in campaigns if c.channel == "webinars")
    w_days = np.array([d for d, _ in webinars], dtype=np.int64) * US_PER_DAY + 14 * US_PER_HOUR
    nxt = np.searchsorted(w_days, t0 + US_PER_DAY)
    has_next = nxt < len(w_days)
    w_time = w_days[np.minimum(nxt, len(w_days) - 1)]
    attend = has_next & (w_time < t0 + window) & (rng.random(n) < 1 - np.exp(-0.35 * engaged))
    who = np.flatnonzero(attend)
    touches.append(
        batch(
            w_time[who],
            np.full(len(who), CHANNEL_INDEX["webinars"]),
            np.full(len(who), TT["webinar"]),
            campaign=np.array([i for _, i in webinars])[nxt[who]],
            person=who,
        )
    )
    np.maximum.at(last, who, w_time[who])

    contents = np.array([c.index for c in campaigns if c.channel == "content"])
    n_content = rng.poisson(0.35 * engaged)
    owner_c, t_c = _spread(rng, t0, n_content, window)
    touches.append(
        batch(
            t_c,
            np.full(len(t_c), CHANNEL_INDEX["content"]),
            np.full(len(t_c), TT["content_download"]),
            campaign=contents[rng.integers(0, len(contents), len(t_c))],
            person=owner_c,
        )
    )
    np.maximum.at(last, owner_c, t_c)

    # Features only count touches inside the window (all of them, by construction).
    emails = np.minimum(np.bincount(owner, minlength=n), 6)
    downloads = np.minimum(np.bincount(owner_c, minlength=n), 3)
    seg = people.segment
    target = (people.account >= 0) & (acc.tier[np.maximum(people.account, 0)] > 0)
    big = seg >= 1
    m = MQL_LOGIT
    p_mql = _sigmoid(
        m["intercept"]
        + m["email_clicks_capped_6"] * emails
        + m["webinar_attended"] * attend
        + m["content_downloads_capped_3"] * downloads
        + m["target_account"] * target
        + m["mid_market_or_larger"] * big
    )
    is_mql = lead & (rng.random(n) < p_mql)
    mql_at = np.where(is_mql, last + rng.integers(US_PER_HOUR, 3 * US_PER_DAY, n), NO_TIME)
    s, o = SQL_LOGIT, OPP_LOGIT
    p_sql = _sigmoid(
        s["intercept"] + s["target_account"] * target + s["mid_market_or_larger"] * big
    )
    is_sql = is_mql & (people.account >= 0) & (rng.random(n) < p_sql)
    sql_at = np.where(
        is_sql, mql_at + rng.gamma(2.0, 3.5 * US_PER_DAY, n).astype(np.int64) + US_PER_HOUR, NO_TIME
    )
    is_opp = is_sql & (rng.random(n) < _sigmoid(o["intercept"] + o["target_account"] * target))
    opp_at = np.where(
        is_opp, sql_at + rng.gamma(2.0, 5.0 * US_PER_DAY, n).astype(np.int64) + US_PER_HOUR, NO_TIME
    )
    # Stages reached after the period end are not observed yet.
    mql_at = np.where(mql_at < end, mql_at, NO_TIME)
    sql_at = np.where((mql_at >= 0) & (sql_at < end), sql_at, NO_TIME)
    opp_at = np.where((sql_at >= 0) & (opp_at < end), opp_at, NO_TIME)

    # Sales calls after MQL (until SQL, or two weeks of attempts), meetings before the opp.
    mql = np.flatnonzero(mql_at >= 0)
    until = np.where(sql_at[mql] >= 0, sql_at[mql], np.minimum(mql_at[mql] + 14 * US_PER_DAY, end))
    calls = 1 + rng.poisson(np.where(sql_at[mql] >= 0, 1.0, 0.5))
    o_idx, t_call = _spread(rng, mql_at[mql], calls, np.maximum(until - mql_at[mql], 1))
    touches.append(
        batch(
            t_call,
            np.full(len(o_idx), CHANNEL_INDEX["sales"]),
            np.full(len(o_idx), TT["sales_call"]),
            person=mql[o_idx],
        )
    )
    sq = np.flatnonzero(opp_at >= 0)
    meets = 1 + rng.poisson(0.5, len(sq))
    o_idx, t_meet = _spread(rng, sql_at[sq], meets, np.maximum(opp_at[sq] - sql_at[sq], 1))
    touches.append(
        batch(
            t_meet,
            np.full(len(o_idx), CHANNEL_INDEX["sales"]),
            np.full(len(o_idx), TT["sales_meeting"]),
            person=sq[o_idx],
        )
    )

    # Newsletter clicks and identified return visits over the rest of the period.
    months_left = (end - t0) / (30.4 * US_PER_DAY)
    letters = rng.poisson(NEWSLETTER_CLICKS_PER_MONTH * months_left * engaged)
    o_idx, t_news = _spread(rng, t0, letters, end - t0)
    month = np.searchsorted(cal.month_first * US_PER_DAY, t_news, side="right") - 1
    newsletter = np.array([camp_idx[c.name] for c in campaigns if c.program == "newsletter"])
    touches.append(
        batch(
            t_news,
            np.full(len(o_idx), CHANNEL_INDEX["email"]),
            np.full(len(o_idx), TT["email_click"]),
            campaign=newsletter[np.clip(month, 0, len(newsletter) - 1)],
            person=o_idx,
        )
    )
    visits = rng.poisson(RETURN_VISITS_PER_MONTH * months_left * engaged)
    o_idx, t_vis = _spread(rng, t0, visits, end - t0)
    ch = np.where(
        rng.random(len(o_idx)) < 0.6, CHANNEL_INDEX["direct"], CHANNEL_INDEX["organic_search"]
    )
    touches.append(
        batch(
            t_vis, ch, np.full(len(o_idx), TT["visit"]), anon=journeys.prospect[o_idx], person=o_idx
        )
    )

    leads = int(lead.sum())
    truth = {
        "mql_logit": MQL_LOGIT,
        "sql_logit": SQL_LOGIT,
        "opportunity_logit": OPP_LOGIT,
        "nurture_window_days": NURTURE_DAYS,
        "realised_rates": {
            "lead_to_mql": round(float((mql_at >= 0).sum() / max(leads, 1)), 4),
            "mql_to_sql": round(float((sql_at >= 0).sum() / max((mql_at >= 0).sum(), 1)), 4),
            "sql_to_opportunity": round(
                float((opp_at >= 0).sum() / max((sql_at >= 0).sum(), 1)), 4
            ),
        },
    }
    return Funnel(mql_at, sql_at, opp_at, touches, truth)
