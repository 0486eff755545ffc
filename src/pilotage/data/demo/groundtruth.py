"""Ground truth derived from the generated journeys: per-channel incremental effects, the
attribution removal effects, the weekly series behind the mix model and the initiatives."""

from __future__ import annotations

from typing import Any

import numpy as np

from pilotage.data.demo.config import F64, I64, US_PER_DAY, Calendar, to_date
from pilotage.data.demo.journeys import Journeys
from pilotage.data.demo.media import MediaPlan
from pilotage.data.demo.truth import (
    CHANNEL_INDEX,
    CHANNELS,
    MEDIA,
    ORGANIC,
    UNTRACKED_LATE_P,
    adstock,
    conversion_probability,
    hill,
)

_P = np.array([c.touch_p for c in CHANNELS])


def _r(x: float, digits: int = 4) -> float:
    return round(float(x), digits)


def removal_effects(j: Journeys) -> dict[str, float]:
    """Expected identifications lost when a channel's touches are removed (the arrival
    channel removes the prospect entirely), summed over the generated prospects."""
    log_keep = np.log1p(-_P)
    follow = np.zeros((j.n_prospects, len(CHANNELS)))
    np.add.at(follow, (j.follow_owner, j.follow_channel), 1.0)
    log_follow = follow @ log_keep  # (n_prospects,)
    base_keep = np.log1p(-_P[j.arrival_channel]) + log_follow + np.log1p(-UNTRACKED_LATE_P)
    p_all = 1 - np.exp(base_keep)
    out: dict[str, float] = {}
    for c, ch in enumerate(CHANNELS):
        if ch.touch_p == 0:
            continue
        without = np.where(
            j.arrival_channel == c, 0.0, 1 - np.exp(base_keep - follow[:, c] * log_keep[c])
        )
        out[ch.name] = _r((p_all - without).sum(), 2)
    return out


def channel_truth(
    cal: Calendar,
    media: MediaPlan,
    j: Journeys,
    person_channel: I64,
    revenue_by_person: F64,
    pipeline_by_person: F64,
    margin_by_person: F64,
) -> dict[str, Any]:
    """Spend, expected and realised incremental identifications, revenue, ROAS and ROI.

    Every identification, pipeline euro and revenue euro of a prospect exists because of the
    channel it arrived through, so realised incremental revenue of a channel is the revenue
    (orders inside the period, EUR) of the people it acquired."""
    people = np.bincount(person_channel, minlength=len(CHANNELS))
    revenue = np.bincount(person_channel, weights=revenue_by_person, minlength=len(CHANNELS))
    pipeline = np.bincount(person_channel, weights=pipeline_by_person, minlength=len(CHANNELS))
    profit = np.bincount(person_channel, weights=margin_by_person, minlength=len(CHANNELS))
    expected = {m.channel: media.expected_arrivals[k].sum() for k, m in enumerate(MEDIA)}
    expected |= {o.name: j.expected_organic[k].sum() for k, o in enumerate(ORGANIC)}
    out: dict[str, Any] = {}
    for c, ch in enumerate(CHANNELS):
        if ch.touch_p == 0:
            continue
        q = conversion_probability(ch)
        rev_per_person = revenue[c] / max(people[c], 1)
        row: dict[str, Any] = {
            "touch_p": ch.touch_p,
            "prospect_conversion_probability": _r(q, 6),
            "expected_arrivals": _r(expected[ch.name], 1),
            "expected_incremental_identifications": _r(expected[ch.name] * q, 1),
            "realised_identifications": int(people[c]),
            "realised_incremental_pipeline_eur": _r(pipeline[c], 2),
            "realised_incremental_revenue_eur": _r(revenue[c], 2),
            "expected_incremental_revenue_eur": _r(expected[ch.name] * q * rev_per_person, 2),
        }
        if any(m.channel == ch.name for m in MEDIA):
            spend = float(media.weekly_spend[[m.channel for m in MEDIA].index(ch.name)].sum())
            row["spend_eur"] = _r(spend, 2)
            row["roas"] = _r(revenue[c] / spend) if spend else None
            row["roi"] = _r((profit[c] - spend) / spend) if spend else None
            row["cost_per_incremental_identification_eur"] = (
                _r(spend / (expected[ch.name] * q), 2) if expected[ch.name] else None
            )
        out[ch.name] = row
    return out


def weekly_series(cal: Calendar, media: MediaPlan, j: Journeys) -> dict[str, Any]:
    """Week by week: spend, expected identifications per media channel, expected baseline,
    and the realised new demand (lead + signup conversions by identification week)."""
    q_org = np.array([conversion_probability(o) for o in ORGANIC])
    week = ((j.identified_at // US_PER_DAY) - int(cal.week_monday[0])) // 7
    realised = np.bincount(week, minlength=cal.n_weeks)
    return {
        "week_start": [to_date(int(d)).isoformat() for d in cal.week_monday],
        "days_in_period": cal.week_days.tolist(),
        "spend_eur": {
            m.channel: np.round(media.weekly_spend[k], 2).tolist() for k, m in enumerate(MEDIA)
        },
        "expected_media_identifications": {
            m.channel: np.round(
                media.expected_arrivals[k]
                * conversion_probability(CHANNELS[CHANNEL_INDEX[m.channel]]),
                3,
            ).tolist()
            for k, m in enumerate(MEDIA)
        },
        "expected_baseline_identifications": np.round(q_org @ j.expected_organic, 3).tolist(),
        "realised_new_demand": realised[: cal.n_weeks].tolist(),
    }


def initiative_truth(
    cal: Calendar,
    media: MediaPlan,
    scale: float,
    initiative_people: dict[str, I64],
    pipeline_by_person: F64,
    won_by_person: F64,
) -> dict[str, Any]:
    """Counterfactual effect of each initiative (expected identifications with minus without
    its campaigns' spend, through the channel's response curve), and the pipeline and won
    revenue of the people it identified."""
    out: dict[str, Any] = {}
    for name, camps in media.initiatives.items():
        channel = "events" if name == "INIT-LYON" else "webinars"
        k = [m.channel for m in MEDIA].index(channel)
        m = MEDIA[k]
        own = sum((media.campaign_weekly[c] for c in camps), np.zeros(cal.n_weeks))
        q = conversion_probability(CHANNELS[CHANNEL_INDEX[channel]])
        without = (
            m.max_arrivals
            * scale
            * hill(adstock(media.weekly_spend[k] - own, m), m.half_saturation_eur * scale, m.slope)
        )
        incremental = float((media.expected_arrivals[k] - without).sum() * q)
        who = initiative_people[name]
        people = len(who)
        pipeline = float(pipeline_by_person[who].sum())
        out[name] = {
            "name": "Salon régional Lyon" if name == "INIT-LYON" else "Série de webinaires ciblés",
            "channel": channel,
            "campaign_ids": [media.campaigns[c].campaign_id for c in camps],
            "dates": [to_date(media.campaigns[c].start_day).isoformat() for c in camps],
            "cost_eur": _r(own.sum(), 2),
            "expected_incremental_identifications": _r(incremental, 2),
            "realised_identifications": people,
            "realised_pipeline_eur": _r(pipeline, 2),
            "realised_won_revenue_eur": _r(won_by_person[who].sum(), 2),
            "expected_incremental_pipeline_eur": _r(incremental * pipeline / max(people, 1), 2),
            "effect_scope": "arrivals through the channel response; nurture attendance of "
            "existing leads acts through funnel.mql_logit.webinar_attended",
        }
    return out
