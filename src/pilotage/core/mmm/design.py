"""The weekly table a mix model is fitted on, and the scaled design matrix built from it.

Scaling: the KPI is divided by its mean, each channel's spend by its mean weekly spend and
each control by its standard deviation (after centring), so that priors are unit-free. The
scales are kept so every output is given back in euros (or conversions).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pilotage.core.mmm.baseline import fourier_basis, trend_basis, year_fraction
from pilotage.core.mmm.holidays import HOLIDAY_COLUMNS, holiday_columns
from pilotage.core.mmm.spec import ModelSpec, RoasPrior
from pilotage.core.mmm.transforms import F64

MIN_WEEKS = 20


@dataclass(frozen=True)
class WeeklyData:
    """``weeks`` (n,) Mondays; ``target`` (n,) KPI; ``spend`` (n, c) EUR per week in
    ``channels`` order; ``controls`` (n, k) other drivers (price, events, holidays)."""

    weeks: tuple[datetime.date, ...]
    target: F64
    channels: tuple[str, ...]
    spend: F64
    control_names: tuple[str, ...] = ()
    controls: F64 | None = None

    def __post_init__(self) -> None:
        n = len(self.weeks)
        problems = []
        if self.target.shape != (n,):
            problems.append(f"target has shape {self.target.shape}, expected ({n},)")
        if self.spend.shape != (n, len(self.channels)):
            problems.append(
                f"spend has shape {self.spend.shape}, expected ({n}, {len(self.channels)})"
            )
        if self.controls is not None and self.controls.shape != (n, len(self.control_names)):
            problems.append("controls do not match control_names and weeks")
        if not np.all(np.isfinite(self.target)) or not np.all(np.isfinite(self.spend)):
            problems.append("target and spend must be finite numbers (no blanks)")
        elif np.any(self.spend < 0):
            problems.append("spend cannot be negative")
        if list(self.weeks) != sorted(set(self.weeks)):
            problems.append("weeks must be distinct and in order")
        if problems:
            raise ValueError("invalid weekly table: " + "; ".join(problems))

    @property
    def n_weeks(self) -> int:
        return len(self.weeks)

    def with_controls(self, names: tuple[str, ...], columns: F64) -> WeeklyData:
        """The table with more control columns (``columns`` is (n, len(names)))."""
        taken = sorted(set(names) & (set(self.control_names) | set(self.channels)))
        if taken or len(set(names)) != len(names):
            raise ValueError(f"control names already used or repeated: {taken or list(names)}")
        old = self.controls if self.controls is not None else np.zeros((self.n_weeks, 0))
        return WeeklyData(
            self.weeks,
            self.target,
            self.channels,
            self.spend,
            (*self.control_names, *names),
            np.column_stack([old, columns]),
        )


@dataclass(frozen=True)
class Design:
    """Scaled arrays the model consumes. ``lagged`` is (max_lag, n, c): spend of week t - l
    at [l, t], so adstock is a weighted sum over the first axis (no convolution in JAX).

    The baseline is ``intercept + baseline @ gamma`` with independent normal priors
    (``intercept_prior`` and ``baseline_sd``, scaled KPI units); the model integrates these
    coefficients out exactly. Lifts: experiment ``k`` measured channel ``lift_channel[k]``
    over the weeks where ``lift_window[k]`` is 1, on ``lift_spend[k]`` EUR of table spend."""

    y: F64  # (n,) target / y_scale
    lagged: F64  # (max_lag, n, c) spend / spend_scale, shifted by lag
    baseline: F64  # (n, p) trend, Fourier, holidays, controls
    baseline_names: tuple[str, ...]  # (p,)
    baseline_sd: F64  # (p,) prior sd of each baseline coefficient
    n_trend: int
    spend_scale: F64  # (c,) mean weekly spend EUR
    y_scale: float
    spend_total: F64  # (c,) EUR over the weeks where the likelihood applies
    train: F64  # (n,) 1.0 where the week is in the likelihood, 0.0 for holdout weeks
    priors: tuple[RoasPrior, ...]  # (c,) resolved ROAS priors
    lift_channel: NDArray[np.int64]  # (k,)
    lift_window: F64  # (k, n)
    lift_spend: F64  # (k,) EUR
    lift_roas: F64  # (k,)
    lift_se: F64  # (k,)

    @property
    def roas_mu(self) -> F64:
        return np.array([p.mu for p in self.priors], dtype=np.float64)

    @property
    def roas_sigma(self) -> F64:
        return np.array([p.sigma for p in self.priors], dtype=np.float64)


INTERCEPT_PRIOR = (0.5, 1.0)  # mean, sd of the baseline level in scaled KPI (mean 1)
TREND_SD = 0.5  # change of the scaled KPI over the fitted weeks
TREND_CHANGE_SD = 0.15  # change of that slope at each changepoint
SEASON_SD = 0.2
CONTROL_SD = 0.3  # per standard deviation of the control


def lag_stack(x: F64, max_lag: int) -> F64:
    """``(max_lag, n, c)`` with ``out[l, t] = x[t - l]`` (0 before the first week)."""
    n, c = x.shape
    out = np.zeros((max_lag, n, c), dtype=np.float64)
    for lag in range(min(max_lag, n)):
        out[lag, lag:] = x[: n - lag]
    return out


def _standardised(x: F64, train_n: int) -> F64:
    centred = x - x[:train_n].mean(axis=0)
    sd = x[:train_n].std(axis=0)
    return np.asarray(centred / np.where(sd > 0, sd, 1.0), dtype=np.float64)


def _baseline(
    data: WeeklyData, spec: ModelSpec, train_n: int
) -> tuple[F64, tuple[str, ...], F64, int]:
    n = data.n_weeks
    cp = spec.changepoints(train_n)
    trend = trend_basis(n, cp, train_n)
    cols = [trend - trend[:train_n].mean(axis=0)]  # centred: the intercept is the mean level
    names = ["trend", *(f"trend_change_{k + 1}" for k in range(cp))]
    sds = [TREND_SD] + [TREND_CHANGE_SD] * cp
    season = fourier_basis(year_fraction(list(data.weeks)), spec.fourier_order)
    cols.append(season)
    for k in range(spec.fourier_order):
        names += [f"season_sin_{k + 1}", f"season_cos_{k + 1}"]
    sds += [SEASON_SD] * season.shape[1]
    extra: list[tuple[str, F64]] = []
    if spec.holidays is not None:
        days = holiday_columns(list(data.weeks), spec.holidays)
        extra += [(f"holiday:{name}", days[:, k]) for k, name in enumerate(HOLIDAY_COLUMNS)]
    if data.controls is not None:
        extra += [(name, data.controls[:, k]) for k, name in enumerate(data.control_names)]
    for name, col in extra:
        if np.std(col[:train_n]) > 0:  # a column constant over the fitted weeks says nothing
            cols.append(_standardised(col[:, None], train_n))
            names.append(name)
            sds.append(CONTROL_SD)
    return np.column_stack(cols), tuple(names), np.asarray(sds, dtype=np.float64), 1 + cp


def window_mask(
    weeks: tuple[datetime.date, ...], start: datetime.date | None, end: datetime.date | None
) -> F64:
    """(n,) 1.0 for the weeks (7 days from each date) overlapping ``start``..``end``."""
    return np.array(
        [
            float(
                (start is None or week + datetime.timedelta(days=6) >= start)
                and (end is None or week <= end)
            )
            for week in weeks
        ],
        dtype=np.float64,
    )


def event_columns(
    weeks: tuple[datetime.date, ...],
    events: Mapping[str, tuple[datetime.date, datetime.date | None]],
) -> F64:
    """(n, k) indicators of one-off events: 1 in the weeks from ``start`` to ``end``, or from
    ``start`` on when ``end`` is None (a lasting change, e.g. a platform's new algorithm)."""
    cols = [window_mask(weeks, start, end) for start, end in events.values()]
    return np.column_stack(cols) if cols else np.zeros((len(weeks), 0))


def _lifts(
    data: WeeklyData, spec: ModelSpec, train_n: int
) -> tuple[NDArray[np.int64], F64, F64, F64, F64]:
    k = len(spec.calibration)
    window = np.zeros((k, data.n_weeks), dtype=np.float64)
    spend = np.zeros(k, dtype=np.float64)
    index = {ch: i for i, ch in enumerate(data.channels)}
    for j, lift in enumerate(spec.calibration):
        window[j, :train_n] = window_mask(data.weeks[:train_n], lift.start, lift.end)
        spend[j] = float((window[j] * data.spend[:, index[lift.channel]]).sum())
        if spend[j] <= 0:
            raise ValueError(
                f"lift for {lift.channel} ({lift.source or 'no source'}): the table has no "
                f"{lift.channel} spend in the fitted weeks from {lift.start} to {lift.end}"
            )
    return (
        np.array([index[x.channel] for x in spec.calibration], dtype=np.int64),
        window,
        spend,
        np.array([x.roas for x in spec.calibration], dtype=np.float64),
        np.array([x.std_error for x in spec.calibration], dtype=np.float64),
    )


def build_design(data: WeeklyData, spec: ModelSpec, train_weeks: int | None = None) -> Design:
    """Scale the table and build the regressors; ``train_weeks`` masks later weeks out of
    the likelihood (holdout) while keeping their spend for carry-over and prediction."""
    if tuple(data.channels) != tuple(spec.channels):
        raise ValueError(
            f"data channels {list(data.channels)} differ from the spec's {list(spec.channels)}"
        )
    n = data.n_weeks
    train_n = n if train_weeks is None else train_weeks
    if train_n < MIN_WEEKS:
        raise ValueError(f"a mix model needs at least {MIN_WEEKS} weeks, got {train_n}")
    if train_n > n:
        raise ValueError(f"{train_n} fitted weeks asked of a table of {n} weeks")
    train = (np.arange(n) < train_n).astype(np.float64)
    y_scale = float(np.mean(data.target[:train_n]))
    if y_scale <= 0:
        raise ValueError("the KPI's mean must be positive")
    spend_scale = data.spend[:train_n].mean(axis=0)
    if np.any(spend_scale <= 0):
        idle = [c for c, s in zip(data.channels, spend_scale, strict=True) if s <= 0]
        raise ValueError(f"channels with no spend in the fitted weeks: {idle}")
    baseline, names, sds, n_trend = _baseline(data, spec, train_n)
    spend_total = np.asarray(data.spend[:train_n].sum(axis=0), dtype=np.float64)
    kpi_per_euro = float(data.target[:train_n].sum() / spend_total.sum())
    lift_channel, lift_window, lift_spend, lift_roas, lift_se = _lifts(data, spec, train_n)
    return Design(
        y=data.target / y_scale,
        lagged=lag_stack(data.spend / spend_scale, spec.max_lag),
        baseline=baseline,
        baseline_names=names,
        baseline_sd=sds,
        n_trend=n_trend,
        spend_scale=np.asarray(spend_scale, dtype=np.float64),
        y_scale=y_scale,
        spend_total=spend_total,
        train=train,
        priors=tuple(spec.prior(c, kpi_per_euro) for c in spec.channels),
        lift_channel=lift_channel,
        lift_window=lift_window,
        lift_spend=lift_spend,
        lift_roas=lift_roas,
        lift_se=lift_se,
    )
