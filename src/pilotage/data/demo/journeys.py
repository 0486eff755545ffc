"""Prospects, their touches before identification, and who gets identified when.

Arrivals per channel and day are Poisson draws of the expected arrivals (truth.py). Each
prospect then receives Poisson(FOLLOW_UPS_PER_PROSPECT) follow-up visits at exponential gaps.
Every touch identifies the prospect with its channel's ``touch_p``; the first successful
touch (in time order) triggers a ``form_submit`` in the same session minutes later, then the
lead or signup conversion seconds after it, so touches always precede conversions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotage.data.demo.config import (
    F64,
    I64,
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    Bools,
    Calendar,
)
from pilotage.data.demo.media import WEEKDAY_PROFILE, MediaPlan
from pilotage.data.demo.touches import TT, TouchBatch, batch, office_time
from pilotage.data.demo.truth import (
    BASELINE_NOISE_SD_LOG,
    CHANNEL_INDEX,
    CHANNELS,
    FOLLOW_UP_GAP_DAYS,
    FOLLOW_UPS_PER_PROSPECT,
    MEDIA,
    ORGANIC,
    UNTRACKED_LATE_P,
    baseline_multiplier,
    organic_social_factor,
)

_TOUCH_P = np.array([c.touch_p for c in CHANNELS])
_ARRIVAL_TT = np.array([TT[c.touch_type] for c in CHANNELS])
_FOLLOW = np.array([c.follow_share for c in CHANNELS])
_SELF_SERVE = np.array([c.self_serve for c in CHANNELS])
_CAMPAIGN_DATED = {"events", "webinars"}  # the touch happens on the campaign's day


@dataclass(frozen=True)
class Journeys:
    n_prospects: int
    arrival_channel: I64  # (n_prospects,) channel index
    arrival_campaign: I64  # (n_prospects,) campaign index or -1
    expected_organic: F64  # (n_organic, n_weeks) expected arrivals/week (with noise)
    # Identified prospects = people, ordered by identification time (person number = row).
    prospect: I64  # (n_people,) prospect number of each person
    identified_at: I64  # (n_people,) conversion time (us)
    trigger_at: I64  # (n_people,) time of the identifying touch (us)
    trigger_channel: I64  # (n_people,) channel of the identifying touch (-1: untracked)
    self_serve: Bools  # (n_people,) signup (self-serve) rather than lead
    touches: TouchBatch  # every touch of every prospect (person set from identification on)
    follow_owner: I64  # (n_follow_ups,) prospect of each follow-up visit
    follow_channel: I64  # (n_follow_ups,) channel of each follow-up visit


def _arrival_counts(
    cal: Calendar, rng: np.random.Generator, scale: float, media: MediaPlan
) -> tuple[I64, I64, F64]:
    """(channel, day index) of every arrival, and the organic expectations per week."""
    share = WEEKDAY_PROFILE[cal.weekday]
    share = share / np.bincount(cal.day_week, weights=share)[cal.day_week]
    base = baseline_multiplier(cal) * np.exp(rng.normal(0, BASELINE_NOISE_SD_LOG, cal.n_weeks))
    organic = np.vstack([c.weekly_arrivals * scale * base for c in ORGANIC])
    organic[[c.name for c in ORGANIC].index("organic_social")] *= organic_social_factor(cal)
    names = [m.channel for m in MEDIA] + [c.name for c in ORGANIC]
    weekly = np.vstack([media.expected_arrivals, organic])
    counts = rng.poisson(weekly[:, cal.day_week] * share)  # (n_arrival_channels, n_days)
    rows, days = np.nonzero(counts)
    reps = counts[rows, days]
    channel = np.array([CHANNEL_INDEX[n] for n in names])[np.repeat(rows, reps)]
    return channel, np.repeat(days, reps), organic


def _campaigns(
    cal: Calendar, rng: np.random.Generator, media: MediaPlan, channel: I64, day: I64
) -> I64:
    """Campaign of each arrival: paid by adstocked spend share, content/partners programs."""
    campaign = np.full(len(channel), -1, dtype=np.int64)
    for name, (ks, cum) in media.campaign_choice.items():
        rows = np.flatnonzero(channel == CHANNEL_INDEX[name])
        u = rng.random(len(rows))
        pick = (u[:, None] > cum[cal.day_week[day[rows]]]).sum(axis=1)
        campaign[rows] = ks[np.minimum(pick, len(ks) - 1)]
    for name in ("content", "partners"):
        ks = np.array([c.index for c in media.campaigns if c.channel == name], dtype=np.int64)
        rows = np.flatnonzero(channel == CHANNEL_INDEX[name])
        campaign[rows] = ks[rng.integers(0, len(ks), len(rows))]
    return campaign


def simulate_journeys(
    cal: Calendar, rng: np.random.Generator, scale: float, media: MediaPlan
) -> Journeys:
    channel, day, organic = _arrival_counts(cal, rng, scale, media)
    n = len(channel)
    campaign = _campaigns(cal, rng, media, channel, day)
    effect = office_time(rng, cal.start_us + day * US_PER_DAY)
    touch_at = effect.copy()
    dated = np.isin(channel, [CHANNEL_INDEX[c] for c in _CAMPAIGN_DATED])
    start_day = np.array([c.start_day for c in media.campaigns] + [0], dtype=np.int64)
    touch_at[dated] = (
        start_day[campaign[dated]] * US_PER_DAY
        + 8 * US_PER_HOUR
        + rng.integers(0, 9 * US_PER_HOUR, int(dated.sum()))
    )
    # Identification from an event or webinar happens after it (lead import / registration).
    effect[dated] = np.maximum(
        effect[dated], touch_at[dated] + rng.integers(US_PER_HOUR, 3 * US_PER_DAY, int(dated.sum()))
    )
    order = np.lexsort((channel, effect))  # prospect numbers follow arrival time
    channel, campaign, effect, touch_at = (a[order] for a in (channel, campaign, effect, touch_at))
    dated = dated[order]

    n_follow = rng.poisson(FOLLOW_UPS_PER_PROSPECT, n)
    owner = np.repeat(np.arange(n), n_follow)
    gaps = rng.exponential(FOLLOW_UP_GAP_DAYS * US_PER_DAY, len(owner))
    csum = np.cumsum(gaps)
    starts = np.concatenate([[0], np.cumsum(n_follow)[:-1]])
    before = np.where(n_follow > 0, csum[np.maximum(starts - 1, 0)] * (starts > 0), 0.0)
    f_time = effect[owner] + (csum - np.repeat(before, n_follow)).astype(np.int64)
    f_channel = rng.choice(len(CHANNELS), size=len(owner), p=_FOLLOW / _FOLLOW.sum())
    keep = f_time < cal.end_us
    owner, f_time, f_channel = owner[keep], f_time[keep], f_channel[keep]

    # Noisy-OR identification: the first successful touch in time order wins.
    hit_arrival = (rng.random(n) < _TOUCH_P[channel]) & (effect < cal.end_us)
    hit_follow = rng.random(len(owner)) < _TOUCH_P[f_channel]
    trigger_at = np.full(n, -1, dtype=np.int64)
    trigger_ch = np.full(n, -1, dtype=np.int64)
    trigger_at[hit_arrival] = effect[hit_arrival]
    trigger_ch[hit_arrival] = channel[hit_arrival]
    trigger_session = np.arange(n, dtype=np.int64)  # arrival sessions are prospect numbers
    follow_session = n + np.arange(len(owner), dtype=np.int64)
    follow_rows = np.flatnonzero(hit_follow & ~hit_arrival[owner])
    first_owner, first_pos = np.unique(owner[follow_rows], return_index=True)
    trigger_at[first_owner] = f_time[follow_rows[first_pos]]
    trigger_ch[first_owner] = f_channel[follow_rows[first_pos]]
    trigger_session[first_owner] = follow_session[follow_rows[first_pos]]
    # Untracked late identifications: 91-240 days after the prospect's last touch.
    last = effect.copy()
    np.maximum.at(last, owner, f_time)
    late = (trigger_at < 0) & (rng.random(n) < UNTRACKED_LATE_P)
    late_at = last + rng.integers(91 * US_PER_DAY, 240 * US_PER_DAY, n)
    late &= late_at < cal.end_us - US_PER_HOUR
    trigger_at[late] = late_at[late]

    form_gap = rng.integers(US_PER_MINUTE, 12 * US_PER_MINUTE, n)
    conv_gap = rng.integers(10_000_000, 120_000_000, n)  # 10-120 s after the form
    with_form = (trigger_ch >= 0) & ~np.isin(
        trigger_ch, [CHANNEL_INDEX[c] for c in _CAMPAIGN_DATED]
    )
    identified_at = np.where(with_form, trigger_at + form_gap, trigger_at) + conv_gap
    identified = (trigger_at >= 0) & (identified_at < cal.end_us)
    people = np.flatnonzero(identified)
    people = people[np.argsort(identified_at[people], kind="stable")]
    person_of = np.full(n, -1, dtype=np.int64)
    person_of[people] = np.arange(len(people))

    def person_for(prospect: I64, at: I64) -> I64:
        """Touches carry the person from the identifying touch on; the CRM stitches the
        whole history of untracked late identifications (there is no identifying touch)."""
        p = person_of[prospect]
        return np.where((p >= 0) & ((at >= trigger_at[prospect]) | late[prospect]), p, -1)

    arrival_person = person_for(np.arange(n), np.where(dated, effect, touch_at))
    # A scanned badge or a webinar registration has no web cookie once identified.
    arrival_anon = np.where(dated & (arrival_person >= 0), -1, np.arange(n))
    arrival = batch(
        touch_at,
        channel,
        _ARRIVAL_TT[channel],
        campaign=campaign,
        anon=arrival_anon,
        person=arrival_person,
        session=np.arange(n, dtype=np.int64),
    )
    follow = batch(
        f_time,
        f_channel,
        _ARRIVAL_TT[f_channel],
        anon=owner,
        person=person_for(owner, f_time),
        session=follow_session,
    )
    # The form_submit happens in the session of the identifying touch, minutes later.
    form_rows = people[with_form[people]]
    form = batch(
        trigger_at[form_rows] + form_gap[form_rows],
        trigger_ch[form_rows],
        np.full(len(form_rows), TT["form_submit"]),
        anon=form_rows,
        person=person_of[form_rows],
        session=trigger_session[form_rows],
        campaign=np.where(trigger_at[form_rows] == effect[form_rows], campaign[form_rows], -1),
    )
    touches = TouchBatch(
        *(
            np.concatenate([getattr(b, f) for b in (arrival, follow, form)])
            for f in TouchBatch.__dataclass_fields__
        )
    )
    return Journeys(
        n_prospects=n,
        arrival_channel=channel,
        arrival_campaign=campaign,
        expected_organic=organic,
        prospect=people,
        identified_at=identified_at[people],
        trigger_at=trigger_at[people],
        trigger_channel=trigger_ch[people],
        self_serve=rng.random(len(people)) < _SELF_SERVE[channel[people]],
        touches=touches,
        follow_owner=owner,
        follow_channel=f_channel,
    )
