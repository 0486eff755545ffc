"""The known causal structure of the demo company: channels, response curves, baseline.

New demand is made of *prospects* (anonymous visitors) arriving through a channel. A paid
channel's expected arrivals per ISO week are ``max_arrivals * hill(adstock(spend))``; an
organic channel's are ``weekly_arrivals * trend * seasonality`` (organic_social is cut after
the platform algorithm change). Every touch a prospect receives (the arrival touch, then
follow-up visits) independently identifies them with the channel's ``touch_p`` (a noisy-OR),
so a prospect arriving through channel c converts with probability
``q_c = 1 - (1 - p_c) * exp(-follow_ups * sum_f share_f * p_f) * (1 - late_p)``, and a paid
channel's expected new demand per week is ``beta_c * hill(adstock(spend))`` with
``beta_c = max_arrivals_c * q_c`` (identifications/week at full saturation).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from pilotage.data.demo.config import F64, Calendar, day_number

MAX_LAG_WEEKS = 8  # adstock kernels are truncated after 8 weeks and normalised to sum 1


@dataclass(frozen=True)
class Channel:
    name: str
    touch_type: str  # touch_type of the channel's arrival touches
    sources: tuple[tuple[str, str], ...]  # (source, medium) pairs, first is the most common
    touch_p: float  # probability that one touch identifies the prospect (noisy-OR)
    self_serve: float  # share of identifications that are self-serve signups (not leads)
    weekly_arrivals: float = 0.0  # organic: arrivals/week at scale 1 at the period start
    follow_share: float = 0.0  # share of this channel among follow-up visits


@dataclass(frozen=True)
class Media:
    """Response of a paid channel to its weekly spend (EUR, before ``scale``)."""

    channel: str
    adstock: Literal["geometric", "delayed"]
    theta: float  # geometric: decay per week; delayed: concentration around the peak
    peak_weeks: int  # delayed adstock: lag (weeks) of the peak effect; 0 for geometric
    half_saturation_eur: float  # K: adstocked weekly spend giving half the maximum effect
    slope: float  # S: Hill exponent
    max_arrivals: float  # arrivals/week at full saturation (scale 1)
    weekly_budget_eur: float  # average planned weekly spend (scale 1)


CHANNELS: tuple[Channel, ...] = (
    Channel("paid_search", "ad_click", (("google", "cpc"), ("bing", "cpc")), 0.09, 0.40),
    Channel(
        "paid_social",
        "ad_click",
        (("linkedin", "paid_social"), ("facebook", "paid_social")),
        0.045,
        0.20,
    ),
    Channel("display", "ad_click", (("google", "display"), ("criteo", "display")), 0.02, 0.25),
    Channel("video", "ad_click", (("youtube", "cpv"),), 0.025, 0.15),
    Channel("events", "event", (("salon", "event"),), 0.50, 0.0),
    Channel("webinars", "webinar", (("livestorm", "webinar"),), 0.65, 0.02),
    Channel(
        "organic_search",
        "visit",
        (("google", "organic"), ("bing", "organic"), ("qwant", "organic")),
        0.07,
        0.35,
        820.0,
        0.35,
    ),
    Channel("direct", "visit", (("(direct)", "(none)"),), 0.085, 0.30, 285.0, 0.40),
    Channel(
        "referral",
        "visit",
        (("lesechos.fr", "referral"), ("journaldunet.com", "referral"), ("g2.com", "referral")),
        0.06,
        0.25,
        115.0,
        0.05,
    ),
    Channel(
        "organic_social",
        "visit",
        (("linkedin", "social"), ("twitter", "social")),
        0.035,
        0.15,
        200.0,
        0.08,
    ),
    Channel("content", "content_download", (("blog", "content"),), 0.18, 0.05, 140.0, 0.12),
    Channel("partners", "visit", (("partenaires-clairval", "partner"),), 0.30, 0.0, 32.0),
    Channel("email", "email_click", (("newsletter", "email"),), 0.0, 0.0),
    Channel("sales", "sales_call", (("salesforce", "sales"),), 0.0, 0.0),
)
CHANNEL_INDEX = {c.name: i for i, c in enumerate(CHANNELS)}

MEDIA: tuple[Media, ...] = (
    Media("paid_search", "geometric", 0.25, 0, 7_000.0, 1.3, 950.0, 9_000.0),
    Media("paid_social", "geometric", 0.45, 0, 8_000.0, 1.1, 1_070.0, 7_000.0),
    Media("display", "geometric", 0.55, 0, 5_000.0, 1.0, 820.0, 4_000.0),
    Media("video", "geometric", 0.65, 0, 6_000.0, 1.5, 700.0, 3_000.0),
    Media("events", "delayed", 0.35, 2, 6_000.0, 1.0, 160.0, 4_000.0),
    Media("webinars", "geometric", 0.30, 0, 1_500.0, 1.0, 130.0, 1_500.0),
)
MEDIA_INDEX = {m.channel: i for i, m in enumerate(MEDIA)}
ORGANIC = tuple(c for c in CHANNELS if c.weekly_arrivals > 0)
FOLLOW_UPS_PER_PROSPECT = 0.8  # Poisson mean of follow-up visits after the arrival touch
FOLLOW_UP_GAP_DAYS = 6.0  # exponential mean gap between successive touches of a prospect
# A prospect no touch identified comes back untracked (no touch at all) 91-240 days after
# their last touch with this probability: converting paths with no touch within 90 days.
UNTRACKED_LATE_P = 0.005

TREND_PER_YEAR = 0.12  # baseline grows linearly: x (1 + 0.12 * years since period start)
BASELINE_NOISE_SD_LOG = 0.06  # weekly multiplicative log-normal noise on organic arrivals
ALGO_CHANGE_SHARE = 0.6  # the algorithm change happens 60 % into the period (a Monday)
ALGO_REACH_AFTER = 0.4  # organic_social arrivals are multiplied by 0.4 after the change
FOURIER_ORDER = 4


def adstock_weights(media: Media) -> F64:
    """Kernel over lags 0..MAX_LAG_WEEKS-1 (weeks), normalised to sum 1."""
    lags = np.arange(MAX_LAG_WEEKS, dtype=np.float64)
    if media.adstock == "geometric":
        w = media.theta**lags
    else:
        w = media.theta ** ((lags - media.peak_weeks) ** 2)
    return np.asarray(w / w.sum(), dtype=np.float64)


def adstock(spend: F64, media: Media) -> F64:
    """Adstocked weekly spend (EUR/week), same shape as ``spend`` (n_weeks,)."""
    return np.asarray(np.convolve(spend, adstock_weights(media))[: len(spend)], dtype=np.float64)


def hill(x: F64, half_saturation: float, slope: float) -> F64:
    xs = np.power(np.maximum(x, 0.0), slope)
    return np.asarray(xs / (xs + half_saturation**slope), dtype=np.float64)


def follow_up_survival() -> float:
    """Probability that a prospect's follow-up visits all fail to identify them."""
    rate = sum(c.follow_share * c.touch_p for c in CHANNELS)
    return math.exp(-FOLLOW_UPS_PER_PROSPECT * rate)


