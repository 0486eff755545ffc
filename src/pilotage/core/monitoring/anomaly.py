"""Anomalies in a weekly KPI series: lasting level shifts and recent spikes or dips, judged
against a seasonal baseline so that a yearly dip (August, Christmas) is not an alarm.

Method (in the spirit of BFAST, Verbesselt et al. 2010, "Detecting trend and seasonal
changes in satellite image time series", with robust statistics):

1. The series is put on a log scale when it is positive (changes are multiplicative:
   -40 % reads the same at 100 or 10 000 a week), else left as it is. Leading weeks far
   below the level that follows (a company or a tool starting) are not scored.
2. Baseline: intercept, linear trend and ``harmonics`` yearly Fourier pairs (period
   365.25 / 7 weeks), fitted by least squares. With less than ``min_seasonal_weeks`` of
   history the yearly terms can't be told from a change, so none are fitted and the result
   says the baseline is not seasonal.
3. Isolated outliers (a one-week spike) are left out of the fits: a week further than
   ``outlier_z`` robust sd from the running median of its seven-week neighbourhood.
4. Level shift: every week ``tau`` (with ``min_before`` weeks before, ``min_after`` after)
   is tried as the start of a step added to the baseline; candidates are ranked by the
   step's t-statistic with the noise sd estimated from week-to-week differences (1.4826
   MAD / sqrt 2, which a step does not inflate). The best candidate that is a jump (the
   four weeks after it sit above, or below, the four before by half the step or more) is
   tested again with the larger of that sd and the residuals' own robust sd once the step
   is fitted (slow wandering is not a shift), and kept when ``|t| >= shift_z`` and the
   change is at least ``min_change``. The search repeats (up to ``max_shifts``) to find
   earlier shifts; only the latest is a finding, "since" its first week.
5. Spike or dip: among the last ``recent_weeks``, the run of consecutive weeks ending at the
   last one whose residual from the final model exceeds ``point_z`` robust sd (same sign)
   and ``min_change``.

The false-alarm rate of the thresholds is measured in ``benchmarks/alerts_detection.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
FindingKind = Literal["shift", "spike", "dip"]
Scale = Literal["log", "linear"]

#: Weeks in a year: the period of the seasonal terms.
YEAR_WEEKS = 365.25 / 7.0
#: MAD -> standard deviation for normal noise.
MAD_TO_SD = 1.4826
#: Half-width of the running median that spots isolated outliers.
_NEIGHBOURS = 3
#: Intercept and trend powers in the baseline (2: linear trend).
TREND_TERMS = 3
#: Weeks each side of a step start that must show the jump.
_LOCAL = 4
#: Candidate step starts tried, by decreasing statistic, for a jump.
_TRIED = 10


@dataclass(frozen=True)
class DetectorSettings:
    harmonics: int = 4
    min_seasonal_weeks: int = 78
    min_weeks: int = 16
    min_before: int = 8
    min_after: int = 3
    shift_z: float = 5.0
    point_z: float = 5.0
    outlier_z: float = 5.0
    min_change: float = 0.2
    recent_weeks: int = 3
    max_shifts: int = 3
    #: Leading weeks below this share of the level of the quarter after are a ramp-up.
    ramp_share: float = 0.5

    def __post_init__(self) -> None:
        if not 0 <= self.harmonics <= 12:
            raise ValueError(f"harmonics must be 0 to 12, not {self.harmonics}")
        if self.min_before < 2 or self.min_after < 1:
            raise ValueError("a shift needs at least 2 weeks before it and 1 after")
        if self.min_weeks < self.min_before + self.min_after:
            raise ValueError("min_weeks must leave room for min_before + min_after")
        for name in ("shift_z", "point_z", "outlier_z"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if not 0 < self.min_change < 10:
            raise ValueError(f"min_change must be in (0, 10), not {self.min_change}")
        if self.recent_weeks < 1:
            raise ValueError("recent_weeks must be at least 1")


@dataclass(frozen=True)
class Finding:
    """What moved in a series. Indexes are weeks of the series given (0 = first).

    For a shift, ``expected`` and ``observed`` are the seasonally adjusted weekly levels
    (medians) of the 8 weeks before it and of its first 8 weeks; for a spike or dip, the
    baseline's value at the last week and the week's actual value. ``change`` is
    observed / expected - 1 (on the linear scale, relative to |expected|). ``z`` is the
    statistic in robust sd.
    """

    kind: FindingKind
    start: int
    weeks: int
    expected: float
    observed: float
    change: float | None
    z: float
    seasonal: bool
    scale: Scale


@dataclass(frozen=True)
class Screened:
    """A series ready to be scored, or the reason it is not."""

    values: F64
    offset: int
    scale: Scale
    skipped: str | None


def screen(values: F64, settings: DetectorSettings) -> Screened:
    """Trim the start (empty or ramping weeks) and choose the scale; say why a series is
    not scored: too short, too many empty weeks, or intermittent (flighted)."""
    y = np.asarray(values, dtype=np.float64)
    present = np.isfinite(y) & (y != 0)
    if not present.any():
        return Screened(y, 0, "linear", "no data")
    first = int(np.argmax(present))
    y = y[first:]
    first += _ramp_weeks(y, settings.ramp_share)
    y = np.asarray(values, dtype=np.float64)[first:]
    if len(y) < settings.min_weeks:
        return Screened(y, first, "linear", "too short")
    known = np.isfinite(y)
    if known.mean() < 0.8:
        return Screened(y, first, "linear", "too many empty weeks")
    kept = y[known]
    if (kept >= 0).all():
        level = float(np.median(kept))
        if level <= 0 or (kept <= 0.2 * level).mean() > 0.2:
            return Screened(y, first, "linear", "intermittent")
        return Screened(y, first, "log", None)
    return Screened(y, first, "linear", None)


def _ramp_weeks(y: F64, share: float) -> int:
    """Leading weeks off the level of the 13 weeks after them by more than a factor
    1 / ``share`` (a start-up: few customers yet, or costs with no conversions yet)."""
    for week in range(min(len(y), 26)):
        after = y[week + 1 : week + 14]
        after = after[np.isfinite(after)]
        if len(after) < 4 or not np.isfinite(y[week]):
            return week
        level = float(np.median(after))
        if level <= 0 or share * level <= y[week] <= level / share:
            return week
    return 0


def detect(values: F64, settings: DetectorSettings | None = None) -> Finding | None:
    """The latest lasting shift, else a spike or dip in the last weeks, else None.

    ``values`` is the whole weekly series (oldest first); NaN is a week with no value.
    """
    s = settings or DetectorSettings()
    screened = screen(values, s)
    if screened.skipped is not None:
        return None
    return _scored(screened, s)


def _scored(screened: Screened, s: DetectorSettings) -> Finding | None:
    y, scale = screened.values, screened.scale
    z = _transform(y, scale)
    n = len(z)
    keep = np.isfinite(z)
    sd0 = _diff_sd(z[keep])
    if sd0 <= 0:
        return None
    keep &= ~_isolated(z, sd0, s.outlier_z)
    harmonics = s.harmonics if n >= s.min_seasonal_weeks else 0
    shifts: list[tuple[int, float]] = []
    for _ in range(s.max_shifts):
        taus = [tau for tau, _ in shifts]
        base = _design(n, harmonics, taus)
        found = _best_step(z, base, keep, s, taus)
        if found is None:
            break
        tau, step, stat = found
        if abs(stat) < s.shift_z or abs(_relative(step, z, keep, scale)) < s.min_change:
            break
        shifts.append((tau, stat))
    taus = [tau for tau, _ in shifts]
    final = _design(n, harmonics, taus)
    fitted = final @ _fit(z, final, keep)
    sd = _diff_sd((z - fitted)[keep])
    latest = max(shifts, default=None)
    point = _recent_run(z, fitted, sd, s, scale)
    if point is not None and (latest is None or point.start > latest[0]):
        return _point_finding(point, z, fitted, scale, harmonics > 0)
    if latest is None:
        return None
    tau, stat = latest
    # The size users read is local and seasonally adjusted: the weeks since the shift
    # (up to _LOCAL * 2) against as many weeks before it, the yearly terms taken out.
    adjusted = z - _seasonal(z, keep, n, harmonics, taus)
    week = np.arange(n)
    span = 2 * _LOCAL
    before = adjusted[keep & (week >= tau - span) & (week < tau)]
    after = adjusted[keep & (week >= tau) & (week < tau + span)]
    if len(before) == 0 or len(after) == 0:
        return None
    level_before, level_after = float(np.median(before)), float(np.median(after))
    change = _change(level_after, level_before, scale)
    if change is None or abs(change) < s.min_change:
        return None
    return Finding(
        kind="shift",
        start=tau,
        weeks=n - tau,
        expected=_back(level_before, scale),
        observed=_back(level_after, scale),
        change=change,
        z=stat,
        seasonal=harmonics > 0,
        scale=scale,
    )


@dataclass(frozen=True)
class _Run:
    start: int
    weeks: int
    z: float


def _recent_run(z: F64, fitted: F64, sd: float, s: DetectorSettings, scale: Scale) -> _Run | None:
    """Consecutive weeks ending at the last one, all beyond point_z on the same side."""
    n = len(z)
    residual = (z - fitted) / sd if sd > 0 else np.zeros(n)
    start, sign = n, 0.0
    for week in range(n - 1, max(n - s.recent_weeks, 0) - 1, -1):
        r = residual[week]
        if not np.isfinite(r) or abs(r) < s.point_z or (sign and np.sign(r) != sign):
            break
        change = _change(float(z[week]), float(fitted[week]), scale)
        if change is None or abs(change) < s.min_change:
            break
        start, sign = week, float(np.sign(r))
    if start == n:
        return None
    return _Run(start, n - start, float(np.mean(residual[start:])))


def _point_finding(run: _Run, z: F64, fitted: F64, scale: Scale, seasonal: bool) -> Finding:
    return Finding(
        kind="spike" if run.z > 0 else "dip",
        start=run.start,
        weeks=run.weeks,
        expected=_back(float(fitted[-1]), scale),
        observed=_back(float(z[-1]), scale),
        change=_change(float(z[-1]), float(fitted[-1]), scale),
        z=run.z,
        seasonal=seasonal,
        scale=scale,
    )


def _transform(y: F64, scale: Scale) -> F64:
    if scale == "linear":
        return y.copy()
    positive = y[np.isfinite(y) & (y > 0)]
    # A small offset keeps an empty week finite without moving busy weeks.
    offset = 0.01 * float(np.median(positive))
    with np.errstate(invalid="ignore"):
        return np.asarray(np.log(np.maximum(y, 0.0) + offset), dtype=np.float64)


def _back(value: float, scale: Scale) -> float:
    return math.exp(value) if scale == "log" else value


def _change(after: float, before: float, scale: Scale) -> float | None:
    if scale == "log":
        return math.expm1(after - before)
    return (after - before) / abs(before) if before else None


def _seasonal(z: F64, keep: Bools, n: int, harmonics: int, shifts: list[int]) -> F64:
    """(n,) the fitted yearly terms of trend + seasonality + ``shifts``."""
    if harmonics == 0:
        return np.zeros(n)
    design = _design(n, harmonics, shifts)
    beta = _fit(z, design, keep)
    columns = slice(TREND_TERMS, TREND_TERMS + 2 * harmonics)
    return np.asarray(design[:, columns] @ beta[columns], dtype=np.float64)


def _relative(step: float, z: F64, keep: Bools, scale: Scale) -> float:
    """The step as a share of the series' typical level (log scale: exp(step) - 1)."""
    if scale == "log":
        return math.expm1(step)
    level = float(np.median(np.abs(z[keep])))
    return step / level if level > 0 else math.inf


