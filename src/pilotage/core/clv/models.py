"""The CLV models by name: what data each reads, its parameters, starting points, and its
predictions; :func:`fit` runs maximum likelihood on a summary's weighted unique rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from pilotage.core.clv import bgbb, bgnbd, gamma_gamma, mbgnbd, pareto_nbd, sbg
from pilotage.core.clv.mle import Estimate, RowLikelihood, maximise
from pilotage.core.clv.summary import DataKind, FloatArray, Summary
from pilotage.errors import UsageError

ModelName = Literal["bgnbd", "mbgnbd", "pareto_nbd", "gamma_gamma", "bgbb", "sbg"]
MODEL_NAMES: tuple[ModelName, ...] = get_args(ModelName)
#: Models of repeat purchases (the others model spend or contract duration).
PURCHASE_MODELS: tuple[ModelName, ...] = ("bgnbd", "mbgnbd", "pareto_nbd", "bgbb")

Rows = Callable[[FloatArray, Summary], FloatArray]
Horizon = Callable[[FloatArray, Summary, float], FloatArray]
#: E[X(t)] of a customer just acquired, for ages t (n,).
NewCustomer = Callable[[FloatArray, FloatArray], FloatArray]
Simulator = Callable[[FloatArray, FloatArray, np.random.Generator], tuple[FloatArray, FloatArray]]


@dataclass(frozen=True)
class ModelSpec:
    name: ModelName
    names: tuple[str, ...]
    kind: DataKind
    definition: str
    log_likelihood: RowLikelihood
    p_alive: Rows | None = None
    expected_purchases: Horizon | None = None
    simulate: Simulator | None = None
    expected_new: NewCustomer | None = None

    def starts(self, data: Summary) -> list[FloatArray]:
        """Several starting points, spread over the scale of the data."""
        age = float(np.average(data.T, weights=data.weight)) or 1.0
        raw: list[tuple[float, ...]]
        if self.name in ("bgnbd", "mbgnbd"):
            raw = [(1, 1, 1, 1), (0.5, age / 4, 0.5, 2), (1, age, 1, 1), (2, age / 2, 2, 4)]
        elif self.name == "pareto_nbd":
            raw = [(1, 1, 1, 1), (0.5, age / 4, 0.5, age / 4), (1, age, 1, age)]
        elif self.name == "gamma_gamma":
            spend = float(np.average(data.monetary, weights=data.weight))
            raw = [(1, 1, 1), (5, 3, spend), (2, 2, spend / 2)]
        elif self.name == "bgbb":
            raw = [(1, 1, 1, 1), (0.5, 0.5, 0.5, 2), (2, 1, 1, 3)]
        else:
            raw = [(1, 1), (0.5, 3), (2, 2)]
        return [np.array(s, dtype=np.float64) for s in raw]


MODELS: dict[ModelName, ModelSpec] = {
    "bgnbd": ModelSpec(
        "bgnbd",
        bgnbd.NAMES,
        "continuous",
        "BG/NBD: Poisson purchases, rate ~ Gamma(r, alpha); drop-out after each repeat "
        "purchase with probability ~ Beta(a, b) (Fader, Hardie and Lee 2005).",
        bgnbd.log_likelihood,
        bgnbd.p_alive,
        bgnbd.expected_purchases,
        bgnbd.simulate,
        bgnbd.expected_purchases_new,
    ),
    "mbgnbd": ModelSpec(
        "mbgnbd",
        mbgnbd.NAMES,
        "continuous",
        "MBG/NBD: the BG/NBD where customers may also drop out right after their first "
        "purchase (Batislam, Denizel and Filiztekin 2007).",
        mbgnbd.log_likelihood,
        mbgnbd.p_alive,
        mbgnbd.expected_purchases,
        mbgnbd.simulate,
        mbgnbd.expected_purchases_new,
    ),
    "pareto_nbd": ModelSpec(
        "pareto_nbd",
        pareto_nbd.NAMES,
        "continuous",
        "Pareto/NBD: Poisson purchases, rate ~ Gamma(r, alpha), during an exponential "
        "lifetime of rate ~ Gamma(s, beta) (Schmittlein, Morrison and Colombo 1987).",
        pareto_nbd.log_likelihood,
        pareto_nbd.p_alive,
        pareto_nbd.expected_purchases,
        pareto_nbd.simulate,
        pareto_nbd.expected_purchases_new,
    ),
    "gamma_gamma": ModelSpec(
        "gamma_gamma",
        gamma_gamma.NAMES,
        "spend",
        "Gamma-Gamma: transaction values ~ Gamma(p, nu), nu ~ Gamma(q, gamma); fitted on "
        "the mean spend of customers with frequency > 0 (Fader, Hardie and Lee 2005).",
        gamma_gamma.log_likelihood,
    ),
    "bgbb": ModelSpec(
        "bgbb",
        bgbb.NAMES,
        "discrete",
        "BG/BB: at each opportunity a purchase with probability ~ Beta(alpha, beta), "
        "drop-out with probability ~ Beta(gamma, delta) (Fader, Hardie and Shang 2010).",
        bgbb.log_likelihood,
        bgbb.p_alive,
        bgbb.expected_purchases,
        bgbb.simulate,
        bgbb.expected_purchases_new,
    ),
    "sbg": ModelSpec(
        "sbg",
        sbg.NAMES,
        "durations",
        "Shifted-beta-geometric: churn at each renewal with probability ~ Beta(alpha, "
        "beta) (Fader and Hardie 2007).",
        sbg.log_likelihood,
        sbg.p_alive,
        sbg.expected_purchases,
    ),
}


def spec(name: str) -> ModelSpec:
    if name not in MODELS:
        raise UsageError(f"unknown CLV model {name!r}", fix="use one of " + ", ".join(MODEL_NAMES))
    return MODELS[name]


def fitted_rows(name: str, data: Summary) -> Summary:
    """The rows a model is fitted on (Gamma-Gamma: repeat buyers only), collapsed."""
    # Purchase models ignore spend: rows that differ only in spend collapse together.
    rows = data.repeat_buyers() if spec(name).kind == "spend" else data.without_spend()
    if rows.n_rows == 0:
        raise UsageError(
            f"no customer to fit {name} on"
            + (" (it needs customers with frequency > 0)" if name == "gamma_gamma" else ""),
            fix="give a summary with customers (and repeat purchases for spend)",
        )
    return rows.collapse()[0]


def fit(name: str, data: Summary) -> Estimate:
    chosen = spec(name)
    rows = fitted_rows(name, data)
    return maximise(chosen.name, chosen.names, chosen.log_likelihood, rows, chosen.starts(rows))
