"""Budget optimizer on the posterior: where the next euro goes, with its uncertainty.

Budgets are totals over a horizon of ``weeks``, spent evenly week by week, so each channel
answers with its steady-state weekly response curve (normalised adstock: carry-over returns
the whole spend). The objective is the posterior-mean outcome; its interval, the marginal
ROAS at the optimum and each move's gain are computed on every posterior draw.

Guarantees: the allocation sums exactly to the budget (in cents), each channel stays within
its bounds whatever the order they were given in, and the result is never worse under the
model than the current allocation when that allocation is feasible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.mmm.transforms import F64

INTERVAL = 0.8


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    amount: float
    gain_mean: float
    gain_low: float
    gain_high: float

    def text(self, lang: str = "en") -> str:
        amt, g = _keur(self.amount), _keur(self.gain_mean, sign=True)
        lo, hi = _keur(self.gain_low, sign=True), _keur(self.gain_high, sign=True)
        src, dst = self.source.replace("_", " "), self.target.replace("_", " ")
        if lang == "fr":
            return (
                f"déplacer {amt} de {src} vers {dst} : {g} de revenu attendu, "
                f"intervalle à 80 % {lo} à {hi}"
            )
        return f"move {amt} from {src} to {dst}: {g} expected revenue, 80 % interval {lo} to {hi}"


def _keur(x: float, sign: bool = False) -> str:
    s = "+" if sign and x >= 0 else ("−" if x < 0 else "")
    v = abs(x)
    body = (
        f"{v / 1000:.0f} k€" if v >= 10_000 else f"{v / 1000:.1f} k€" if v >= 1000 else f"{v:.0f} €"
    )
    return s + body


@dataclass(frozen=True)
class Allocation:
    channels: tuple[str, ...]
    weeks: int
    total: float
    current: F64  # (c,) EUR over the horizon
    optimal: F64  # (c,)
    expected: float  # outcome at the optimum, posterior mean
    expected_low: float
    expected_high: float
    current_expected: float
    mroas: F64  # (c,) marginal ROAS at the optimum (posterior mean)
    moves: tuple[Move, ...]


def _bounds(
    channels: tuple[str, ...], bounds: Mapping[str, tuple[float, float]], total: float
) -> tuple[F64, F64]:
    unknown = sorted(set(bounds) - set(channels))
    if unknown:
        raise ValueError(f"bounds for unknown channels {unknown}; channels: {list(channels)}")
    lo = np.array([bounds.get(c, (0.0, total))[0] for c in channels], dtype=np.float64)
    hi = np.array([bounds.get(c, (0.0, total))[1] for c in channels], dtype=np.float64)
    if np.any(lo < 0) or np.any(hi < lo):
        raise ValueError("each bound needs 0 <= low <= high")
    return lo, np.minimum(hi, total)


def _outcome_draws(model: FittedModel, alloc: F64, weeks: int) -> F64:
    """(S, c) outcome over the horizon per draw for totals ``alloc`` (c,)."""
    resp = model.weekly_response((alloc / weeks)[None, :])  # (S, 1, c)
    return np.asarray(resp[:, 0, :] * weeks, dtype=np.float64)


def _to_cents(x: F64, total: float, lo: F64, hi: F64) -> F64:
    """Round to cents and put the rounding remainder on channels with room, so the sum is
    exactly ``total`` (in cents) and every bound holds."""
    cents = np.round(np.clip(x, lo, hi) * 100).astype(np.int64)
    lo_c, hi_c = np.ceil(lo * 100).astype(np.int64), np.floor(hi * 100).astype(np.int64)
    cents = np.clip(cents, lo_c, hi_c)
    gap = round(total * 100) - int(cents.sum())
    for k in np.argsort(-x):
        room = (hi_c[k] - cents[k]) if gap > 0 else (lo_c[k] - cents[k])
        step = max(min(gap, room), 0) if gap > 0 else min(max(gap, room), 0)
        cents[k] += step
        gap -= step
        if gap == 0:
            break
    if gap != 0:
        raise ValueError("the bounds cannot hold this budget")
    return np.asarray(cents / 100.0, dtype=np.float64)


def optimize_total(
    model: FittedModel,
    total: float,
    *,
    weeks: int = 13,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    current: F64 | None = None,
) -> Allocation:
    """Best split of ``total`` EUR over ``weeks`` weeks under the posterior-mean response."""
    if weeks < 1 or not np.isfinite(total) or total <= 0:
        raise ValueError("the budget must be > 0 over at least one week")
    lo, hi = _bounds(model.channels, bounds or {}, total)
    if lo.sum() > total + 1e-9 or hi.sum() < total - 1e-9:
        raise ValueError(
            f"bounds allow {lo.sum():,.0f} to {hi.sum():,.0f} EUR; the budget is {total:,.0f}"
        )
    cur = (model.recent_weekly_spend * weeks) if current is None else np.asarray(current, float)
    scale = total

    def negative(x: F64) -> float:
        return -float(_outcome_draws(model, x * scale, weeks).sum(axis=1).mean()) / scale

    starts = [np.clip(cur / max(cur.sum(), 1e-9) * total, lo, hi)]
    starts.append(lo + (hi - lo) * (total - lo.sum()) / max((hi - lo).sum(), 1e-9))
    best, best_val = None, np.inf
    for x0 in starts:
        res = minimize(
            negative,
            x0 / scale,
            method="SLSQP",
            bounds=list(zip(lo / scale, hi / scale, strict=True)),
            constraints=[{"type": "eq", "fun": lambda x: float(x.sum() - 1.0)}],
            options={"maxiter": 200, "ftol": 1e-10},
        )
        x = _to_cents(np.asarray(res.x) * scale, total, lo, hi)
        val = negative(x / scale)
        if val < best_val:
            best, best_val = x, val
    assert best is not None
    feasible_current = abs(cur.sum() - total) < 0.005 and np.all(cur >= lo) and np.all(cur <= hi)
    if feasible_current and negative(cur / scale) < best_val:
        best = _to_cents(cur, total, lo, hi)
    return _result(model, total, weeks, cur, best)


def optimize_for_roi(
    model: FittedModel,
    target_roi: float,
    *,
    weeks: int = 13,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    max_total: float | None = None,
) -> Allocation:
    """The largest budget whose optimal split still returns ``target_roi`` overall
    ((outcome - spend) / spend, posterior mean), found by bisection."""
    cur = model.recent_weekly_spend * weeks
    hi_total = max_total if max_total is not None else 5.0 * float(cur.sum())
    lo_total = max(hi_total * 1e-3, 1.0)

    def roi(total: float) -> float:
        a = optimize_total(model, total, weeks=weeks, bounds=bounds, current=cur)
        return (a.expected - total) / total

    if roi(lo_total) < target_roi:
        raise ValueError(f"no budget reaches an ROI of {target_roi:.2f} under the model")
    for _ in range(30):
        mid = (lo_total + hi_total) / 2.0
        lo_total, hi_total = (mid, hi_total) if roi(mid) >= target_roi else (lo_total, mid)
        if hi_total - lo_total < 100.0:
            break
    return optimize_total(model, round(lo_total, 2), weeks=weeks, bounds=bounds, current=cur)


def _result(model: FittedModel, total: float, weeks: int, cur: F64, best: F64) -> Allocation:
    q = ((1 - INTERVAL) / 2 * 100, (1 + INTERVAL) / 2 * 100)
    draws = _outcome_draws(model, best, weeks).sum(axis=1)
    cur_draws = _outcome_draws(model, cur, weeks).sum(axis=1)
    mroas = model.weekly_marginal((best / weeks)[None, :])[:, 0, :].mean(axis=0)
    return Allocation(
        channels=model.channels,
        weeks=weeks,
        total=total,
        current=cur,
        optimal=best,
        expected=float(draws.mean()),
        expected_low=float(np.percentile(draws, q[0])),
        expected_high=float(np.percentile(draws, q[1])),
        current_expected=float(cur_draws.mean()),
        mroas=np.asarray(mroas, dtype=np.float64),
        moves=tuple(_moves(model, cur, best, weeks, q)),
    )


def _moves(
    model: FittedModel, cur: F64, best: F64, weeks: int, q: tuple[float, float]
) -> list[Move]:
    """Pair the largest cuts with the largest increases; each move's gain is computed on
    every draw, applied one after the other from the current allocation."""
    delta = best - cur
    give = {k: -d for k, d in enumerate(delta) if d < -1.0}
    take = {k: d for k, d in enumerate(delta) if d > 1.0}
    state = cur.copy()
    out = []
    while give and take:
        s = max(give, key=lambda k: give[k])
        t = max(take, key=lambda k: take[k])
        amount = min(give[s], take[t])
        before = _outcome_draws(model, state, weeks).sum(axis=1)
        state[s] -= amount
        state[t] += amount
        gain = _outcome_draws(model, state, weeks).sum(axis=1) - before
        out.append(
            Move(
                model.channels[s],
                model.channels[t],
                float(amount),
                float(gain.mean()),
                float(np.percentile(gain, q[0])),
                float(np.percentile(gain, q[1])),
            )
        )
        for book, k in ((give, s), (take, t)):
            book[k] -= amount
            if book[k] <= 1.0:
                del book[k]
    return out
