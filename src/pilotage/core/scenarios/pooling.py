"""Return per euro by program type, with partial pooling across types (empirical Bayes).

One observation is one past program: an initiative (its campaigns summed) or a campaign
outside any initiative, with its cost and its return (attributed revenue, margin or
pipeline). Estimating a new "regional event" from the two events a company ran is noisy;
estimating it from every program ignores what is specific to events. The normal-normal
hierarchical model sits in between, on the log scale:

- per type j: the return per euro R_j = sum(return) / sum(cost) (a ratio of sums, never an
  average of ratios), y_j = log R_j, with sampling variance s_j^2 = log(1 + CV^2 / n_eff_j),
  where n_eff_j = (sum c)^2 / sum c^2 counts programs by cost and CV^2 is the program-to-program
  squared coefficient of variation of return per euro, pooled across types (cost-weighted,
  floored at 0.01; 1 when no type has two programs to measure it);
- between types: y_j ~ N(theta_j, s_j^2), theta_j ~ N(mu, tau^2), with tau^2 by the
  DerSimonian-Laird moment estimator and mu its precision-weighted mean;
- the type estimate shrinks y_j toward mu by B_j = s_j^2 / (s_j^2 + tau^2): a type with few
  (or very unequal) programs moves most. Its variance (1 - B_j) s_j^2 + B_j^2 var(mu) is
  Morris's (1983) approximation, which ignores the uncertainty of tau^2;
- a type with no history falls back to all programs: theta ~ N(mu, tau^2 + var(mu)).

A proposal of cost C drawing on type j returns C x exp(theta_j) x e, where e (mean 1) is the
program's own luck: log-normal with variance log(1 + CV^2 / units) when the proposal runs
``units`` programs of the type. Return per euro is assumed constant in cost: the caller flags
a proposal far larger than the type's past programs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pilotage.core.mmm.transforms import F64

#: Program-to-program CV^2 used when no type has two programs to measure it (a program's
#: return per euro as uncertain as its mean).
DEFAULT_CV2 = 1.0
#: Floor of the measured CV^2 (a 10 % coefficient of variation): identical past programs
#: do not make the next one certain, and a zero variance would divide by zero.
MIN_CV2 = 0.01
#: A type whose programs returned nothing is floored at this share of the overall ratio
#: (log 0 is undefined; the floor keeps it "almost nothing", not "impossible").
ZERO_FLOOR = 0.01


@dataclass(frozen=True)
class ProgramRecord:
    key: str  # initiative id, else campaign id
    name: str
    program: str  # program type
    cost: float  # > 0, reporting currency
    value: float  # return, reporting currency
    campaigns: int = 1


@dataclass(frozen=True)
class TypeEstimate:
    program: str
    programs: int
    effective_programs: float  # n_eff = (sum c)^2 / sum c^2
    cost: float
    value: float
    ratio: float  # observed return per euro, sum(value) / sum(cost)
    pooled_ratio: float  # exp(posterior mean of log return per euro)
    own_weight: float  # 1 - B_j: the weight of the type's own data
    log_mean: float
    log_var: float
    largest_cost: float


@dataclass(frozen=True)
class Pooling:
    tau2: float  # between-type variance of log return per euro
    mu: float  # precision-weighted mean of the types' log return per euro
    mu_var: float


def dersimonian_laird(y: F64, v: F64) -> Pooling:
    """Random-effects pooling of estimates ``y`` (k,) with sampling variances ``v`` (k,)
    (DerSimonian & Laird 1986); with one estimate tau^2 is 0."""
    w = 1.0 / v
    k = y.size
    tau2 = 0.0
    if k >= 2:
        ybar = float(np.sum(w * y) / np.sum(w))
        q = float(np.sum(w * (y - ybar) ** 2))
        c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
        tau2 = max(0.0, (q - (k - 1)) / c) if c > 0 else 0.0
    ws = 1.0 / (v + tau2)
    return Pooling(tau2, float(np.sum(ws * y) / np.sum(ws)), float(1.0 / np.sum(ws)))


@dataclass(frozen=True)
class ProgramPool:
    types: tuple[TypeEstimate, ...]
    pooling: Pooling
    cv2: float  # program-to-program CV^2 of return per euro
    cv2_measured: bool  # False when DEFAULT_CV2 stood in
    programs: int
    overall_ratio: float

    def type_estimate(self, program: str) -> TypeEstimate | None:
        return next((t for t in self.types if t.program == program), None)

    def draws(
        self, program: str, cost: float, *, units: int = 1, n: int = 4000, seed: int = 0
    ) -> F64:
        """(n,) draws of the return of one proposal of ``cost`` running ``units`` programs
        of type ``program`` (all programs when the type has no history)."""
        if units < 1:
            raise ValueError("a proposal runs at least one program (units >= 1)")
        found = self.type_estimate(program)
        if found is None:
            mean, var = self.pooling.mu, self.pooling.tau2 + self.pooling.mu_var
        else:
            mean, var = found.log_mean, found.log_var
        rng = np.random.default_rng(seed)
        theta = rng.normal(mean, math.sqrt(var), n)
        luck_var = math.log1p(self.cv2 / units)
        luck = rng.normal(-luck_var / 2.0, math.sqrt(luck_var), n)
        return np.asarray(cost * np.exp(theta + luck), dtype=np.float64)


def _cv2(records: Sequence[ProgramRecord], ratio: float) -> tuple[float, float] | None:
    """(CV^2, degrees of freedom n_eff - 1) of one type's return per euro, or None."""
    cost = np.array([r.cost for r in records])
    n_eff = cost.sum() ** 2 / np.sum(cost**2)
    if len(records) < 2 or ratio <= 0 or n_eff <= 1.0:
        return None
    rel = np.array([r.value / r.cost for r in records]) / ratio - 1.0
    var = float(np.sum(cost * rel**2) / cost.sum()) * n_eff / (n_eff - 1.0)
    return var, float(n_eff - 1.0)


