"""Campaigns, programs, initiatives and daily spend; expected arrivals from the response truth.

Weekly spend per paid channel varies through flighting (display, video), budget shifts
(paid_social, paid_search), dark weeks (paid_search, paid_social), seasonality and one-off
events, so that a marketing mix model can separate the channels. Amounts are EUR and are
multiplied by ``scale`` (the response's half-saturation points are too, see truth.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa

from pilotage.data.demo.config import F64, I64, Calendar, to_date
from pilotage.data.demo.spend import spend_rows
from pilotage.data.demo.tables import build_table, date_column
from pilotage.data.demo.truth import (
    CHANNEL_INDEX,
    MEDIA,
    MEDIA_INDEX,
    adstock,
    hill,
    seasonality,
)

WEEKDAY_PROFILE = np.array([1.2, 1.25, 1.25, 1.2, 1.0, 0.6, 0.5])  # Monday..Sunday
WEEKDAY_PROFILE = WEEKDAY_PROFILE * 7.0 / WEEKDAY_PROFILE.sum()  # mean 1 over a full week
LYON_SHARE = 0.45  # the Lyon regional event happens 45 % into the period
SERIES_SHARE = 0.62  # the targeted webinar series starts 62 % into the period
LYON_COST_EUR = 95_000.0
SERIES_WEBINARS = 6
SERIES_COST_EUR = 6_500.0  # per webinar of the series
_MONTHS_FR = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
_EVENT_NAMES = (
    "Salon Marketing Digital Paris",
    "SaaS Summit Paris",
    "Forum CMO Bruxelles",
    "Marketing Tech Day Genève",
    "DMEXCO Cologne",
    "B2B Marketing Expo Londres",
    "Salon Data & IA Nantes",
)
_OWNERS = ("Camille Martin", "Julien Moreau", "Sophie Bernard", "Léa Dubois", "Thomas Petit")


@dataclass(frozen=True)
class Campaign:
    index: int
    campaign_id: str
    name: str
    channel: str
    program: str
    initiative_id: str | None
    start_day: int  # day number (days since epoch)
    end_day: int
    owner: str
    ad_groups: tuple[str, ...]


@dataclass(frozen=True)
class MediaPlan:
    campaigns: tuple[Campaign, ...]
    campaigns_table: pa.Table
    spend: pa.Table
    weekly_spend: F64  # (n_media, n_weeks) EUR, in MEDIA order
    expected_arrivals: F64  # (n_media, n_weeks) prospects/week, in MEDIA order
    # channel -> (campaign indices (k,), per-week cumulative choice probabilities (n_weeks, k))
    campaign_choice: dict[str, tuple[I64, F64]]
    initiatives: dict[str, tuple[int, ...]]  # initiative_id -> campaign indices
    campaign_weekly: dict[int, F64]  # campaign index -> weekly spend (n_weeks,) EUR


def slug(name: str) -> str:
    keep = "".join(ch if ch.isalnum() else "-" for ch in name.lower())
    return "-".join(p for p in keep.split("-") if p)


class _Builder:
    def __init__(self, cal: Calendar, rng: np.random.Generator, scale: float) -> None:
        self.cal, self.rng, self.scale = cal, rng, scale
        self.campaigns: list[Campaign] = []
        self.weekly: dict[int, F64] = {}  # campaign index -> weekly spend (n_weeks,) EUR

    def add(
        self,
        name: str,
        channel: str,
        program: str,
        weekly: F64 | None,
        *,
        ad_groups: tuple[str, ...] = ("",),
        start: int | None = None,
        end: int | None = None,
        initiative: str | None = None,
    ) -> int:
        idx = len(self.campaigns)
        first, last = int(self.cal.day_num[0]), int(self.cal.day_num[-1])
        if weekly is not None:
            active = np.flatnonzero(weekly > 0)
            if active.size:
                first = max(first, int(self.cal.week_monday[active[0]]))
                last = min(last, int(self.cal.week_monday[active[-1]]) + 6)
            self.weekly[idx] = weekly * self.scale
        owner = _OWNERS[(CHANNEL_INDEX[channel] + idx) % len(_OWNERS)]
        self.campaigns.append(
            Campaign(
                idx,
                f"CMP-{idx + 1:04d}",
                name,
                channel,
                program,
                initiative,
                first if start is None else start,
                last if end is None else end,
                owner,
                ad_groups,
            )
        )
        return idx

    def always_on(
        self,
        level: F64,
        shares: dict[str, float],
        channel: str,
        program: str,
        ad_groups: tuple[str, ...],
    ) -> None:
        drift = self.rng.normal(0.0, 0.04, (len(shares), self.cal.n_weeks)).cumsum(axis=1)
        w = np.array(list(shares.values()))[:, None] * np.exp(drift)
        w /= w.sum(axis=0)
        for k, name in enumerate(shares):
            self.add(name, channel, program, level * w[k], ad_groups=ad_groups)

    def one_day(
        self,
        name: str,
        channel: str,
        program: str,
        day: int,
        cost: float,
        initiative: str | None = None,
    ) -> int:
        weekly = np.zeros(self.cal.n_weeks)
        weekly[self.cal.day_week[day - int(self.cal.day_num[0])]] = cost
        return self.add(name, channel, program, weekly, start=day, end=day, initiative=initiative)


def _levels(cal: Calendar, rng: np.random.Generator) -> dict[str, F64]:
    """Channel-level weekly spend (EUR, scale 1) for the always-on and flighted channels."""
    n = cal.n_weeks
    t = np.arange(n) / max(n - 1, 1)
    season = seasonality(cal.week_year_frac)
    part = cal.week_days / 7.0
    budget = {m.channel: m.weekly_budget_eur for m in MEDIA}
    search = budget["paid_search"] * season**0.6 * (1 + 0.1 * t) * np.exp(rng.normal(0, 0.12, n))
    search *= np.where(t >= 0.7, 1.3, 1.0)  # budget shift: +30 % for the last 30 %
    dark = int(0.3 * n)
    search[dark : dark + 3] *= 0.3  # a three-week geo-holdout-like dark period
    social = budget["paid_social"] * np.where(t >= 0.4, 1.3, 0.7) * season**0.3
    social *= np.exp(rng.normal(0, 0.2, n))
    social[rng.choice(n, size=max(1, n // 40), replace=False)] *= 0.05
    display = np.zeros(n)
    week, on = 0, True
    while week < n:
        length = int(rng.integers(4, 9) if on else rng.integers(2, 6))
        display[week : week + length] = budget["display"] * (1.5 if on else 0.1)
        week, on = week + length, not on
    display *= np.exp(rng.normal(0, 0.1, n))
    return {
        k: v * part
        for k, v in {"paid_search": search, "paid_social": social, "display": display}.items()
    }


def _video_flights(b: _Builder, budget: float) -> None:
    n = b.cal.n_weeks
    week = int(b.rng.integers(2, 8))
    wave = 1
    while week < n - 2:
        length = int(b.rng.integers(4, 7))
        weekly = np.zeros(n)
        weekly[week : week + length] = budget * 13 / 5 * b.rng.uniform(0.8, 1.2)
        monday = to_date(int(b.cal.week_monday[week]))
        label = f"{_MONTHS_FR[monday.month - 1]} {monday.year}"
        b.add(f"YouTube - Vague {wave} ({label})", "video", "brand", weekly * b.cal.week_days / 7)
        week += length + int(b.rng.integers(6, 11))
        wave += 1


def _events_and_webinars(b: _Builder) -> dict[str, tuple[int, ...]]:
    cal, rng = b.cal, b.rng
    first = int(cal.day_num[0])

    def weekday_on_or_after(day: int, weekday: int) -> int:
        return day + (weekday - (day + 3) % 7) % 7

    lyon_day = weekday_on_or_after(first + int(LYON_SHARE * cal.n_days), 3)
    day, k = first + int(rng.integers(10, 30)), 0
    while day < first + cal.n_days - 3:
        d = to_date(day)
        quiet = d.month == 8 or (d.month == 12 and d.day > 15) or abs(day - lyon_day) < 21
        if not quiet:
            name = _EVENT_NAMES[k % len(_EVENT_NAMES)]
            b.one_day(
                f"{name} {d.year}",
                "events",
                "events",
                weekday_on_or_after(day, 1),
                float(rng.uniform(20_000, 40_000)),
            )
            k += 1
        day += int(rng.integers(42, 70))
    lyon = b.one_day(
        "Salon régional Lyon", "events", "events", lyon_day, LYON_COST_EUR, initiative="INIT-LYON"
    )
    series: list[int] = []
    series_first = first + int(SERIES_SHARE * cal.n_days)
    for month in range(cal.n_months):
        mday = int(cal.month_first[month])
        d = to_date(mday)
        if d.month != 8:
            wday = weekday_on_or_after(mday + int(rng.integers(7, 18)), 1)
            b.one_day(
                f"Webinar mensuel - {_MONTHS_FR[d.month - 1]} {d.year}",
                "webinars",
                "webinars",
                wday,
                float(rng.uniform(2_500, 4_500)),
            )
    for j in range(SERIES_WEBINARS):
        wday = weekday_on_or_after(series_first + 14 * j, 3)
        if wday <= first + cal.n_days - 1:
            series.append(
                b.one_day(
                    f"Série de webinaires ciblés - épisode {j + 1}",
                    "webinars",
                    "webinars",
                    wday,
                    SERIES_COST_EUR,
                    initiative="INIT-WEBINAR",
                )
            )
    return {"INIT-LYON": (lyon,), "INIT-WEBINAR": tuple(series)}


def _programs(b: _Builder) -> None:
    """Campaigns without media spend: email, gated content, SEO and partner programs."""
    for month in range(b.cal.n_months):
        d = to_date(int(b.cal.month_first[month]))
        b.add(
            f"Newsletter - {_MONTHS_FR[d.month - 1]} {d.year}",
            "email",
            "newsletter",
            None,
            start=int(b.cal.month_first[month]),
            end=int(b.cal.month_first[month]) + 27,
        )
    for name in ("Nurture - Leads B2B", "Nurture - Onboarding Starter", "Nurture - Réactivation"):
        b.add(name, "email", "nurture", None)
    for name in (
        "Livre blanc - ROI du marketing B2B",
        "Guide - Attribution multi-touch",
        "Benchmark CAC SaaS",
        "Modèle de plan marketing",
        "Étude - Marketing mix",
        "Checklist - Tableau de bord CMO",
    ):
        b.add(name, "content", "content", None)
    b.add("SEO - Contenus piliers", "organic_search", "seo", None)
    b.add("Programme partenaires intégrateurs", "partners", "partners", None)


def build_media(cal: Calendar, rng: np.random.Generator, scale: float) -> MediaPlan:
    b = _Builder(cal, rng, scale)
    levels = _levels(cal, rng)
    b.always_on(
        levels["paid_search"],
        {
            "SEA - Marque Clairval": 0.25,
            "SEA - Attribution marketing": 0.25,
            "SEA - Logiciel ROI marketing": 0.2,
            "SEA - Concurrents": 0.15,
            "SEA - Starter en ligne": 0.15,
        },
        "paid_search",
        "acquisition",
        ("Exact", "Expression"),
    )
    b.always_on(
        levels["paid_social"],
        {
            "LinkedIn - ABM Tier 1": 0.3,
            "LinkedIn - Livre blanc": 0.35,
            "LinkedIn - Retargeting": 0.15,
            "Meta - Starter acquisition": 0.2,
        },
        "paid_social",
        "acquisition",
        ("Audience A", "Audience B"),
    )
    b.campaigns[-4] = replace(b.campaigns[-4], program="abm")  # the LinkedIn ABM campaign
    b.always_on(
        levels["display"],
        {"Programmatique - Prospection": 0.6, "Criteo - Retargeting": 0.4},
        "display",
        "acquisition",
        ("",),
    )
    _video_flights(b, MEDIA[MEDIA_INDEX["video"]].weekly_budget_eur)
    initiatives = _events_and_webinars(b)
    _programs(b)
    campaigns = tuple(b.campaigns)

    n_media = len(MEDIA)
    weekly = np.zeros((n_media, cal.n_weeks))
    arrivals = np.zeros((n_media, cal.n_weeks))
    choice: dict[str, tuple[I64, F64]] = {}
    for m_idx, m in enumerate(MEDIA):
        ks = np.array(
            [c.index for c in campaigns if c.channel == m.channel and c.index in b.weekly],
            dtype=np.int64,
        )
        per = np.vstack([b.weekly[int(k)] for k in ks])
        weekly[m_idx] = per.sum(axis=0)
        arrivals[m_idx] = (
            m.max_arrivals
            * scale
            * hill(adstock(weekly[m_idx], m), m.half_saturation_eur * scale, m.slope)
        )
        stocked = np.vstack([adstock(row, m) for row in per]).T + 1e-12  # (n_weeks, k)
        choice[m.channel] = (ks, np.cumsum(stocked / stocked.sum(axis=1, keepdims=True), axis=1))
    spend = spend_rows(cal, rng, campaigns, b.weekly, weekly, arrivals)
    budgets = np.array(
        [
            b.weekly[c.index].sum() * rng.uniform(0.95, 1.1) if c.index in b.weekly else np.nan
            for c in campaigns
        ]
    )
    table = build_table(
        "campaigns",
        {
            "campaign_id": [c.campaign_id for c in campaigns],
            "name": [c.name for c in campaigns],
            "channel": [c.channel for c in campaigns],
            "program": [c.program for c in campaigns],
            "initiative_id": [c.initiative_id for c in campaigns],
            "start_date": date_column(np.array([c.start_day for c in campaigns], dtype=np.int64)),
            "end_date": date_column(np.array([c.end_day for c in campaigns], dtype=np.int64)),
            "budget": np.round(budgets, 2),
            "currency": ["EUR"] * len(campaigns),
            "owner": [c.owner for c in campaigns],
        },
    )
    return MediaPlan(campaigns, table, spend, weekly, arrivals, choice, initiatives, b.weekly)
