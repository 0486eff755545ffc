"""The retention curve: cohort members' observed survival (Kaplan-Meier over their
complete periods) and the shifted-beta-geometric model fitted to it by maximum likelihood
(:mod:`pilotage.core.clv.sbg`), projected beyond the data with an interval from the
asymptotic distribution of its parameters.

A member last active in period ``last`` whose horizon (last complete period) is later
churned at t = last + 1; one active in their last complete period is still alive at
T = horizon (censored). Members with no complete period after the birth tell nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from pilotage.core.clv import sbg
from pilotage.core.clv.mle import Estimate
from pilotage.core.clv.models import fit
from pilotage.core.clv.summary import Summary

#: Central probability of the projection's interval.
INTERVAL = 0.9
#: Parameter draws behind the interval.
DRAWS = 500
#: Fewest churned members (weight) worth a fit.
MIN_CHURNED = 5.0


def durations(rows: Iterable[tuple[int, int, float]]) -> Summary | None:
    """The sBG's data from (last active period, horizon, members) rows; None when no
    member has a complete period after the birth."""
    freq, t, weight = [], [], []
    for last, horizon, members in rows:
        if horizon < 1 or members <= 0:
            continue
        churned = last < horizon
        freq.append(1.0 if churned else 0.0)
        t.append(float(last + 1 if churned else horizon))
        weight.append(float(members))
    if not weight:
        return None
    n = len(weight)
    data = Summary(np.array(freq), np.zeros(n), np.array(t), np.array(weight), np.full(n, np.nan))
    return data.collapse()[0]


def observed(data: Summary, periods: int) -> list[float | None]:
    """Kaplan-Meier survival S(0..periods): at each t, those churned at t over those
    still observed at t; None once nobody is observed."""
    out: list[float | None] = [1.0]
    survival = 1.0
    for k in range(1, periods + 1):
        at_risk = float(data.weight[k <= data.T].sum())
        if at_risk <= 0:
            out += [None] * (periods - k + 1)
            break
        lost = float(data.weight[(k == data.T) & (data.frequency > 0)].sum())
        survival *= 1 - lost / at_risk
        out.append(survival)
    return out


@dataclass(frozen=True)
class Curve:
    estimate: Estimate
    #: S(0..horizon) and its interval.
    survival: list[float]
    low: list[float]
    high: list[float]
    #: Renewal rate r(t) = S(t) / S(t - 1), t = 1..horizon.
    retention: list[float]


def fit_curve(data: Summary, horizon: int, seed: int = 0) -> Curve | None:
    """The sBG fitted on ``data`` and projected to ``horizon`` periods; None when too few
    members churned for a fit."""
    churned = float(data.weight[data.frequency > 0].sum())
    if churned < MIN_CHURNED:
        return None
    estimate = fit("sbg", data)
    t = np.arange(horizon + 1, dtype=np.float64)
    draws = estimate.draws(DRAWS, np.random.default_rng(seed))
    # Draws far out in a flat likelihood overflow to a survival of 0 or 1: that is fine.
    with np.errstate(over="ignore", invalid="ignore"):
        point = sbg.survival(estimate.values, t)
        curves = np.nan_to_num(np.stack([sbg.survival(d, t) for d in draws]), nan=0.0)
    tail = (1 - INTERVAL) / 2
    low, high = np.quantile(curves, [tail, 1 - tail], axis=0)
    return Curve(
        estimate=estimate,
        survival=[float(v) for v in point],
        low=[float(v) for v in low],
        high=[float(v) for v in high],
        retention=[float(v) for v in sbg.retention(estimate.values, t[1:])],
    )