def pool_programs(records: Sequence[ProgramRecord]) -> ProgramPool:
    """The hierarchical estimate of return per euro by program type (module docstring)."""
    kept = [r for r in records if r.cost > 0 and math.isfinite(r.value) and math.isfinite(r.cost)]
    if not kept:
        raise ValueError("no past program has a cost: nothing to estimate a return per euro from")
    total_cost = sum(r.cost for r in kept)
    total_value = sum(r.value for r in kept)
    overall = total_value / total_cost
    if not overall > 0:
        raise ValueError("no past program has a measured return")
    groups: dict[str, list[ProgramRecord]] = defaultdict(list)
    for r in kept:
        groups[r.program].append(r)
    names = sorted(groups)
    ratios = {p: sum(r.value for r in groups[p]) / sum(r.cost for r in groups[p]) for p in names}
    spreads = [s for p in names if (s := _cv2(groups[p], ratios[p])) is not None]
    dof = sum(d for _, d in spreads)
    cv2 = max(sum(v * d for v, d in spreads) / dof, MIN_CV2) if spreads else DEFAULT_CV2
    n_eff = {
        p: sum(r.cost for r in groups[p]) ** 2 / sum(r.cost**2 for r in groups[p]) for p in names
    }
    y = np.array([math.log(max(ratios[p], ZERO_FLOOR * overall)) for p in names])
    s2 = np.array([math.log1p(cv2 / n_eff[p]) for p in names])
    pooling = dersimonian_laird(y, s2)
    types = []
    for j, p in enumerate(names):
        shrink = s2[j] / (s2[j] + pooling.tau2)
        mean = (1.0 - shrink) * y[j] + shrink * pooling.mu
        var = (1.0 - shrink) * s2[j] + shrink**2 * pooling.mu_var
        types.append(
            TypeEstimate(
                program=p,
                programs=len(groups[p]),
                effective_programs=float(n_eff[p]),
                cost=sum(r.cost for r in groups[p]),
                value=sum(r.value for r in groups[p]),
                ratio=ratios[p],
                pooled_ratio=float(math.exp(mean)),
                own_weight=float(1.0 - shrink),
                log_mean=float(mean),
                log_var=float(var),
                largest_cost=max(r.cost for r in groups[p]),
            )
        )
    return ProgramPool(tuple(types), pooling, float(cv2), bool(spreads), len(kept), overall)
