"""Paths of events as Ibis expressions: the most frequent paths to a conversion and to
drop-off, path lengths, and the step after (or before) a given event.

The stream is every event of the chosen sources, labelled by its name (``touch:visit``,
``touch.channel:email``, ``conversion:signup``...), ordered by time per owner; consecutive
repeats of one label are collapsed unless asked otherwise. A converter's path is the events
before their first target event (within the lookback); anyone else's path ends at their
last event: a drop-off path. Only the last ``steps`` events are kept, after an ``…`` when
the path was longer. Paths are packed into integers by the attribution journeys' encoding
(:func:`pilotage.core.attribution.journeys.path_patterns`), so only distinct paths leave
the engine and the expressions compile on Spark (no ordered string aggregation).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

import ibis
import ibis.expr.types as ir

from pilotage.core.attribution.milestones import Level
from pilotage.core.journey.clock import elapsed
from pilotage.core.journey.durations import check_seconds
from pilotage.core.journey.events import ATTRIBUTES, kept_owners, source_events
from pilotage.core.journey.steps import SOURCE_NAMES, SOURCES, EventMatcher, Source
from pilotage.core.kpis.facts.base import TableSource
from pilotage.core.kpis.periods import Dialect, local_date
from pilotage.errors import UsageError

TouchLabel = Literal["touch_type", "channel"]
TOUCH_LABELS: tuple[TouchLabel, ...] = get_args(TouchLabel)
#: Label of the events cut from the front of a long path.
ELLIPSIS = "…"
#: Labels of "no event before" and "no event after" in the step views.
START, END = "(start)", "(end)"
#: Longest path kept, and longest length counted one by one (longer: this many, "or more").
MAX_STEPS, MAX_LENGTH = 12, 30


@dataclass(frozen=True)
class PathSpec:
    """``target``: the conversion ending a converter's path (None: every path is a
    drop-off path, ending at the owner's last event). ``lookback``: seconds before the
    path's end from which events count. ``start``/``end``: local days of the path's end."""

    target: EventMatcher | None
    sources: tuple[Source, ...] = ("touch", "conversion")
    touch_label: TouchLabel = "channel"
    level: Level = "person"
    steps: int = 5
    lookback: int = 90 * 86_400
    keep_repeats: bool = False
    start: datetime.date | None = None
    end: datetime.date | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    filter_map: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = [s for s in self.sources if s not in SOURCES]
        if unknown or not self.sources:
            raise UsageError(
                f"unknown or missing path sources {unknown}",
                fix=f"use some of: {', '.join(SOURCE_NAMES)}",
            )
        object.__setattr__(self, "sources", tuple(dict.fromkeys(self.sources)))
        if self.touch_label not in TOUCH_LABELS:
            raise UsageError(
                f"touches cannot be labelled by {self.touch_label!r}",
                fix="use touch_type or channel",
            )
        if not 1 <= self.steps <= MAX_STEPS:
            raise UsageError(
                f"{self.steps} steps per path is out of range", fix=f"use 1 to {MAX_STEPS}"
            )
        if self.level not in ("person", "account"):
            raise UsageError(f"unknown level {self.level!r}", fix="use person or account")
        check_seconds(self.lookback, "lookback")
        if self.start and self.end and self.start > self.end:
            raise UsageError(
                f"start {self.start} is after end {self.end}",
                fix="give a start date on or before the end date",
            )
        filters = {}
        for key, values in self.filters:
            if key not in ATTRIBUTES:
                raise UsageError(
                    f"cannot filter paths on {key!r}", fix=f"use {', '.join(ATTRIBUTES)}"
                )
            filters[key] = tuple(sorted(set(values)))
        object.__setattr__(self, "filter_map", filters)

    def label_field(self, source: Source) -> str:
        return self.touch_label if source == "touch" else SOURCES[source].name_field


def label_of(source: Source, field_name: str, value: str) -> str:
    """The written matcher of one event name (``touch.channel:email``)."""
    return EventMatcher(source, ((field_name, (value,)),)).text


def stream(tables: TableSource, spec: PathSpec, flags: Sequence[EventMatcher] = ()) -> ir.Table:
    """owner, at, label and one boolean ``f<i>`` per matcher of ``flags`` (the event
    matches it), repeats collapsed unless ``spec.keep_repeats``."""
    parts = []
    for source in spec.sources:
        ev = source_events(tables, source, spec.level)
        name = spec.label_field(source)
        prefix = source if name == SOURCES[source].name_field else f"{source}.{name}"
        marks = {}
        for i, matcher in enumerate(flags):
            hit: ir.BooleanValue = ibis.literal(matcher.source == source)
            if matcher.source == source:
                for column, values in matcher.filters:
                    hit = hit & ev[column].isin(list(values))
            marks[f"f{i}"] = hit
        label = ibis.literal(f"{prefix}:").concat(ev[name].fill_null("?"))
        parts.append(ev.select("owner", "at", label=label, **marks))
    u = ibis.union(*parts) if len(parts) > 1 else parts[0]
    kept = kept_owners(tables, spec.level, spec.filter_map)
    if kept is not None:
        u = u.semi_join(kept, u.owner == kept.k_owner)
    if spec.keep_repeats:
        return u
    before = u.label.lag().over(group_by=u.owner, order_by=[u.at, u.label])
    u = u.mutate(before=before)
    return u.filter(u.before.isnull() | (u.before != u.label)).drop("before")


def path_rows(
    tables: TableSource,
    spec: PathSpec,
    zone: str,
    dialect: Dialect = "duckdb",
) -> ir.Table:
    """One row per kept event of every path: owner, journey, position (0 first), length
    (events kept, with the ellipsis), full (events on the whole path), conversions (1 for
    a converter), value, age, stage, channel (the label) — the columns of the attribution
    journeys' path packing."""
    u = stream(tables, spec)
    if spec.target is not None:
        target = source_events(tables, spec.target.source, spec.level)
        for column, values in spec.target.filters:
            target = target.filter(target[column].isin(list(values)))
        firsts = target.group_by(c_owner=target.owner).aggregate(c_at=target.at.min())
        j = u.left_join(firsts, u.owner == firsts.c_owner)
        converter = j.c_at.notnull()
    else:
        j = u.mutate(c_at=ibis.null(u.at.type()))
        converter = ibis.literal(False)
    last = j.at.max().over(group_by=j.owner)
    j = j.mutate(converter=converter, last_at=last)
    # A converter's path ends just before the conversion; anyone else's at their last event.
    j = j.mutate(end_at=ibis.ifelse(j.converter, j.c_at, j.last_at))
    inside = ibis.ifelse(j.converter, j.at < j.end_at, j.at <= j.end_at)
    j = j.filter(inside & (elapsed(j.end_at, j.at, dialect) <= spec.lookback))
    if spec.start is not None or spec.end is not None:
        day = local_date(j.end_at, zone, dialect)
        if spec.start is not None:
            j = j.filter(day >= spec.start)
        if spec.end is not None:
            j = j.filter(day <= spec.end)
    back = ibis.row_number().over(group_by=j.owner, order_by=[j.at.desc(), j.label.desc()])
    j = j.mutate(back=back, full=j.at.count().over(group_by=j.owner))
    j = j.filter(j.back <= spec.steps)
    kept = ibis.least(j.full, ibis.literal(spec.steps + 1))
    label = ibis.ifelse(j.back == spec.steps, ibis.literal(ELLIPSIS), j.label)
    return j.select(
        "owner",
        journey=ibis.literal("j"),
        position=(kept - 1 - j.back).cast("int64"),
        length=kept.cast("int64"),
        full=j.full.cast("int64"),
        conversions=ibis.ifelse(j.converter, 1.0, 0.0),
        value=ibis.literal(0.0),
        age=ibis.literal(0),
        stage=ibis.literal(0),
        channel=label,
    )


