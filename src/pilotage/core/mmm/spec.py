"""The mix model's settings: a frozen spec that validates itself, priors in business terms.

A marketer states, per channel, the range they believe the ROAS (incremental KPI per euro)
lies in with 90 % confidence, e.g. ``paid_search: 1.5 to 6``. The model samples each
channel's ROAS from a log-normal with that 90 % range and derives the regression coefficient
from it (``beta = roas * spend / sum_t saturation(adstock(spend))``), so the prior is on the
number the committee discusses, not on an abstract coefficient.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from pilotage.core.mmm.holidays import COUNTRIES, Country
from pilotage.core.mmm.transforms import ADSTOCKS, SATURATIONS, AdstockKind, SaturationKind

Z90 = 1.6448536269514722  # standard normal quantile of 0.95: a 90 % central interval
KpiKind = Literal["revenue", "conversions"]
KPI_KINDS: tuple[KpiKind, ...] = get_args(KpiKind)
DEFAULT_ROAS_RANGE = (0.2, 8.0)
DEFAULT_RELATIVE_RANGE = (0.05, 2.0)
TREND_WEEKS_PER_CHANGEPOINT = 26


@dataclass(frozen=True)
class RoasPrior:
    """A channel's ROAS believed between ``low`` and ``high`` with 90 % probability."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not (self.low > 0 and self.high > self.low and math.isfinite(self.high)):
            raise ValueError(f"a ROAS range needs 0 < low < high, got {self.low} to {self.high}")

    @property
    def mu(self) -> float:
        """Mean of log ROAS (the prior median is ``exp(mu)``)."""
        return (math.log(self.low) + math.log(self.high)) / 2.0

    @property
    def sigma(self) -> float:
        return (math.log(self.high) - math.log(self.low)) / (2.0 * Z90)

    @classmethod
    def from_roi(cls, low: float, high: float) -> RoasPrior:
        """ROI = ROAS - 1 for a revenue KPI: an ROI range of -0.5 to 3 is ROAS 0.5 to 4."""
        if not -1 < low < high:
            raise ValueError(f"an ROI range needs -1 < low < high, got {low} to {high}")
        return cls(low + 1.0, high + 1.0)

    @classmethod
    def from_cpa(cls, low: float, high: float) -> RoasPrior:
        """CPA = 1 / ROAS for a conversions KPI: a CPA of 50 to 400 EUR is ROAS 1/400 to 1/50."""
        if not 0 < low < high:
            raise ValueError(f"a CPA range needs 0 < low < high, got {low} to {high}")
        return cls(1.0 / high, 1.0 / low)


@dataclass(frozen=True)
class LiftCalibration:
    """An experiment's measured ROAS for a channel (a geo holdout, an on/off test): the
    incremental KPI it measured per euro of the channel's spend, with its standard error,
    over the weeks ``start`` to ``end`` (the whole table when both are None). The model
    treats it as one more observation of the channel's ROAS over those weeks."""

    channel: str
    roas: float
    std_error: float
    start: datetime.date | None = None
    end: datetime.date | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if not (self.std_error > 0 and math.isfinite(self.std_error)):
            raise ValueError(f"lift for {self.channel}: std_error must be > 0")
        if not math.isfinite(self.roas):
            raise ValueError(f"lift for {self.channel}: the measured ROAS must be a number")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"lift for {self.channel}: it ends before it starts")


