"""What a funnel is: its steps, their order and time limits, exclusions, whose journey
(person or account), the entry period and how to break it down. Validated when built.

Times are whole seconds. ``window`` is the conversion window: every step must happen
within it of the entry (step 1). A step may narrow it (``within``: reached at most that
long after the entry, PostHog's per-step conversion window) and bound the gap since the
step before (``min_gap``, ``max_gap``). Order: ``ordered`` (each step after the previous
one, other events in between allowed), ``strict`` (each step the very next event of the
funnel's sources) or ``any`` (the steps in any order, within the window of the first).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from pilotage.core.attribution.milestones import Level
from pilotage.core.journey.durations import check_seconds, format_duration
from pilotage.core.journey.events import ATTRIBUTES
from pilotage.core.journey.steps import EventMatcher
from pilotage.core.kpis.periods import Period
from pilotage.errors import UsageError

OrderMode = Literal["ordered", "strict", "any"]
ORDER_MODES: tuple[OrderMode, ...] = get_args(OrderMode)
Breakdown = Literal["channel", "segment", "tier", "country", "first_touch", "last_touch"]
BREAKDOWNS: tuple[Breakdown, ...] = get_args(Breakdown)
LEVELS: tuple[Level, ...] = ("person", "account")
PERIODS: tuple[Period, ...] = ("day", "week", "month", "quarter", "year")
MAX_STEPS = 12
DEFAULT_WINDOW = 30 * 86_400


@dataclass(frozen=True)
class FunnelStep:
    matcher: EventMatcher
    #: Display name (default: the matcher's written form).
    label: str | None = None
    within: int | None = None
    min_gap: int | None = None
    max_gap: int | None = None

    @property
    def name(self) -> str:
        return self.label or self.matcher.text


@dataclass(frozen=True)
class Exclusion:
    """Owners with an event of ``matcher`` after step ``after`` and before step
    ``before`` (1-based; None: the last step) leave the funnel altogether."""

    matcher: EventMatcher
    after: int = 1
    before: int | None = None


def _check_level(level: str) -> Level:
    if level not in LEVELS:
        raise UsageError(f"unknown level {level!r}", fix="use person or account")
    return level


@dataclass(frozen=True)
class FunnelSpec:
    steps: tuple[FunnelStep, ...]
    order: OrderMode = "ordered"
    window: int = DEFAULT_WINDOW
    exclusions: tuple[Exclusion, ...] = ()
    level: Level = "person"
    breakdown: Breakdown | None = None
    #: Entry (step 1) days kept, local and inclusive (None: open-ended).
    start: datetime.date | None = None
    end: datetime.date | None = None
    #: Owner attribute -> values kept (see events.ATTRIBUTES).
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Granularity of the trend by entry period.
    grain: Period = "month"
    #: When the data ends (UTC): windows still open then are in progress. None: the
    #: latest event of the funnel's sources.
    as_of: datetime.datetime | None = None
    filter_map: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.steps)
        if not 2 <= n <= MAX_STEPS:
            raise UsageError(
                f"a funnel has {n} step(s)", fix=f"give between 2 and {MAX_STEPS} steps"
            )
        if self.order not in ORDER_MODES:
            raise UsageError(f"unknown order {self.order!r}", fix="use ordered, strict or any")
        _check_level(self.level)
        if self.breakdown is not None and self.breakdown not in BREAKDOWNS:
            raise UsageError(
                f"unknown breakdown {self.breakdown!r}", fix=f"use one of: {', '.join(BREAKDOWNS)}"
            )
        if self.grain not in PERIODS:
            raise UsageError(f"unknown grain {self.grain!r}", fix=f"use {', '.join(PERIODS)}")
        check_seconds(self.window, "window")
        if self.start and self.end and self.start > self.end:
            raise UsageError(
                f"start {self.start} is after end {self.end}",
                fix="give a start date on or before the end date",
            )
        for index, step in enumerate(self.steps, start=1):
            self._check_step(index, step)
        if self.exclusions and self.order == "any":
            raise UsageError(
                "exclusions sit between two steps, and an any-order funnel has no between",
                fix="use order ordered or strict, or drop the exclusions",
            )
        for exclusion in self.exclusions:
            self._check_exclusion(exclusion)
        filters: dict[str, tuple[str, ...]] = {}
        for key, values in self.filters:
            if key not in ATTRIBUTES:
                raise UsageError(
                    f"cannot filter funnels on {key!r}", fix=f"use {', '.join(ATTRIBUTES)}"
                )
            filters[key] = tuple(sorted(set(values)))
        object.__setattr__(self, "filter_map", filters)

    def _check_step(self, index: int, step: FunnelStep) -> None:
        where = f"step {index} ({step.name})"
        for name in ("within", "min_gap", "max_gap"):
            value = getattr(step, name)
            if value is not None:
                check_seconds(value, f"{where} {name}")
        if index == 1 and (step.within or step.min_gap or step.max_gap):
            raise UsageError(
                f"{where} is the entry: it has no window or gap",
                fix="set within, min_gap and max_gap on later steps",
            )
        if self.order == "any" and (step.min_gap or step.max_gap):
            raise UsageError(
                f"{where}: gaps between steps need an order, and this funnel is any-order",
                fix="use order ordered or strict, or drop min_gap and max_gap",
            )
        if step.within is not None and step.within > self.window:
            raise UsageError(
                f"{where} within {format_duration(step.within)} is longer than the funnel's "
                f"window {format_duration(self.window)}",
                fix="widen the window or shorten the step's",
            )
        if step.min_gap is not None:
            limit = min(v for v in (step.max_gap, step.within, self.window) if v is not None)
            if step.min_gap >= limit:
                raise UsageError(
                    f"{where} min_gap {format_duration(step.min_gap)} leaves no time before "
                    f"its limit {format_duration(limit)}",
                    fix="give a min_gap shorter than the step's max_gap and window",
                )

    def _check_exclusion(self, exclusion: Exclusion) -> None:
        n = len(self.steps)
        before = exclusion.before if exclusion.before is not None else n
        if not 1 <= exclusion.after < before <= n:
            raise UsageError(
                f"exclusion {exclusion.matcher.text} between steps {exclusion.after} and "
                f"{before} is not inside the funnel's {n} steps",
                fix=f"give 1 <= after < before <= {n}",
            )
        for index in range(exclusion.after, before + 1):
            if self.steps[index - 1].matcher == exclusion.matcher:
                raise UsageError(
                    f"exclusion {exclusion.matcher.text} is step {index} itself",
                    fix="exclude an event that is not a step of that range",
                )

    def limit(self, index: int) -> int:
        """Seconds after the entry by which step ``index`` (1-based) must happen."""
        within = self.steps[index - 1].within
        return self.window if within is None else within

    def before(self, exclusion: Exclusion) -> int:
        return exclusion.before if exclusion.before is not None else len(self.steps)

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources the steps read, in step order, each once."""
        return tuple(dict.fromkeys(s.matcher.source for s in self.steps))
