"""Entry point: ``generate(DemoConfig()) -> DemoCompany`` (every canonical table + truth).

One ``numpy.random.Generator(PCG64(seed))`` is consumed in a fixed order, and nothing reads
the clock, so the same configuration gives the same tables and ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from pilotage.data.demo import assemble, groundtruth
from pilotage.data.demo.config import US_PER_DAY, DemoConfig, build_calendar
from pilotage.data.demo.costs import build_costs
from pilotage.data.demo.experiments import build_experiments
from pilotage.data.demo.funnel import build_funnel
from pilotage.data.demo.journeys import simulate_journeys
from pilotage.data.demo.media import build_media
from pilotage.data.demo.people import COUNTRIES, INDUSTRIES, SEGMENTS, build_accounts, build_people
from pilotage.data.demo.product import events_table, product_truth, simulate_trials, simulate_usage
from pilotage.data.demo.revenue import build_revenue
from pilotage.data.demo.tables import build_table, ids, labels
from pilotage.data.demo.touches import TT, batch, touch_table
from pilotage.data.demo.truth import (
    ALGO_REACH_AFTER,
    BASELINE_NOISE_SD_LOG,
    CHANNEL_INDEX,
    CHANNELS,
    FOLLOW_UP_GAP_DAYS,
    FOLLOW_UPS_PER_PROSPECT,
    FOURIER_ORDER,
    ORGANIC,
    SEASONALITY,
    TREND_PER_YEAR,
    UNTRACKED_LATE_P,
    algo_change_date,
    conversion_probability,
    response_truth,
)
from pilotage.data.demo.voice import build_conversations, build_surveys
from pilotage.data.schema import TABLES

COMPANY = "Clairval"
INITIATIVE_TARGET_SHARE = {"INIT-LYON": 0.6, "INIT-WEBINAR": 0.7}


@dataclass(frozen=True)
class DemoCompany:
    tables: dict[str, pa.Table]
    ground_truth: dict[str, Any]  # JSON-serialisable (plain Python types only)


def generate(config: DemoConfig) -> DemoCompany:
    cal = build_calendar(config)
    rng = np.random.Generator(np.random.PCG64(config.seed))
    scale = float(config.scale)
    media = build_media(cal, rng, scale)
    journeys = simulate_journeys(cal, rng, scale, media)
    accounts = build_accounts(cal, rng, scale)
    arrival_campaign = journeys.arrival_campaign[journeys.prospect]
    members = {k: np.isin(arrival_campaign, list(v)) for k, v in media.initiatives.items()}
    people = build_people(
        rng, accounts, journeys, {k: (v, INITIATIVE_TARGET_SHARE[k]) for k, v in members.items()}
    )
    funnel = build_funnel(cal, rng, people, accounts, journeys, media.campaigns)
    trials = simulate_trials(cal, rng, people.created_at, people.self_serve)
    channel_names = [CHANNELS[c].name for c in people.acquisition_channel]
    campaign_ids = [media.campaigns[c].campaign_id if c >= 0 else None for c in arrival_campaign]
    revenue = build_revenue(
        cal,
        rng,
        accounts,
        people,
        funnel.opportunity_at,
        channel_names,
        campaign_ids,
        trials.purchased_at,
    )
    led = revenue.ledger
    subs = led.subs
    u_person, u_account, u_time, u_event = simulate_usage(
        cal,
        rng,
        np.array([s["account"] for s in subs], dtype=np.int64),
        np.array([s["started_at"] for s in subs], dtype=np.int64),
        np.array([s["ended_at"] for s in subs], dtype=np.int64),
        [s["kind"] for s in subs],
        revenue.engagement,
        people.account,
    )
    t_account = people.account[trials.person]
    product_events = events_table(
        np.concatenate([trials.person, u_person]),
        np.concatenate([t_account, u_account]),
        np.concatenate([trials.time, u_time]),
        np.concatenate([trials.event, u_event]),
    )

    # Sales meetings during each open deal (until it closes or the period ends).
    deal_start = np.array([o["created_at"] for o in led.opps], dtype=np.int64)
    deal_end = np.array([o["closed_at"] if o["is_closed"] else cal.end_us for o in led.opps])
    meetings = 1 + rng.poisson((deal_end - deal_start) / (20 * US_PER_DAY))
    deal = np.repeat(np.arange(len(led.opps)), meetings)
    meet_at = deal_start[deal] + (rng.random(len(deal)) * (deal_end - deal_start)[deal]).astype(
        np.int64
    )
    deal_person = np.array([o["person"] for o in led.opps], dtype=np.int64)[deal]
    deal_account = np.array([o["account"] for o in led.opps], dtype=np.int64)[deal]
    sales = batch(
        meet_at,
        np.full(len(deal), CHANNEL_INDEX["sales"]),
        np.where(rng.random(len(deal)) < 0.6, TT["sales_meeting"], TT["sales_call"]),
        person=deal_person,
        account=deal_account,
    )
    touches, _ = touch_table(
        rng, [journeys.touches, *funnel.touches, sales], people.account, media.campaigns
    )

    fx, rates = assemble.fx_table(cal, rng)
    eur = assemble.order_eur(led, rates)
    revenue_by_person = np.zeros(people.n)
    margin_by_person = np.zeros(people.n)
    won_by_person = np.zeros(people.n)
    for o, amount in zip(led.orders, eur, strict=True):
        if o["person"] >= 0:
            revenue_by_person[o["person"]] += amount
            margin_by_person[o["person"]] += amount * o["margin"]
            if "opp" in o:
                won_by_person[o["person"]] += amount
    pipeline_by_person = np.zeros(people.n)
    for o in led.opps:
        if o["person"] >= 0:
            pipeline_by_person[o["person"]] += o["amount"]
    partner_revenue = np.zeros(cal.n_months)
    for o in led.opps:
        if o["is_won"] and o["source"] == "partner":
            month = int(np.searchsorted(cal.month_first * US_PER_DAY, o["closed_at"], "right")) - 1
            partner_revenue[month] += o["amount"]
    costs, costs_truth = build_costs(cal, scale, media.weekly_spend, partner_revenue)
    surveys, survey_truth = build_surveys(
        cal, rng, scale, people.account, people.country, people.created_at
    )
    conversations, conversation_truth = build_conversations(
        cal, rng, scale, people.account, people.country
    )
    experiments, experiment_truth = build_experiments(cal, rng, scale)
    accounts_table = build_table(
        "accounts",
        {
            "account_id": ids("A", np.arange(accounts.n, dtype=np.int64), 5),
            "name": accounts.name,
            "domain": accounts.domain,
            "industry": labels(accounts.industry, INDUSTRIES),
            "employees": accounts.employees,
            "country": labels(accounts.country, COUNTRIES),
            "segment": labels(accounts.segment, SEGMENTS),
            "is_target": pa.array(accounts.tier > 0),
            "tier": labels(accounts.tier - 1, ["tier 1", "tier 2", "tier 3"]),
            "sales_owner": accounts.sales_owner,
            "marketing_owner": accounts.marketing_owner,
            "created_at": accounts.created_at,
        },
    )
    tables: dict[str, pa.Table] = {
        "spend": media.spend,
        "campaigns": media.campaigns_table,
        "accounts": accounts_table,
        "people": assemble.people_table(people, funnel, revenue.customer_at),
        "touchpoints": touches,
        "conversions": assemble.conversions_table(people, funnel, led),
        **assemble.ledger_tables(led),
        "product_events": product_events,
        "surveys": surveys,
        "conversations": conversations,
        "experiments": experiments,
        "fx_rates": fx,
        "costs": costs,
    }
    init_people = {k: np.flatnonzero(v) for k, v in members.items()}
    truth: dict[str, Any] = {
        "company": COMPANY,
        "config": {
            "seed": config.seed,
            "months": config.months,
            "scale": scale,
            "start_date": cal.start.isoformat(),
            "end_date": cal.end.isoformat(),
        },
        "units": {
            "money": "EUR (UK self-serve orders in GBP, converted with fx_rates)",
            "time": "ISO weeks starting Monday unless a key says days",
            "identifications": "new people (lead or signup conversions)",
            "spend": "EUR per ISO week",
            "half_saturation": "EUR of adstocked weekly spend",
            "beta": "identifications per week at full saturation",
            "roas": "realised revenue in the period / spend",
            "roi": "(realised gross profit - spend) / spend",
        },
        "demand_model": {
            "description": "new demand per week = baseline (organic arrivals x q) + sum over "
            "paid channels of beta_c * hill(adstock(spend_c)) + noise",
            "baseline_identifications_per_week_at_start": round(
                sum(o.weekly_arrivals * scale * conversion_probability(o) for o in ORGANIC),
                3,
            ),
            "organic_arrivals_per_week_at_start": {
                o.name: o.weekly_arrivals * scale for o in ORGANIC
            },
            "trend_per_year": TREND_PER_YEAR,
            "seasonality": {
                "type": "fourier",
                "order": FOURIER_ORDER,
                "period_days": 365.25,
                "multiplicative": True,
                "coefficients_sin_cos": [float(x) for x in SEASONALITY],
            },
            "baseline_noise_sd_log": BASELINE_NOISE_SD_LOG,
            "follow_ups_per_prospect": FOLLOW_UPS_PER_PROSPECT,
            "follow_up_gap_mean_days": FOLLOW_UP_GAP_DAYS,
            "follow_up_channel_share": {c.name: c.follow_share for c in CHANNELS if c.follow_share},
            "untracked_late_identification_p": UNTRACKED_LATE_P,
        },
        "algorithm_change": {
            "channel": "organic_social",
            "date": algo_change_date(cal).isoformat(),
            "reach_multiplier_after": ALGO_REACH_AFTER,
        },
        "media_response": response_truth(scale),
        "channels": groundtruth.channel_truth(
            cal,
            media,
            journeys,
            people.acquisition_channel,
            revenue_by_person,
            pipeline_by_person,
            margin_by_person,
        ),
        "attribution": {
            "model": "noisy_or_per_touch",
            "touch_p": {c.name: c.touch_p for c in CHANNELS if c.touch_p},
            "removal_effect_identifications": groundtruth.removal_effects(journeys),
        },
        "weekly": groundtruth.weekly_series(cal, media, journeys),
        "initiatives": groundtruth.initiative_truth(
            cal, media, scale, init_people, pipeline_by_person, won_by_person
        ),
        "funnel": funnel.truth,
        "revenue": revenue.truth,
        "product": product_truth(),
        "surveys": survey_truth,
        "conversations": conversation_truth,
        "experiments": experiment_truth,
        "costs": costs_truth,
        "volumes": {name: tables[name].num_rows for name in TABLES},
    }
    return DemoCompany(tables, truth)
