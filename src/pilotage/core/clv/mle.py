"""Maximum likelihood for every CLV model: log-scale parameters, several starting points,
analytic gradients, standard errors from the Hessian, and an explicit convergence report.

The objective is the plain weighted log-likelihood (no penalty term). It is divided by the
number of customers while optimising, for conditioning only; the reported value is the full
log-likelihood, comparable with published values.

On large data (more distinct rows than SCREEN_ROWS) the starts are climbed on a sample of
customers and only the best is climbed on all rows, in variables whitened by the sample's
Hessian: a few full-data evaluations instead of hundreds, to the same optimum and
tolerances (a million customers fit in about a second; see benchmarks/clv.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize

from pilotage.core.clv.summary import FloatArray, Summary
from pilotage.core.clv.terms import dot

#: Rows' log-likelihoods (n,) and the gradient (k,) of their weighted sum, in the natural
#: parameters.
RowLikelihood = Callable[[FloatArray, Summary], tuple[FloatArray, FloatArray]]

#: Two-sided normal quantile of the 95% intervals.
Z95 = 1.959963984540054
#: Relative step of the finite differences of the gradient that give the Hessian.
_HESSIAN_STEP = 1e-5
#: Largest |d LL / d log(parameter)| per customer at a converged optimum.
GRADIENT_TOLERANCE = 1e-5
#: Distinct rows above which the starts are climbed on a sample of this many customers.
SCREEN_ROWS = 20_000

Objective = Callable[[FloatArray], tuple[float, FloatArray]]
#: Largest |gradient| of the mean log-likelihood per customer at which BFGS stops: for the
#: optimum reported, and for the screening climbs, which only need to tell optima apart
#: before the best is climbed again on all rows.
FINAL_GTOL = 1e-9
SCREENING_GTOL = 1e-7


@dataclass(frozen=True)
class Convergence:
    """What the optimiser did. ``converged`` needs a small gradient of the full
    log-likelihood and a positive definite Hessian (standard errors exist). The starts were
    climbed on ``starts_customers`` customers (all of them, or a screening sample of a
    large data set); ``starts_agreeing`` of them reached the best optimum (within 0.001 of
    log-likelihood)."""

    converged: bool
    message: str
    iterations: int
    gradient_norm: float
    starts: int
    starts_converged: int
    starts_agreeing: int
    hessian_positive_definite: bool
    starts_customers: float


@dataclass(frozen=True)
class Estimate:
    """Fitted parameters with standard errors, 95% intervals (log-normal: the parameters
    are positive), their covariance, the full log-likelihood and how the fit went."""

    model: str
    names: tuple[str, ...]
    params: dict[str, float]
    std_errors: dict[str, float | None]
    ci_low: dict[str, float | None]
    ci_high: dict[str, float | None]
    log_covariance: tuple[tuple[float, ...], ...] | None  # of log-parameters
    log_likelihood: float
    n_customers: float
    n_rows: int
    convergence: Convergence

    @property
    def values(self) -> FloatArray:
        return np.array([self.params[n] for n in self.names])

    def draws(self, n: int, rng: np.random.Generator) -> FloatArray:
        """(n, k) parameter draws from the asymptotic normal of the log-parameters (the
        point estimate repeated when there is no covariance)."""
        centre = np.log(self.values)
        if self.log_covariance is None:
            return np.tile(self.values, (n, 1))
        cov = np.array(self.log_covariance)
        return np.exp(rng.multivariate_normal(centre, cov, size=n, method="eigh"))

    def to_dict(self) -> dict[str, object]:
        c = self.convergence
        return {
            "model": self.model,
            "names": list(self.names),
            "params": self.params,
            "std_errors": self.std_errors,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "log_covariance": [list(r) for r in self.log_covariance]
            if self.log_covariance is not None
            else None,
            "log_likelihood": self.log_likelihood,
            "n_customers": self.n_customers,
            "n_rows": self.n_rows,
            "convergence": {
                "converged": c.converged,
                "message": c.message,
                "iterations": c.iterations,
                "gradient_norm": c.gradient_norm,
                "starts": c.starts,
                "starts_converged": c.starts_converged,
                "starts_agreeing": c.starts_agreeing,
                "hessian_positive_definite": c.hessian_positive_definite,
                "starts_customers": c.starts_customers,
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Estimate:
        conv = data["convergence"]
        assert isinstance(conv, dict)
        cov = data.get("log_covariance")
        names = data["names"]
        assert isinstance(names, list)
        return cls(
            model=str(data["model"]),
            names=tuple(str(n) for n in names),
            params=_floats(data["params"]),
            std_errors=_optional_floats(data["std_errors"]),
            ci_low=_optional_floats(data["ci_low"]),
            ci_high=_optional_floats(data["ci_high"]),
            log_covariance=tuple(tuple(float(v) for v in row) for row in cov)
            if isinstance(cov, list)
            else None,
            log_likelihood=float(str(data["log_likelihood"])),
            n_customers=float(str(data["n_customers"])),
            n_rows=int(str(data["n_rows"])),
            convergence=Convergence(
                converged=bool(conv["converged"]),
                message=str(conv["message"]),
                iterations=int(conv["iterations"]),
                gradient_norm=float(conv["gradient_norm"]),
                starts=int(conv["starts"]),
                starts_converged=int(conv["starts_converged"]),
                starts_agreeing=int(conv["starts_agreeing"]),
                hessian_positive_definite=bool(conv["hessian_positive_definite"]),
                starts_customers=float(conv.get("starts_customers", data["n_customers"])),
            ),
        )


def _floats(value: object) -> dict[str, float]:
    assert isinstance(value, dict)
    return {str(k): float(v) for k, v in value.items()}


def _optional_floats(value: object) -> dict[str, float | None]:
    assert isinstance(value, dict)
    return {str(k): None if v is None else float(v) for k, v in value.items()}


def total(rows: RowLikelihood, params: FloatArray, data: Summary) -> tuple[float, FloatArray]:
    """Weighted log-likelihood and its gradient in the natural parameters."""
    ll, grad = rows(params, data)
    return dot(data.weight, ll), grad


def _objective(rows: RowLikelihood, data: Summary, k: int) -> Objective:
    """Minus the mean log-likelihood per customer and its gradient, in log-parameters."""
    n = data.n_customers

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        params = np.exp(theta)
        with np.errstate(all="ignore"):
            ll, grad = total(rows, params, data)
        if not np.isfinite(ll) or not np.all(np.isfinite(grad)):
            return math.inf, np.zeros(k)
        return -ll / n, -(grad * params) / n

    return objective


def _climb(objective: Objective, theta0: FloatArray, max_iterations: int, gtol: float) -> Any:
    """BFGS, numpy only (L-BFGS-B's LAPACK calls wake the BLAS threads at every iteration,
    which costs more than the iteration on a busy machine). No bounds: the objective is
    infinite where the likelihood is not finite, and the line search steps back."""
    return optimize.minimize(
        objective,
        theta0,
        jac=True,
        method="BFGS",
        options={"maxiter": max_iterations, "gtol": gtol},
    )


def _polish(
    objective: Objective, theta0: FloatArray, curvature: FloatArray, k: int, max_iterations: int
) -> Any:
    """Climb from ``theta0`` in variables whitened by ``curvature`` (the screening sample's
    Hessian of the objective): near the optimum the full data's Hessian is about the
    identity there, so a few quasi-Newton steps reach the tolerances. A curvature that is
    not positive definite leaves the variables as they are."""
    try:
        whiten = np.linalg.inv(np.linalg.cholesky(curvature)).T  # theta = theta0 + W z
    except np.linalg.LinAlgError:
        return _climb(objective, theta0, max_iterations, FINAL_GTOL)

    def whitened(z: FloatArray) -> tuple[float, FloatArray]:
        value, grad = objective(theta0 + whiten @ z)
        return value, whiten.T @ grad

    done = _climb(whitened, np.zeros(k), max_iterations, FINAL_GTOL)
    done.x = theta0 + whiten @ done.x
    return done


def _stationary(run: Any) -> bool:
    """The optimiser said so, or stopped (BFGS on precision loss) with a gradient per
    customer as small as a converged optimum's."""
    gradient = np.asarray(run.jac, dtype=np.float64)
    return bool(run.success) or bool(np.max(np.abs(gradient)) <= GRADIENT_TOLERANCE)


