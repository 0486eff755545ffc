"""What a mix model says about spending more on one channel: its response curves and the
draws of the extra outcome a proposal would buy.

Same convention as the optimizer: a budget is a total over ``weeks`` weeks spent evenly, each
channel answers with its steady-state weekly response (normalised adstock), and intervals
are the 10th-90th percentiles of the posterior draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.mmm.transforms import F64
from pilotage.core.scenarios.economics import HIGH_QUANTILE, LOW_QUANTILE


@dataclass(frozen=True)
class CurvePoint:
    spend: float  # EUR over the horizon
    outcome: float  # KPI over the horizon, posterior mean
    outcome_low: float
    outcome_high: float
    mroas: float  # KPI per extra EUR at this spend, posterior mean


@dataclass(frozen=True)
class ResponseCurve:
    channel: str
    weeks: int
    current_spend: float  # EUR over the horizon at the recent weekly rate
    current_outcome: float
    points: tuple[CurvePoint, ...]


def channel_index(model: FittedModel, channel: str) -> int:
    if channel not in model.channels:
        raise ValueError(f"channel {channel!r} is not in the mix model {list(model.channels)}")
    return model.channels.index(channel)


def _horizon_draws(model: FittedModel, weekly: F64, weeks: int) -> F64:
    """(S, m, c) KPI over the horizon for weekly spends ``weekly`` (m, c) EUR."""
    return np.asarray(model.weekly_response(weekly) * weeks, dtype=np.float64)


def response_curves(
    model: FittedModel, *, weeks: int = 13, points: int = 25, max_multiple: float = 2.0
) -> tuple[ResponseCurve, ...]:
    """Each channel's outcome over the horizon from no spend to ``max_multiple`` times its
    current spend (at least one week of its usual scale per week), others unchanged."""
    if weeks < 1 or points < 2 or max_multiple <= 0:
        raise ValueError("response curves need weeks >= 1, points >= 2 and a positive range")
    current = model.recent_weekly_spend
    curves = []
    for k, channel in enumerate(model.channels):
        top = max(float(current[k]) * max_multiple, float(model.spend_scale[k]))
        grid = np.linspace(0.0, top, points)  # EUR per week
        weekly = np.zeros((points, len(model.channels)))
        weekly[:, k] = grid
        draws = _horizon_draws(model, weekly, weeks)[:, :, k]  # (S, points)
        marginal = model.weekly_marginal(weekly)[:, :, k].mean(axis=0)
        low, high = np.quantile(draws, [LOW_QUANTILE, HIGH_QUANTILE], axis=0)
        now = _horizon_draws(model, current[None, :], weeks)[:, 0, k]
        curves.append(
            ResponseCurve(
                channel=channel,
                weeks=weeks,
                current_spend=float(current[k]) * weeks,
                current_outcome=float(now.mean()),
                points=tuple(
                    CurvePoint(
                        float(grid[j] * weeks),
                        float(draws[:, j].mean()),
                        float(low[j]),
                        float(high[j]),
                        float(marginal[j]),
                    )
                    for j in range(points)
                ),
            )
        )
    return tuple(curves)


def increment_draws(model: FittedModel, channel: str, amount: float, *, weeks: int = 13) -> F64:
    """(S,) extra KPI over the horizon when ``amount`` EUR is added to ``channel`` on top of
    its current spend, spread evenly over ``weeks`` weeks (a negative amount is a cut)."""
    k = channel_index(model, channel)
    if weeks < 1:
        raise ValueError("the horizon needs at least one week")
    base = model.recent_weekly_spend.astype(np.float64)
    if base[k] + amount / weeks < 0:
        raise ValueError(
            f"cannot cut {-amount:,.0f} EUR from {channel}: it spends "
            f"{base[k] * weeks:,.0f} EUR over {weeks} weeks"
        )
    after = base.copy()
    after[k] += amount / weeks
    draws = _horizon_draws(model, np.vstack([base, after]), weeks)[:, :, k]  # (S, 2)
    return np.asarray(draws[:, 1] - draws[:, 0], dtype=np.float64)
