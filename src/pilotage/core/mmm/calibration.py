"""Experiment lifts turned into ROAS observations the mix model calibrates on (pure).

A lift test of a channel (a geo holdout, an on/off test) measures the incremental KPI its
spend produced over the test weeks, with a standard error. Divided by the channel's spend
over those weeks it is a ROAS over those weeks, which the model also predicts: the fit then
treats the experiment as one more, usually sharp, piece of evidence (Robyn's and
PyMC-Marketing's lift calibration work the same way).

A saved experiment analysis (``LiftResult``) gives a per-unit difference between the variant
(units exposed to the channel) and the control (held out): the incremental KPI is that
difference times the variant's units, and its standard error comes from the interval.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from statistics import NormalDist

from pilotage.core.mmm.design import WeeklyData, window_mask
from pilotage.core.mmm.spec import KpiKind, LiftCalibration

#: Experiment metrics whose difference times units is an incremental KPI, by KPI kind:
#: value per unit for revenue; conversions per unit (or the conversion rate) for counts.
METRICS_FOR_KPI: dict[KpiKind, tuple[str, ...]] = {
    "revenue": ("mean",),
    "conversions": ("conversion", "count"),
}


@dataclass(frozen=True)
class ExperimentLift:
    """The numbers of a saved experiment analysis that calibration needs."""

    source: str  # experiment id and variant
    channel: str
    metric: str
    difference: str  # scale of ci_low / ci_high: "absolute" or "relative"
    alpha: float
    units: int  # variant units (exposed to the channel)
    control_mean: float
    lift_abs: float  # per unit
    ci_low: float | None
    ci_high: float | None
    start: datetime.date | None
    end: datetime.date | None


def channel_spend(
    data: WeeklyData, channel: str, start: datetime.date | None, end: datetime.date | None
) -> float:
    """EUR the table spent on ``channel`` in the weeks overlapping ``start``..``end``."""
    k = data.channels.index(channel)
    return float((window_mask(data.weeks, start, end) * data.spend[:, k]).sum())


def lift_from_totals(
    data: WeeklyData,
    channel: str,
    lift: float,
    std_error: float,
    start: datetime.date | None,
    end: datetime.date | None,
    spend: float | None = None,
    source: str = "",
) -> LiftCalibration:
    """A measured incremental KPI ``lift`` (with its standard error) over ``start``..``end``
    on ``spend`` EUR (default: the table's spend of the channel over those weeks)."""
    if channel not in data.channels:
        raise ValueError(
            f"lift {source or ''} is for {channel!r}, not one of {list(data.channels)}"
        )
    used = channel_spend(data, channel, start, end) if spend is None else spend
    if not used > 0:
        raise ValueError(
            f"lift {source} for {channel}: no spend from {start} to {end} to divide by"
        )
    return LiftCalibration(channel, lift / used, std_error / used, start, end, source)


def lift_from_experiment(data: WeeklyData, kpi: KpiKind, e: ExperimentLift) -> LiftCalibration:
    """The ROAS a saved experiment analysis measured; ValueError says why it cannot serve."""
    if e.metric not in METRICS_FOR_KPI[kpi]:
        raise ValueError(
            f"{e.source}: a {e.metric} difference does not measure a {kpi} KPI "
            f"(usable: {', '.join(METRICS_FOR_KPI[kpi])})"
        )
    if e.ci_low is None or e.ci_high is None or not e.ci_high > e.ci_low:
        raise ValueError(f"{e.source}: the analysis has no interval to weigh it by")
    if e.start is None or e.end is None:
        raise ValueError(f"{e.source}: the exposure period is unknown")
    z = NormalDist().inv_cdf(1.0 - e.alpha / 2.0)
    se = (e.ci_high - e.ci_low) / (2.0 * z)
    if e.difference == "relative":
        se *= abs(e.control_mean)
    if not (se > 0 and math.isfinite(se)):
        raise ValueError(f"{e.source}: the interval gives no usable standard error")
    return lift_from_totals(
        data, e.channel, e.lift_abs * e.units, se * e.units, e.start, e.end, source=e.source
    )