def lengths(rows: ir.Table) -> ir.Table:
    """Paths by full length (capped at MAX_LENGTH): length, converters, dropped."""
    per = rows.group_by("owner").aggregate(full=rows.full.max(), conversions=rows.conversions.max())
    per = per.mutate(length=ibis.least(per.full, ibis.literal(MAX_LENGTH)))
    return per.group_by("length").aggregate(
        converters=per.conversions.sum(), dropped=(1.0 - per.conversions).sum()
    )


def step_view(
    tables: TableSource,
    spec: PathSpec,
    event: EventMatcher,
    direction: Literal["next", "previous"],
    zone: str,
    dialect: Dialect = "duckdb",
) -> ir.Table:
    """What comes right after (or before) each occurrence of ``event`` in the stream:
    label (END / START when nothing), occurrences, owners and the median seconds between
    them (null at END / START)."""
    u = stream(tables, spec, (event,))
    order = [u.at, u.label]
    if direction == "next":
        other = u.label.lead().over(group_by=u.owner, order_by=order)
        other_at = u.at.lead().over(group_by=u.owner, order_by=order)
    else:
        other = u.label.lag().over(group_by=u.owner, order_by=order)
        other_at = u.at.lag().over(group_by=u.owner, order_by=order)
    u = u.mutate(other=other, other_at=other_at)
    u = u.filter(u.f0)
    if spec.start is not None or spec.end is not None:
        day = local_date(u.at, zone, dialect)
        if spec.start is not None:
            u = u.filter(day >= spec.start)
        if spec.end is not None:
            u = u.filter(day <= spec.end)
    seconds = elapsed(u.other_at, u.at, dialect)
    u = u.mutate(
        label=u.other.fill_null(END if direction == "next" else START),
        seconds=seconds.abs(),
    )
    return u.group_by("label").aggregate(
        occurrences=u.count(), owners=u.owner.nunique(), median=u.seconds.quantile(0.5)
    )


def labels(rows: ir.Table) -> ir.Table:
    """The distinct labels on the paths (the packing's vocabulary)."""
    return rows.select(label=rows.channel).distinct()