def screening_sample(data: Summary, customers: int, seed: int = 0) -> Summary:
    """``customers`` customers drawn (with replacement, fixed seed) from the rows by their
    weights, as weighted distinct rows."""
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(customers, data.weight / data.weight.sum())
    keep = counts > 0
    return Summary(
        data.frequency[keep],
        data.recency[keep],
        data.T[keep],
        counts[keep].astype(np.float64),
        data.monetary[keep],
    )


def maximise(
    model: str,
    names: Sequence[str],
    rows: RowLikelihood,
    data: Summary,
    starts: Sequence[FloatArray],
    *,
    max_iterations: int = 2000,
    screen_rows: int = SCREEN_ROWS,
) -> Estimate:
    """Maximise from every start (natural-scale parameters); keep the best optimum.

    With more than ``screen_rows`` distinct rows, the starts are climbed on a sample of
    ``screen_rows`` customers (:func:`screening_sample`), and the best of them is climbed
    again on all rows to the same tolerances: the optimum is the full data's, found with a
    fraction of the full-data evaluations."""
    n = data.n_customers
    k = len(names)
    screen = screening_sample(data, screen_rows) if data.n_rows > screen_rows else data
    objective = _objective(rows, screen, k)
    gtol = FINAL_GTOL if screen is data else SCREENING_GTOL
    runs = []
    for start in starts:
        theta0 = np.log(np.asarray(start, dtype=np.float64))
        if np.isfinite(objective(theta0)[0]):
            runs.append(_climb(objective, theta0, max_iterations, gtol))
    if not runs:
        raise ValueError("the log-likelihood is not finite at any starting point")
    best = min(runs, key=lambda r: float(r.fun))
    finite_runs = [r for r in runs if np.isfinite(r.fun)]
    scale = screen.n_customers
    agreeing = sum(1 for r in finite_runs if abs(float(r.fun) - float(best.fun)) * scale < 1e-3)
    final = best
    if screen is not data:
        theta = np.asarray(best.x, dtype=np.float64)
        curvature = -_hessian(rows, theta, screen) / scale
        final = _polish(_objective(rows, data, k), theta, curvature, k, max_iterations)
    theta = np.asarray(final.x, dtype=np.float64)
    params = np.exp(theta)
    ll, grad = total(rows, params, data)
    grad_theta = grad * params
    hessian = _hessian(rows, theta, data)
    cov = _inverse_if_positive(-hessian)
    gradient_norm = float(np.max(np.abs(grad_theta))) if k else 0.0
    # BFGS may stop on "precision loss" at an optimum: judge by the gradient itself.
    converged = cov is not None and gradient_norm <= GRADIENT_TOLERANCE * max(1.0, n)
    se: dict[str, float | None] = {}
    low: dict[str, float | None] = {}
    high: dict[str, float | None] = {}
    for i, name in enumerate(names):
        if cov is None:
            se[name] = low[name] = high[name] = None
            continue
        s = math.sqrt(cov[i, i])
        se[name] = float(params[i] * s)  # delta method
        low[name] = float(math.exp(max(theta[i] - Z95 * s, -700.0)))
        high[name] = float(math.exp(min(theta[i] + Z95 * s, 700.0)))
    return Estimate(
        model=model,
        names=tuple(names),
        params={name: float(v) for name, v in zip(names, params, strict=True)},
        std_errors=se,
        ci_low=low,
        ci_high=high,
        log_covariance=tuple(tuple(float(v) for v in row) for row in cov)
        if cov is not None
        else None,
        log_likelihood=ll,
        n_customers=n,
        n_rows=data.n_rows,
        convergence=Convergence(
            converged=converged,
            message=str(final.message),
            iterations=int(final.nit),
            gradient_norm=gradient_norm,
            starts=len(starts),
            starts_converged=sum(1 for r in runs if _stationary(r)),
            starts_agreeing=agreeing,
            hessian_positive_definite=cov is not None,
            starts_customers=scale,
        ),
    )


def _hessian(rows: RowLikelihood, theta: FloatArray, data: Summary) -> FloatArray:
    """Hessian of the log-likelihood in log-parameters: central differences of the
    analytic gradient, symmetrised."""
    k = len(theta)
    out = np.empty((k, k))
    for j in range(k):
        h = _HESSIAN_STEP * max(1.0, abs(theta[j]))
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        g_up = total(rows, np.exp(up), data)[1] * np.exp(up)
        g_down = total(rows, np.exp(down), data)[1] * np.exp(down)
        out[:, j] = (g_up - g_down) / (2 * h)
    return (out + out.T) / 2


def _inverse_if_positive(matrix: FloatArray) -> FloatArray | None:
    if not np.all(np.isfinite(matrix)):
        return None
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return None
    return np.asarray(np.linalg.inv(matrix), dtype=np.float64)