def _diff_sd(residual: F64) -> float:
    """Noise sd from week-to-week differences: a level shift moves one difference only."""
    if len(residual) < 3:
        return 0.0
    d = np.diff(residual)
    return float(MAD_TO_SD * np.median(np.abs(d - np.median(d))) / math.sqrt(2.0))


def _isolated(z: F64, sd: float, limit: float) -> Bools:
    """Weeks further than ``limit`` sd from the median of their 7-week neighbourhood."""
    n = len(z)
    out = np.zeros(n, dtype=np.bool_)
    for week in range(n):
        around = z[max(0, week - _NEIGHBOURS) : week + _NEIGHBOURS + 1]
        around = around[np.isfinite(around)]
        if len(around) >= 3 and np.isfinite(z[week]):
            out[week] = abs(z[week] - float(np.median(around))) > limit * sd
    return out


def _design(n: int, harmonics: int, shifts: list[int]) -> F64:
    """(n, 2 + 2 * harmonics + len(shifts)): intercept, trend, sin/cos pairs, steps."""
    t = np.arange(n, dtype=np.float64)
    u = t / max(n - 1, 1)
    columns = [u**k for k in range(TREND_TERMS)]
    for k in range(1, harmonics + 1):
        angle = 2.0 * math.pi * k * t / YEAR_WEEKS
        columns += [np.sin(angle), np.cos(angle)]
    columns += [(t >= tau).astype(np.float64) for tau in sorted(shifts)]
    return np.asarray(np.column_stack(columns), dtype=np.float64)


