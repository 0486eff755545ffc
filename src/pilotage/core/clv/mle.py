"""Maximum likelihood for every CLV model: log-scale parameters, several starting points,
analytic gradients, standard errors from the Hessian, and an explicit convergence report.

The objective is the plain weighted log-likelihood (no penalty term). It is divided by the
number of customers while optimising, for conditioning only; the reported value is the full
log-likelihood, comparable with published values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from pilotage.core.clv.summary import FloatArray, Summary

#: Rows' log-likelihoods (n,) and their gradients (n, k) in the natural parameters.
RowLikelihood = Callable[[FloatArray, Summary], tuple[FloatArray, FloatArray]]

#: Two-sided normal quantile of the 95% intervals.
Z95 = 1.959963984540054
#: Relative step of the finite differences of the gradient that give the Hessian.
_HESSIAN_STEP = 1e-5
#: Largest |d LL / d log(parameter)| per customer at a converged optimum.
GRADIENT_TOLERANCE = 1e-5


@dataclass(frozen=True)
class Convergence:
    """What the optimiser did. ``converged`` needs the best start to report success, a
    small gradient and a positive definite Hessian (standard errors exist)."""

    converged: bool
    message: str
    iterations: int
    gradient_norm: float
    starts: int
    starts_converged: int
    starts_agreeing: int
    hessian_positive_definite: bool


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
    return float(data.weight @ ll), data.weight @ grad


def maximise(
    model: str,
    names: Sequence[str],
    rows: RowLikelihood,
    data: Summary,
    starts: Sequence[FloatArray],
    *,
    max_iterations: int = 2000,
) -> Estimate:
    """Maximise from every start (natural-scale parameters); keep the best optimum."""
    n = data.n_customers
    k = len(names)

    def objective(theta: FloatArray) -> tuple[float, FloatArray]:
        params = np.exp(theta)
        with np.errstate(all="ignore"):
            ll, grad = total(rows, params, data)
        if not np.isfinite(ll) or not np.all(np.isfinite(grad)):
            return math.inf, np.zeros(k)
        return -ll / n, -(grad * params) / n

    runs = []
    for start in starts:
        theta0 = np.log(np.asarray(start, dtype=np.float64))
        if not np.isfinite(objective(theta0)[0]):
            continue
        done = optimize.minimize(
            objective,
            theta0,
            jac=True,
            method="L-BFGS-B",
            bounds=[(-20.0, 20.0)] * k,
            options={"maxiter": max_iterations, "ftol": 1e-14, "gtol": 1e-9},
        )
        runs.append(done)
    if not runs:
        raise ValueError("the log-likelihood is not finite at any starting point")
    best = min(runs, key=lambda r: float(r.fun))
    theta = np.asarray(best.x, dtype=np.float64)
    params = np.exp(theta)
    ll, grad = total(rows, params, data)
    grad_theta = grad * params
    hessian = _hessian(rows, theta, data)
    cov = _inverse_if_positive(-hessian)
    finite_runs = [r for r in runs if np.isfinite(r.fun)]
    agreeing = sum(1 for r in finite_runs if abs(float(r.fun) - float(best.fun)) * n < 1e-3)
    gradient_norm = float(np.max(np.abs(grad_theta))) if k else 0.0
    # L-BFGS-B may stop on "precision loss" at an optimum: judge by the gradient itself.
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
            message=str(best.message),
            iterations=int(best.nit),
            gradient_norm=gradient_norm,
            starts=len(starts),
            starts_converged=sum(1 for r in runs if r.success),
            starts_agreeing=agreeing,
            hessian_positive_definite=cov is not None,
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
