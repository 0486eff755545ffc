"""CPA drift: has the cost per conversion of the recent weeks moved from its baseline more
than chance allows?

Conversions are counts, so the log of a CPA ratio has variance close to 1/c_recent +
1/c_base (the delta method for a ratio of Poisson rates, cost taken as known); the drift is
the z-statistic log(cpa_recent / cpa_base) / sqrt(1/c_recent + 1/c_base).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Drift:
    baseline: float
    recent: float
    #: recent / baseline - 1.
    change: float
    z: float


def cpa_drift(
    cost_base: float, conversions_base: float, cost_recent: float, conversions_recent: float
) -> Drift | None:
    """None when either window has no cost or no conversion (no CPA to compare)."""
    if min(cost_base, cost_recent) <= 0 or min(conversions_base, conversions_recent) <= 0:
        return None
    base = cost_base / conversions_base
    recent = cost_recent / conversions_recent
    log_ratio = math.log(recent / base)
    z = log_ratio / math.sqrt(1.0 / conversions_recent + 1.0 / conversions_base)
    return Drift(baseline=base, recent=recent, change=recent / base - 1.0, z=z)
