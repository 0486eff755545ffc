"""Judge each step's drop-off and delay in each period against its own history and its
peers, and count the excess drop-offs.

An observation is a step (a funnel transition, a landing page, ...) in one slice (``all``
or a segment, a channel) and one period: the units that entered it, those that dropped
(did not reach the next step) and the median delay of those that did.
- History: the same step and slice in up to ``history`` earlier periods with at least
  ``min_entrants`` units. Its reference is their median drop-off.
- Peers: the other slices of the same step in the same period (for touchpoints, the other
  touchpoints of the same kind), each with its own history. Peers differ by nature (an
  e-mail converts less than a demo request), so what is compared is the change: this
  step's drop-off minus its history median, against the peers' same changes. A season that
  moves every peer is thus not friction; a step that worsens alone is. Its reference is
  the history median plus the peers' median change.
The drop-off is abnormal when its modified z-score against either reference exceeds the
threshold (one-sided: only worse than usual) and it exceeds the reference by at least
``min_excess``; the delay likewise against its history, by at least ``min_delay_days``.
Excess drop-offs = entrants x (drop-off - reference), the reference being the higher of
those it is abnormal against (the smaller excess).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pilotage.core.friction.robust import THRESHOLD, median, modified_z

ALL = "all"


@dataclass(frozen=True)
class Observation:
    step: str
    slice: str
    period: datetime.date
    entrants: float
    dropped: float
    delay_days: float | None = None

    @property
    def drop_off(self) -> float | None:
        return self.dropped / self.entrants if self.entrants else None


@dataclass(frozen=True)
class Judgement:
    observation: Observation
    history_median: float | None
    history_z: float | None
    peer_median: float | None
    peer_z: float | None
    delay_median: float | None
    delay_z: float | None
    abnormal_drop: bool
    abnormal_delay: bool
    baseline: float | None
    excess_dropped: float


def judge(
    observations: Sequence[Observation],
    *,
    threshold: float = THRESHOLD,
    history: int = 12,
    min_entrants: float = 30,
    min_excess: float = 0.01,
    min_delay_days: float = 1.0,
) -> list[Judgement]:
    """One judgement per observation with at least ``min_entrants`` units."""
    if threshold <= 0 or history < 1 or min_entrants < 1 or min_excess < 0 or min_delay_days < 0:
        raise ValueError("threshold, history and min_entrants must be positive")
    usable = [o for o in observations if o.entrants >= min_entrants]
    series: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for o in usable:
        series[(o.step, o.slice)].append(o)
    for values in series.values():
        values.sort(key=lambda o: o.period)

    def past(o: Observation) -> list[Observation]:
        return [p for p in series[(o.step, o.slice)] if p.period < o.period][-history:]

    def rates(obs: list[Observation]) -> list[float]:
        return [r for r in (p.drop_off for p in obs) if r is not None]

    # Change of each observation against its own history median (None without history).
    change: dict[Observation, float] = {}
    usual: dict[Observation, float] = {}
    for o in usable:
        m = median(rates(past(o)))
        if m is not None and o.drop_off is not None:
            usual[o] = m
            change[o] = o.drop_off - m
    peers: dict[tuple[str, datetime.date], list[Observation]] = defaultdict(list)
    for o in change:
        if o.slice != ALL:
            peers[(o.step, o.period)].append(o)
    return [
        _judged(o, past(o), usual, change, peers, threshold, min_excess, min_delay_days)
        for o in usable
    ]


def _judged(
    o: Observation,
    before: list[Observation],
    usual: dict[Observation, float],
    change: dict[Observation, float],
    peers: dict[tuple[str, datetime.date], list[Observation]],
    threshold: float,
    min_excess: float,
    min_delay_days: float,
) -> Judgement:
    rate = o.drop_off
    assert rate is not None
    past_rates = [r for r in (p.drop_off for p in before) if r is not None]
    h_z, h_med = modified_z(rate, past_rates), median(past_rates)
    p_z = p_med = None
    if o in change:
        others = [change[p] for p in peers[(o.step, o.period)] if p.slice != o.slice]
        p_z = modified_z(change[o], others)
        shift = median(others)
        p_med = usual[o] + shift if shift is not None else None
    against = [
        m
        for z, m in ((h_z, h_med), (p_z, p_med))
        if z is not None and z > threshold and m is not None and rate - m >= min_excess
    ]
    baseline = max(against) if against else None
    excess = o.entrants * max(0.0, rate - baseline) if baseline is not None else 0.0
    delays = [p.delay_days for p in before if p.delay_days is not None]
    d_med = median(delays)
    d_z = modified_z(o.delay_days, delays) if o.delay_days is not None else None
    slow = (
        d_z is not None
        and d_z > threshold
        and d_med is not None
        and o.delay_days is not None
        and o.delay_days - d_med >= min_delay_days
    )
    return Judgement(
        observation=o,
        history_median=h_med,
        history_z=h_z,
        peer_median=p_med,
        peer_z=p_z,
        delay_median=d_med,
        delay_z=d_z,
        abnormal_drop=baseline is not None,
        abnormal_delay=slow,
        baseline=baseline,
        excess_dropped=excess,
    )
