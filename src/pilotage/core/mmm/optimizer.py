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
from pilotage.core.mmm.spec import KpiKind
from pilotage.core.mmm.transforms import F64

INTERVAL = 0.8


@dataclass(frozen=True)
class Move:
    """``amount`` EUR from ``source`` to ``target``; a None source is budget added to the
    current total, a None target budget cut from it. Gains are in the model's KPI."""

    source: str | None
    target: str | None
    amount: float
    gain_mean: float
    gain_low: float
    gain_high: float
    kpi: KpiKind = "revenue"

    def text(self, lang: str = "en") -> str:
        amt = _keur(self.amount, lang=lang)
        g, lo, hi = (
            _amount(v, self.kpi, lang) for v in (self.gain_mean, self.gain_low, self.gain_high)
        )
        src = (self.source or "").replace("_", " ")
        dst = (self.target or "").replace("_", " ")
        if lang == "fr":
            what = "de revenu attendu" if self.kpi == "revenue" else "conversions attendues"
            if self.source is None:
                head = f"ajouter {amt} à {dst}"
            elif self.target is None:
                head = f"retirer {amt} de {src}"
            else:
                head = f"déplacer {amt} de {src} vers {dst}"
            return f"{head} : {g} {what}, intervalle à 80 % {lo} à {hi}"
        what = "expected revenue" if self.kpi == "revenue" else "expected conversions"
        if self.source is None:
            head = f"add {amt} to {dst}"
        elif self.target is None:
            head = f"cut {amt} from {src}"
        else:
            head = f"move {amt} from {src} to {dst}"
        return f"{head}: {g} {what}, 80 % interval {lo} to {hi}"


def _amount(x: float, kpi: KpiKind, lang: str) -> str:
    """A signed gain: money for revenue, a count for conversions."""
    if kpi == "revenue":
        return _keur(x, sign=True, lang=lang)
    s = "+" if x >= 0 else "−"
    return f"{s}{abs(x):,.0f}".replace(",", "\u202f" if lang == "fr" else ",")


def _keur(x: float, sign: bool = False, lang: str = "en") -> str:
    s = "+" if sign and x >= 0 else ("−" if x < 0 else "")
    v = abs(x)
    body = (
        f"{v / 1000:.0f} k€" if v >= 10_000 else f"{v / 1000:.1f} k€" if v >= 1000 else f"{v:.0f} €"
    )
    return s + (body.replace(".", ",") if lang == "fr" else body)


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
    mroas_low: F64  # (c,) its 80 % interval
    mroas_high: F64
    moves: tuple[Move, ...]


def _bounds(
    channels: tuple[str, ...], bounds: Mapping[str, tuple[float, float]], total: float
) -> tuple[F64, F64]:
    unknown = sorted(set(bounds) - set(channels))
    if unknown:
        raise ValueError(f"bounds for unknown channels {unknown}; channels: {list(channels)}")
    lo = np.array([bounds.get(c, (0.0, total))[0] for c in channels], dtype=np.float64)
    hi = np.array([bounds.get(c, (0.0, total))[1] for c in channels], dtype=np.float64)
    wrong = [c for c, a, b in zip(channels, lo, hi, strict=True) if not 0 <= a <= b]
    if wrong:
        raise ValueError(f"bounds of {wrong} need 0 <= low <= high")
    # to the cent, the unit of the allocation (an equal low and high stays feasible)
    capped = np.minimum(hi, total).astype(np.float64)
    return np.round(lo, 2), np.round(capped, 2)


def _outcome_draws(model: FittedModel, alloc: F64, weeks: int) -> F64:
    """(S, c) outcome over the horizon per draw for totals ``alloc`` (c,)."""
    resp = model.weekly_response((alloc / weeks)[None, :])  # (S, 1, c)
    return np.asarray(resp[:, 0, :] * weeks, dtype=np.float64)


def _to_cents(x: F64, total: float, lo: F64, hi: F64) -> F64:
    """Round to cents and put the rounding remainder on channels with room, so the sum is
    exactly ``total`` (in cents) and every bound holds."""
    cents = np.round(np.clip(x, lo, hi) * 100).astype(np.int64)
    lo_c, hi_c = np.round(lo * 100).astype(np.int64), np.round(hi * 100).astype(np.int64)
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
        raise ValueError(f"the budget must be > 0 over >= 1 week (got {total} over {weeks})")
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
    marginal = model.weekly_marginal((best / weeks)[None, :])[:, 0, :]  # (S, c)
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
        mroas=np.asarray(marginal.mean(axis=0), dtype=np.float64),
        mroas_low=np.asarray(np.percentile(marginal, q[0], axis=0), dtype=np.float64),
        mroas_high=np.asarray(np.percentile(marginal, q[1], axis=0), dtype=np.float64),
        moves=tuple(_moves(model, cur, best, weeks, q)),
    )


def _moves(
    model: FittedModel, cur: F64, best: F64, weeks: int, q: tuple[float, float]
) -> list[Move]:
    """Pair the largest cuts with the largest increases, then list what is added to (or cut
    from) the current total; each move's gain is computed on every draw, applied one after
    the other from the current allocation."""
    delta = best - cur
    give = {k: -d for k, d in enumerate(delta) if d < -1.0}
    take = {k: d for k, d in enumerate(delta) if d > 1.0}
    state = cur.copy()
    out = []
    while give or take:
        s = max(give, key=lambda k: give[k]) if give else None
        t = max(take, key=lambda k: take[k]) if take else None
        amount = min(([give[s]] if s is not None else []) + ([take[t]] if t is not None else []))
        before = _outcome_draws(model, state, weeks).sum(axis=1)
        if s is not None:
            state[s] -= amount
        if t is not None:
            state[t] += amount
        gain = _outcome_draws(model, state, weeks).sum(axis=1) - before
        out.append(
            Move(
                None if s is None else model.channels[s],
                None if t is None else model.channels[t],
                float(amount),
                float(gain.mean()),
                float(np.percentile(gain, q[0])),
                float(np.percentile(gain, q[1])),
                model.kpi,
            )
        )
        for book, k in ((give, s), (take, t)):
            if k is None:
                continue
            book[k] -= amount
            if book[k] <= 1.0:
                del book[k]
    return out
