"""Conversion rates with Wilson score intervals (Wilson 1927), and the step arithmetic
of a funnel whose entrants may still be in progress."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import norm


@dataclass(frozen=True)
class Rate:
    """``successes`` of ``trials`` with its Wilson interval (None without trials)."""

    successes: int
    trials: int
    rate: float | None
    low: float | None
    high: float | None


def wilson(successes: int, trials: int, confidence: float = 0.95) -> Rate:
    """The Wilson score interval: centre (p + z²/2n) / (1 + z²/n), half-width
    z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n). Stays inside [0, 1] and is sound at 0 or n
    successes, where the normal interval collapses."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    if successes < 0 or trials < 0 or successes > trials:
        raise ValueError("need 0 <= successes <= trials")
    if trials == 0:
        return Rate(successes, trials, None, None, None)
    z = float(norm.ppf(0.5 + confidence / 2))
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / trials + z2n / (4 * trials)) / (1 + z2n)
    # At 0 or n successes the bounds are exactly 0 or 1 (rounding would miss them).
    low = 0.0 if successes == 0 else min(p, max(0.0, centre - half))
    high = 1.0 if successes == trials else max(p, min(1.0, centre + half))
    return Rate(successes, trials, p, low, high)


@dataclass(frozen=True)
class StepNumbers:
    """One step: who reached it, who stopped there with the next window still open, and
    who stopped there for good (``dropped``); ``rate`` is the conversion from the previous
    step among those whose time for this step is over."""

    reached: int
    in_progress: int
    dropped: int
    rate: Rate | None


def step_numbers(
    reached: list[int],
    open_at: list[int],
    mature: list[int],
    advanced: list[int],
    confidence: float,
) -> list[StepNumbers]:
    """``reached[k]`` entrants reached step k + 1; ``open_at[k]`` (one fewer) stopped there
    with the next window still open: in progress, not dropped. The conversion into step
    k + 1 is ``advanced[k - 1]`` of ``mature[k - 1]``: of those at step k whose time for
    the next step is over, how many went on (an open window would count the fast
    converters and not yet the slow droppers)."""
    if not len(open_at) == len(mature) == len(advanced) == len(reached) - 1:
        raise ValueError("open_at, mature and advanced have one entry per step but the last")
    out = []
    for k, count in enumerate(reached):
        last = k == len(reached) - 1
        in_progress = 0 if last else open_at[k]
        dropped = 0 if last else count - reached[k + 1] - in_progress
        rate = None if k == 0 else wilson(advanced[k - 1], mature[k - 1], confidence)
        out.append(StepNumbers(count, in_progress, dropped, rate))
    return out