def conversion_probability(channel: Channel) -> float:
    """q_c: probability that a prospect arriving through ``channel`` is ever identified."""
    return 1.0 - (1.0 - channel.touch_p) * follow_up_survival() * (1.0 - UNTRACKED_LATE_P)


def _fourier_basis(year_frac: F64) -> F64:
    cols = []
    for k in range(1, FOURIER_ORDER + 1):
        cols += [np.sin(2 * np.pi * k * year_frac), np.cos(2 * np.pi * k * year_frac)]
    return np.asarray(np.column_stack(cols), dtype=np.float64)


def _fit_seasonality() -> F64:
    """Fourier coefficients of the log demand profile: August and Christmas dips, a busy
    September-October and a March peak (French B2B buying calendar)."""
    t = (np.arange(365, dtype=np.float64) + 0.5) / 365.0

    def bump(centre_day: float, width_days: float) -> F64:
        d = (t * 365.0 - centre_day + 182.5) % 365.0 - 182.5
        return np.asarray(np.exp(-0.5 * (d / width_days) ** 2), dtype=np.float64)

    target = (
        -0.45 * bump(222, 14) - 0.30 * bump(360, 8) + 0.12 * bump(275, 30) + 0.08 * bump(75, 25)
    )
    coef, *_ = np.linalg.lstsq(_fourier_basis(t), target - target.mean(), rcond=None)
    return np.asarray(np.round(coef, 4), dtype=np.float64)


SEASONALITY = _fit_seasonality()  # (2 * FOURIER_ORDER,) sin/cos pairs for k = 1..4


def seasonality(year_frac: F64) -> F64:
    """Multiplicative seasonal factor exp(sum_k a_k sin(2 pi k t) + b_k cos(2 pi k t))."""
    return np.asarray(np.exp(_fourier_basis(year_frac) @ SEASONALITY), dtype=np.float64)


def algo_change_date(cal: Calendar) -> dt.date:
    day = cal.start + dt.timedelta(days=int(cal.n_days * ALGO_CHANGE_SHARE))
    return day - dt.timedelta(days=day.weekday())


def baseline_multiplier(cal: Calendar) -> F64:
    """(n_weeks,) trend x seasonality x partial-week factor applied to organic arrivals."""
    years = (cal.week_monday + 3 - cal.day_num[0]).astype(np.float64) / 365.25
    trend = 1.0 + TREND_PER_YEAR * np.maximum(years, 0.0)
    return np.asarray(
        trend * seasonality(cal.week_year_frac) * cal.week_days / 7.0, dtype=np.float64
    )


def organic_social_factor(cal: Calendar) -> F64:
    """(n_weeks,) 1 before the algorithm change, ALGO_REACH_AFTER from its week on."""
    change_week = (day_number(algo_change_date(cal)) - int(cal.week_monday[0])) // 7
    return np.where(np.arange(cal.n_weeks) >= change_week, ALGO_REACH_AFTER, 1.0)


def response_truth(scale: float) -> dict[str, Any]:
    """Channel response parameters as used (K and beta multiplied by ``scale``)."""
    survival = follow_up_survival()
    out: dict[str, Any] = {}
    for m in MEDIA:
        ch = CHANNELS[CHANNEL_INDEX[m.channel]]
        q = conversion_probability(ch)
        out[m.channel] = {
            "adstock": {
                "type": m.adstock,
                "theta": m.theta,
                "peak_lag_weeks": m.peak_weeks,
                "max_lag_weeks": MAX_LAG_WEEKS,
                "normalised": True,
                "weights": [round(float(w), 6) for w in adstock_weights(m)],
            },
            "saturation": {
                "type": "hill",
                "half_saturation_eur_per_week": m.half_saturation_eur * scale,
                "slope": m.slope,
            },
            "beta_identifications_per_week": round(m.max_arrivals * scale * q, 6),
            "max_arrivals_per_week": m.max_arrivals * scale,
            "touch_p": ch.touch_p,
            "prospect_conversion_probability": round(q, 6),
            "self_serve_share": ch.self_serve,
        }
    out["_follow_up_survival"] = round(survival, 6)
    return out