@dataclass(frozen=True)
class ModelSpec:
    """Everything the fit needs besides the data.

    Attributes:
        channels: paid channels (columns of spend), in the order results are given.
        kpi: ``revenue`` (ROAS in EUR per EUR, ROI = ROAS - 1) or ``conversions`` (CPA).
        adstock: ``geometric`` (decay), ``delayed`` (decay and peak lag) or ``weibull``.
        saturation: ``hill`` (half-saturation and slope) or ``logistic``.
        max_lag: weeks of carry-over kept (1 = no carry-over).
        fourier_order: sin/cos pairs of yearly seasonality (0 = none).
        trend_changepoints: hinges of the piecewise-linear trend (0 = a straight line);
            None places one every TREND_WEEKS_PER_CHANGEPOINT fitted weeks.
        holidays: country whose public holidays and year-end break become regressors.
        roas_priors: channel -> 90 % ROAS range; missing channels get DEFAULT_ROAS_RANGE.
        calibration: experiment lifts per channel.
        draws, warmup, chains, seed: NUTS settings; same data and seed give the same result.
        target_accept: NUTS step-size adaptation target (higher: fewer divergences).
    """

    channels: tuple[str, ...]
    kpi: KpiKind = "revenue"
    adstock: AdstockKind = "geometric"
    saturation: SaturationKind = "hill"
    max_lag: int = 8
    fourier_order: int = 2
    trend_changepoints: int | None = None
    holidays: Country | None = None
    roas_priors: Mapping[str, RoasPrior] = field(default_factory=dict)
    calibration: tuple[LiftCalibration, ...] = ()
    draws: int = 250
    warmup: int = 250
    chains: int = 4
    seed: int = 0
    target_accept: float = 0.85
    max_tree_depth: int = 8

    def __post_init__(self) -> None:
        problems = []
        if not self.channels:
            problems.append("at least one channel is needed")
        if len(set(self.channels)) != len(self.channels):
            problems.append(f"channels are repeated: {list(self.channels)}")
        if self.kpi not in KPI_KINDS:
            problems.append(f"kpi {self.kpi!r}; allowed: {', '.join(KPI_KINDS)}")
        if self.adstock not in ADSTOCKS:
            problems.append(f"adstock {self.adstock!r}; allowed: {', '.join(ADSTOCKS)}")
        if self.saturation not in SATURATIONS:
            problems.append(f"saturation {self.saturation!r}; allowed: {', '.join(SATURATIONS)}")
        if self.holidays is not None and self.holidays not in COUNTRIES:
            problems.append(f"holidays {self.holidays!r}; allowed: {', '.join(COUNTRIES)}")
        if not 1 <= self.max_lag <= 26:
            problems.append(f"max_lag {self.max_lag}; allowed: 1 to 26 weeks")
        if not 0 <= self.fourier_order <= 10:
            problems.append(f"fourier_order {self.fourier_order}; allowed: 0 to 10")
        if self.trend_changepoints is not None and not 0 <= self.trend_changepoints <= 20:
            problems.append(f"trend_changepoints {self.trend_changepoints}; allowed: 0 to 20")
        unknown = sorted(
            (set(self.roas_priors) | {c.channel for c in self.calibration}) - set(self.channels)
        )
        if unknown:
            problems.append(f"priors or lifts for unknown channels {unknown}")
        if self.draws < 10 or self.warmup < 10 or self.chains < 1:
            problems.append("draws and warmup must be >= 10, chains >= 1")
        if self.draws > 20_000 or self.warmup > 20_000 or self.chains > 16:
            problems.append("draws and warmup must be <= 20000, chains <= 16")
        if not 0.5 <= self.target_accept < 1.0:
            problems.append(f"target_accept {self.target_accept}; allowed: 0.5 to 0.99")
        if not 3 <= self.max_tree_depth <= 12:
            problems.append(f"max_tree_depth {self.max_tree_depth}; allowed: 3 to 12")
        if problems:
            raise ValueError("invalid model spec: " + "; ".join(problems))

    def prior(self, channel: str, kpi_per_euro: float | None = None) -> RoasPrior:
        """The channel's stated prior, else the default: DEFAULT_ROAS_RANGE for revenue; for
        conversions, DEFAULT_RELATIVE_RANGE times the table's KPI per euro of paid spend
        (``kpi_per_euro``), since conversions per euro depend on the business's scale."""
        if channel in self.roas_priors:
            return self.roas_priors[channel]
        if self.kpi == "conversions" and kpi_per_euro is not None and kpi_per_euro > 0:
            low, high = DEFAULT_RELATIVE_RANGE
            return RoasPrior(low * kpi_per_euro, high * kpi_per_euro)
        return RoasPrior(*DEFAULT_ROAS_RANGE)

    def changepoints(self, fitted_weeks: int) -> int:
        """Trend hinges for a fit on ``fitted_weeks`` weeks."""
        if self.trend_changepoints is not None:
            return self.trend_changepoints
        return max(0, min(20, fitted_weeks // TREND_WEEKS_PER_CHANGEPOINT - 1))
