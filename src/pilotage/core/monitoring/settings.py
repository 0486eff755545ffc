"""How a monitoring run looks at the data: windows, thresholds and the rules' options."""

from __future__ import annotations

from dataclasses import dataclass, field

from pilotage.core.monitoring.anomaly import DetectorSettings


@dataclass(frozen=True)
class MonitorSettings:
    """``history_weeks`` of complete weeks are scored; a lasting shift older than
    ``lookback_weeks`` is no longer news. A series whose events (its count, or its
    denominator's) are below ``min_weekly_events`` a week (median) is too noisy to score.
    Pacing flags a channel off plan by ``pacing_tolerance`` (relative) and by at least
    ``pacing_min_share`` of its monthly plan. CPA drift compares the last
    ``drift_recent_weeks`` with the ``drift_baseline_weeks`` before them."""

    history_weeks: int = 156
    lookback_weeks: int = 52
    detector: DetectorSettings = field(default_factory=DetectorSettings)
    min_weekly_events: float = 25.0
    pacing_tolerance: float = 0.15
    pacing_min_share: float = 0.02
    drift_recent_weeks: int = 4
    drift_baseline_weeks: int = 13
    drift_min_change: float = 0.2
    drift_z: float = 3.0
    cpa_metrics: tuple[str, ...] = ("cpa", "cpl")
    #: Changes of one slice starting within this many weeks are one event.
    group_weeks: int = 2
    #: A change found again within this many weeks of a stored one is the same alert.
    same_change_weeks: int = 4

    def __post_init__(self) -> None:
        if self.history_weeks < self.detector.min_weeks:
            raise ValueError(
                f"history_weeks must be at least {self.detector.min_weeks} (the detector's "
                "minimum series length)"
            )
        if not 1 <= self.lookback_weeks <= self.history_weeks:
            raise ValueError("lookback_weeks must be between 1 and history_weeks")
        if not 0 < self.pacing_tolerance < 1:
            raise ValueError("pacing_tolerance must be between 0 and 1")
        if self.drift_recent_weeks < 1 or self.drift_baseline_weeks < 1:
            raise ValueError("the drift windows need at least one week each")
        if self.drift_z <= 0 or self.drift_min_change <= 0:
            raise ValueError("drift_z and drift_min_change must be positive")
