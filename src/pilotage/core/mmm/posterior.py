"""A fitted mix model as plain data: posterior draws and scales, saved to JSON (never pickle).

Every output (contributions, ROAS, response curves, the optimizer) is computed here from the
draws with NumPy, so a saved model answers without JAX.

Draw arrays (S = chains x draws, c = channels, p = baseline columns):
``roas`` (S, c), ``beta`` (S, c) scaled KPI per unit of saturation, ``ad_a``/``ad_b`` (S, c)
adstock parameters, ``sat_a``/``sat_b`` (S, c) saturation parameters in scaled spend,
``baseline`` (S, p), ``intercept`` (S,), ``sigma`` (S,).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pilotage.core.mmm.design import lag_stack
from pilotage.core.mmm.spec import KpiKind
from pilotage.core.mmm.transforms import (
    F64,
    SATURATION_FUNCTIONS,
    AdstockKind,
    SaturationKind,
    kernels,
)

FORMAT_VERSION = 1
DRAW_KEYS = ("roas", "beta", "ad_a", "ad_b", "sat_a", "sat_b", "baseline", "intercept", "sigma")


@dataclass(frozen=True)
class Diagnostics:
    """Convergence of the sampler; ``status`` is ``good``, ``caution`` or ``unreliable``."""

    rhat_max: float
    ess_min: float
    divergences: int
    status: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FittedModel:
    channels: tuple[str, ...]
    kpi: KpiKind
    adstock: AdstockKind
    saturation: SaturationKind
    max_lag: int
    y_scale: float
    spend_scale: F64  # (c,) EUR per week
    draws: dict[str, F64]
    diagnostics: Diagnostics
    seed: int
    #: Mean weekly spend per channel over the last weeks of the data (the optimizer's
    #: "current allocation"), EUR per week.
    recent_weekly_spend: F64 = field(default_factory=lambda: np.zeros(0))

    @property
    def n_draws(self) -> int:
        return int(self.draws["roas"].shape[0])

    def kernels(self) -> F64:
        """(S, max_lag, c) normalised adstock kernels per draw and channel."""
        return kernels(self.adstock, self.draws["ad_a"], self.draws["ad_b"], self.max_lag)

    def saturate(self, x_scaled: F64) -> F64:
        """Saturation of adstocked scaled spend ``(S, n, c)`` with each draw's parameters."""
        curve, _ = SATURATION_FUNCTIONS[self.saturation]
        a = self.draws["sat_a"][:, None, :]
        b = self.draws["sat_b"][:, None, :]
        return curve(x_scaled, a, b)

    def contributions(self, spend: F64) -> F64:
        """(S, n, c) incremental KPI per week and channel for a spend path ``(n, c)`` EUR."""
        lagged = lag_stack(spend / self.spend_scale, self.max_lag)  # (L, n, c)
        ad = np.einsum("slc,lnc->snc", self.kernels(), lagged)
        return np.asarray(
            self.draws["beta"][:, None, :] * self.y_scale * self.saturate(ad), dtype=np.float64
        )

    def weekly_response(self, weekly_spend: F64) -> F64:
        """(S, m, c) steady-state incremental KPI per week when each channel spends
        ``weekly_spend`` (m, c) EUR every week (normalised kernels: adstock = spend)."""
        x = np.asarray(weekly_spend, dtype=np.float64)[None, :, :] / self.spend_scale
        return np.asarray(
            self.draws["beta"][:, None, :] * self.y_scale * self.saturate(x), dtype=np.float64
        )

    def weekly_marginal(self, weekly_spend: F64) -> F64:
        """(S, m, c) d(weekly response)/d(weekly spend): marginal ROAS at that level."""
        _, deriv = SATURATION_FUNCTIONS[self.saturation]
        x = np.asarray(weekly_spend, dtype=np.float64)[None, :, :] / self.spend_scale
        a = self.draws["sat_a"][:, None, :]
        b = self.draws["sat_b"][:, None, :]
        return np.asarray(
            self.draws["beta"][:, None, :] * self.y_scale * deriv(x, a, b) / self.spend_scale,
            dtype=np.float64,
        )

    def to_dict(self) -> dict[str, Any]:
        d = self.diagnostics
        return {
            "format": "pilotage-mmm",
            "version": FORMAT_VERSION,
            "channels": list(self.channels),
            "kpi": self.kpi,
            "adstock": self.adstock,
            "saturation": self.saturation,
            "max_lag": self.max_lag,
            "y_scale": self.y_scale,
            "spend_scale": self.spend_scale.tolist(),
            "recent_weekly_spend": self.recent_weekly_spend.tolist(),
            "seed": self.seed,
            "diagnostics": {
                "rhat_max": d.rhat_max,
                "ess_min": d.ess_min,
                "divergences": d.divergences,
                "status": d.status,
                "warnings": list(d.warnings),
            },
            "draws": {k: self.draws[k].tolist() for k in DRAW_KEYS},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FittedModel:
        if data.get("format") != "pilotage-mmm" or data.get("version") != FORMAT_VERSION:
            raise ValueError(
                f"not a Pilotage mix model file (version {FORMAT_VERSION}); refit and save it"
            )
        missing = [k for k in DRAW_KEYS if k not in data.get("draws", {})]
        if missing:
            raise ValueError(f"model file lacks draws {missing}")
        d = data["diagnostics"]
        return cls(
            channels=tuple(data["channels"]),
            kpi=data["kpi"],
            adstock=data["adstock"],
            saturation=data["saturation"],
            max_lag=int(data["max_lag"]),
            y_scale=float(data["y_scale"]),
            spend_scale=np.asarray(data["spend_scale"], dtype=np.float64),
            draws={k: np.asarray(data["draws"][k], dtype=np.float64) for k in DRAW_KEYS},
            diagnostics=Diagnostics(
                float(d["rhat_max"]),
                float(d["ess_min"]),
                int(d["divergences"]),
                str(d["status"]),
                tuple(d["warnings"]),
            ),
            seed=int(data["seed"]),
            recent_weekly_spend=np.asarray(data["recent_weekly_spend"], dtype=np.float64),
        )

    @classmethod
    def from_json(cls, text: str) -> FittedModel:
        return cls.from_dict(json.loads(text))