def _fit(z: F64, design: F64, keep: Bools) -> F64:
    beta, *_ = np.linalg.lstsq(design[keep], z[keep], rcond=None)
    return np.asarray(beta, dtype=np.float64)


def _best_step(
    z: F64, base: F64, keep: Bools, s: DetectorSettings, taken: list[int]
) -> tuple[int, float, float] | None:
    """The step start with the largest |t| over the admissible weeks: (tau, step, t).

    Each candidate step column is projected off the baseline's columns, so the step's
    least-squares estimate is (s~ . e) / (s~ . s~) with e the baseline residuals, for every
    candidate at once.
    """
    n = len(z)
    candidates = np.array(
        [
            tau
            for tau in range(s.min_before, n - s.min_after + 1)
            if all(abs(tau - t) >= s.min_before for t in taken)
        ],
        dtype=np.int64,
    )
    if len(candidates) == 0:
        return None
    x, zk = base[keep], z[keep]
    q, _ = np.linalg.qr(x)
    residual = zk - q @ (q.T @ zk)
    sd = _diff_sd(residual)
    if sd <= 0:
        return None
    weeks = np.arange(n)[keep]
    steps = (weeks[:, None] >= candidates[None, :]).astype(np.float64)
    steps -= q @ (q.T @ steps)
    energy = np.einsum("ij,ij->j", steps, steps)
    usable = energy > 1e-9
    if not usable.any():
        return None
    estimate = np.where(usable, steps.T @ residual / np.where(usable, energy, 1.0), 0.0)
    stat = estimate * np.sqrt(energy) / sd
    for best in np.argsort(-np.abs(stat))[:_TRIED]:
        tau, step = int(candidates[best]), float(estimate[best])
        if not usable[best] or not _abrupt(weeks, residual, tau, step):
            continue
        # Slow wandering makes residuals agree with their neighbours, which the
        # differences' sd misses: the residuals' own spread once the step is fitted bounds
        # the noise from below.
        after = residual - step * steps[:, best]
        spread = float(MAD_TO_SD * np.median(np.abs(after - np.median(after))))
        return tau, step, step * math.sqrt(float(energy[best])) / max(sd, spread)
    return None


def _abrupt(weeks: npt.NDArray[np.int64], residual: F64, tau: int, step: float) -> bool:
    """A level shift is a jump: the median residual of the weeks just after ``tau`` exceeds
    that of the weeks just before by at least half the step (slow drifts fail this)."""
    before = residual[(weeks >= tau - _LOCAL) & (weeks < tau)]
    after = residual[(weeks >= tau) & (weeks < tau + _LOCAL)]
    if len(before) == 0 or len(after) == 0:
        return False
    jump = float(np.median(after) - np.median(before))
    return jump * step > 0 and abs(jump) >= 0.5 * abs(step)
