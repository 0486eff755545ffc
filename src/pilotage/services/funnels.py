"""Funnels over any sequence of touch, conversion, product, lifecycle-stage or order
events: ``funnel(store, settings, spec) -> FunnelResult`` for the CLI, the API, the
journey page and the journey map.

Also what the journey services share: the tables of the workspace's engine, the end of
the data, and the check that every event name a request uses exists.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pilotage.core.attribution.milestones import Level
from pilotage.core.journey import funnel as fx
from pilotage.core.journey.durations import format_duration, parse_duration
from pilotage.core.journey.funnel_spec import (
    MAX_STEPS,
    Breakdown,
    Exclusion,
    FunnelSpec,
    FunnelStep,
    OrderMode,
)
from pilotage.core.journey.names import asked_values, check_known
from pilotage.core.journey.rates import Rate, step_numbers, wilson
from pilotage.core.journey.steps import SOURCES, STAGE_COLUMNS, EventMatcher, Source, parse_matcher
from pilotage.core.kpis.periods import Period, period_label
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.tables import StoredTables, as_float, as_int

CONFIDENCE = 0.95
#: Breakdown values shown one by one; the rest are summed into OTHER.
MAX_GROUPS = 20
OTHER = "other"
#: The lifecycle funnel the journey page opens on.
LIFECYCLE = tuple(f"stage:{s}" for s in STAGE_COLUMNS)


# -- shared by the journey services ---------------------------------------------------------


def tables_of(store: AnalyticsStore, settings: WorkspaceSettings) -> StoredTables:
    return StoredTables(store, settings.engine)


def data_end(tables: StoredTables, sources: Iterable[Source]) -> datetime.datetime | None:
    """The latest instant (UTC) of the sources' events, None when they hold none."""
    ends: list[datetime.datetime] = []
    for source in dict.fromkeys(sources):
        info = SOURCES[source]
        t = tables[info.table]
        columns = list(STAGE_COLUMNS.values()) if source == "stage" else [info.time]
        row = tables.rows(t.aggregate(**{c: t[c].max() for c in columns}))[0]
        ends += [v for v in row.values() if isinstance(v, datetime.datetime)]
    return max(ends) if ends else None


def check_names(tables: StoredTables, matchers: Sequence[EventMatcher]) -> None:
    """Refuse a value no event of its source holds, with the closest existing values."""
    asked = asked_values(matchers)
    known = {key: distinct_values(tables, *key) for key in asked}
    check_known(asked, known)


def distinct_values(tables: StoredTables, source: Source, field: str) -> set[str]:
    if source == "stage":
        return set(STAGE_COLUMNS)
    t = tables[SOURCES[source].table]
    column = t[field].cast("string")
    found = t.filter(column.notnull()).select(value=column).distinct()
    return {str(r["value"]) for r in tables.rows(found)}


def scoped_filters(
    filters: dict[str, tuple[str, ...]],
    countries: tuple[str, ...] | None,
    account_ids: tuple[str, ...] | None,
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``filters`` narrowed to a user's restriction (countries, accounts): intersected
    with what the request asked, never widened."""
    out = dict(filters)
    for key, allowed in (("country", countries), ("account", account_ids)):
        if allowed is not None:
            asked = out.get(key)
            out[key] = tuple(sorted(set(allowed) & set(asked) if asked is not None else allowed))
    return tuple(sorted(out.items()))


def local_end(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` as an aware UTC instant (a naive instant is UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


# -- the request --------------------------------------------------------------------------


class StepRequest(BaseModel):
    """One step: an event (``conversion:signup``, ``touch.channel:email``...) and its
    limits, as durations (``7d``, ``12h``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event: str = Field(min_length=1, max_length=500)
    label: str | None = Field(default=None, max_length=100)
    within: str | None = Field(default=None, max_length=20, description="From the entry")
    min_gap: str | None = Field(default=None, max_length=20, description="From the step before")
    max_gap: str | None = Field(default=None, max_length=20, description="From the step before")


class ExclusionRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event: str = Field(min_length=1, max_length=500)
    after: int = Field(default=1, ge=1, le=MAX_STEPS)
    before: int | None = Field(default=None, ge=2, le=MAX_STEPS)


class FunnelRequest(BaseModel):
    """A whole funnel, as the API's POST body or a ``--spec`` file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    steps: list[StepRequest] = Field(min_length=2, max_length=MAX_STEPS)
    order: OrderMode = "ordered"
    window: str = Field(default="30d", max_length=20)
    exclusions: list[ExclusionRequest] = Field(default_factory=list, max_length=10)
    level: Level = "person"
    breakdown: Breakdown | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    grain: Period = "month"
    filters: dict[str, list[str]] = Field(default_factory=dict)
    as_of: datetime.datetime | None = None

    def spec(self) -> FunnelSpec:
        steps = tuple(
            FunnelStep(
                parse_matcher(s.event),
                s.label,
                _seconds(s.within, f"step {i} within"),
                _seconds(s.min_gap, f"step {i} min_gap"),
                _seconds(s.max_gap, f"step {i} max_gap"),
            )
            for i, s in enumerate(self.steps, start=1)
        )
        return FunnelSpec(
            steps,
            order=self.order,
            window=parse_duration(self.window, "window"),
            exclusions=tuple(
                Exclusion(parse_matcher(e.event), e.after, e.before) for e in self.exclusions
            ),
            level=self.level,
            breakdown=self.breakdown,
            start=self.start,
            end=self.end,
            filters=tuple((k, tuple(v)) for k, v in sorted(self.filters.items())),
            grain=self.grain,
            as_of=local_end(self.as_of) if self.as_of else None,
        )


def _seconds(text: str | None, name: str) -> int | None:
    return None if text is None else parse_duration(text, name)


def indexed(values: Sequence[str], name: str, steps: int) -> dict[int, str]:
    """``STEP=VALUE`` options (``3=7d``) by step number."""
    out: dict[int, str] = {}
    for raw in values:
        index, sep, value = raw.partition("=")
        if not sep or not index.strip().isdigit() or not value.strip():
            raise UsageError(f"{name} {raw!r} is not STEP=DURATION", fix=f"write e.g. {name} 2=7d")
        k = int(index)
        if not 2 <= k <= steps:
            raise UsageError(
                f"{name} {raw!r} names step {k}, and steps 2 to {steps} have limits",
                fix="number steps from 1 (the entry has no limit)",
            )
        out[k] = value.strip()
    return out


def exclusion_request(text: str) -> ExclusionRequest:
    """``EVENT`` or ``EVENT@A-B`` (between steps A and B)."""
    event, sep, between = text.rpartition("@") if "@" in text else (text, "", "")
    if not sep:
        return ExclusionRequest(event=text)
    a, dash, b = between.partition("-")
    if not (a.strip().isdigit() and dash and b.strip().isdigit()):
        raise UsageError(
            f"exclusion {text!r} is not EVENT@A-B", fix="write e.g. product:cancel@1-3"
        )
    return ExclusionRequest(event=event, after=int(a), before=int(b))


def funnel_request(
    steps: Sequence[str],
    *,
    order: str = "ordered",
    window: str | None = None,
    within: Sequence[str] = (),
    min_gap: Sequence[str] = (),
    max_gap: Sequence[str] = (),
    exclude: Sequence[str] = (),
    level: str = "person",
    breakdown: str | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    grain: str = "month",
    filters: dict[str, list[str]] | None = None,
) -> FunnelRequest:
    """A request from the flat options of the CLI and of GET /api/v1/funnel; without
    steps, the lifecycle stages (window: a year, else 30 days)."""
    chosen = list(steps) or list(LIFECYCLE)
    window = window or ("30d" if steps else "365d")
    n = len(chosen)
    limits = {
        name: indexed(values, name, n)
        for name, values in (("within", within), ("min_gap", min_gap), ("max_gap", max_gap))
    }
    body: dict[str, Any] = {
        "steps": [
            {"event": e, **{name: limits[name].get(i) for name in limits}}
            for i, e in enumerate(chosen, start=1)
        ],
        "order": order,
        "window": window,
        "exclusions": [exclusion_request(x) for x in exclude],
        "level": level,
        "breakdown": breakdown or None,
        "start": start,
        "end": end,
        "grain": grain,
        "filters": filters or {},
    }
    try:
        return FunnelRequest.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{where}: {first['msg']}", fix=_OPTIONS_FIX) from exc


_OPTIONS_FIX = (
    "order ordered|strict|any, level person|account, breakdown channel|segment|tier|"
    "country|first_touch|last_touch, grain day|week|month|quarter|year, 2 to 12 steps"
)


def lifecycle_spec(
    start: datetime.date | None = None, end: datetime.date | None = None
) -> FunnelSpec:
    """Lead -> MQL -> SQL -> opportunity -> customer within a year of the lead."""
    return funnel_request(LIFECYCLE, window="365d", start=start, end=end).spec()


# -- the result ---------------------------------------------------------------------------


class Interval(BaseModel):
    model_config = ConfigDict(frozen=True)

    successes: int
    trials: int
    rate: float | None
    low: float | None
    high: float | None

    @classmethod
    def of(cls, r: Rate) -> Interval:
        return cls(successes=r.successes, trials=r.trials, rate=r.rate, low=r.low, high=r.high)


class StepResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int
    name: str
    event: str
    reached: int
    in_progress: int
    dropped: int
    #: Went on to this step, of those at the step before whose time for it is over.
    conversion: Interval | None
    #: Reached this step / entered (in-progress entrants counted as not converted).
    of_entered: float | None
    median_seconds_from_previous: float | None


class TimeToConvert(BaseModel):
    """Seconds from the entry to the last step, of the converters."""

    model_config = ConfigDict(frozen=True)

    converters: int
    mean_seconds: float | None
    quantiles: dict[str, float | None]


class FunnelGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: str
    entered: int
    excluded: int
    converted: int
    in_progress: int
    conversion: Interval
    steps: list[StepResult]
    time_to_convert: TimeToConvert | None


class TrendPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    period: str
    period_start: datetime.date
    entered: int
    converted: int
    in_progress: int
    conversion: Interval
    median_seconds: float | None


class Bucket(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    upper_seconds: int | None
    converters: int


class FunnelResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    steps: list[str]
    events: list[str]
    order: OrderMode
    window_seconds: int
    level: Level
    breakdown: Breakdown | None
    start: datetime.date | None
    end: datetime.date | None
    data_end: datetime.datetime | None
    confidence: float
    total: FunnelGroup
    groups: list[FunnelGroup]
    trend: list[TrendPoint]
    histogram: list[Bucket]
    rule: str


def funnel(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    spec: FunnelSpec,
    confidence: float = CONFIDENCE,
) -> FunnelResult:
    """Counts per step, conversion with Wilson intervals, in-progress entrants, the
    breakdown, the time to convert (quantiles, histogram) and its trend by entry period."""
    tables = tables_of(store, settings)
    matchers = [s.matcher for s in spec.steps] + [e.matcher for e in spec.exclusions]
    check_names(tables, matchers)
    sources = [m.source for m in matchers]
    end = spec.as_of or data_end(tables, sources)
    n = len(spec.steps)
    empty = _empty(spec, confidence)
    if end is None:
        return empty
    owners = fx.funnel_owners(tables, spec, local_end(end), settings.timezone, tables.dialect)
    with owners.cache() as cached:
        total_row = tables.rows(fx.step_counts(cached, n, by_group=False))[0]
        group_rows = tables.rows(fx.step_counts(cached, n, by_group=True)) if spec.breakdown else []
        trend_rows = tables.rows(fx.trend(cached, n, spec.grain))
        buckets = tables.rows(fx.histogram(cached, n, fx.BUCKET_EDGES))
    total = _group("all", total_row, spec, confidence)
    groups = _groups(group_rows, spec, confidence)
    return empty.model_copy(
        update={
            "data_end": end,
            "total": total,
            "groups": groups,
            "trend": [_point(r, spec.grain, confidence) for r in _sorted(trend_rows)],
            "histogram": _histogram(buckets),
        }
    )


def _sorted(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return sorted(rows, key=lambda r: str(r["period_start"]))


def _group(
    value: str, row: dict[str, object], spec: FunnelSpec, confidence: float, times: bool = True
) -> FunnelGroup:
    n = len(spec.steps)
    reached = [as_int(row.get(f"reached{k}")) for k in range(1, n + 1)]
    open_at = [as_int(row.get(f"open{k}")) for k in range(1, n)]
    mature = [as_int(row.get(f"mature{k}")) for k in range(1, n)]
    advanced = [as_int(row.get(f"advanced{k}")) for k in range(1, n)]
    numbers = step_numbers(reached, open_at, mature, advanced, confidence)
    entered = as_int(row.get("entered"))
    in_progress = sum(open_at)
    steps = [
        StepResult(
            index=k,
            name=s.name,
            event=s.matcher.text,
            reached=num.reached,
            in_progress=num.in_progress,
            dropped=num.dropped,
            conversion=Interval.of(num.rate) if num.rate else None,
            of_entered=num.reached / entered if entered else None,
            median_seconds_from_previous=_float(row.get(f"median{k}"))
            if times and k > 1 and spec.order != "any"
            else None,
        )
        for k, (s, num) in enumerate(zip(spec.steps, numbers, strict=True), start=1)
    ]
    converted = reached[-1]
    timing = None
    if times:
        timing = TimeToConvert(
            converters=converted,
            mean_seconds=_float(row.get("mean")),
            quantiles={
                f"p{round(q * 100)}": _float(row.get(f"q{round(q * 100)}")) for q in fx.QUANTILES
            },
        )
    return FunnelGroup(
        value=value,
        entered=entered,
        excluded=as_int(row.get("excluded")),
        converted=converted,
        in_progress=in_progress,
        conversion=Interval.of(
            wilson(as_int(row.get("converted_mature")), as_int(row.get("mature")), confidence)
        ),
        steps=steps,
        time_to_convert=timing,
    )


def _groups(
    rows: list[dict[str, object]], spec: FunnelSpec, confidence: float
) -> list[FunnelGroup]:
    ranked = sorted(rows, key=lambda r: (-as_int(r["entered"]), str(r["grp"])))
    shown = [_group(str(r["grp"]), r, spec, confidence) for r in ranked[:MAX_GROUPS]]
    rest = ranked[MAX_GROUPS:]
    if rest:
        summed = {
            key: sum(as_int(r.get(key)) for r in rest)
            for key in rest[0]
            if key.startswith(("reached", "open", "mature", "advanced", "converted_mature"))
            or key in ("entered", "excluded")
        }
        shown.append(_group(OTHER, summed, spec, confidence, times=False))  # type: ignore[arg-type]
    return shown


def _point(row: dict[str, object], grain: Period, confidence: float) -> TrendPoint:
    start = row["period_start"]
    assert isinstance(start, datetime.date)
    day = start.date() if isinstance(start, datetime.datetime) else start
    entered, converted, open_, mature, done = (
        as_int(row[k]) for k in ("entered", "converted", "open", "mature", "converted_mature")
    )
    return TrendPoint(
        period=period_label(day, grain),
        period_start=day,
        entered=entered,
        converted=converted,
        in_progress=open_,
        conversion=Interval.of(wilson(done, mature, confidence)),
        median_seconds=_float(row.get("median")),
    )


def _histogram(rows: list[dict[str, object]]) -> list[Bucket]:
    counts = {as_int(r["bucket"]): as_int(r["converters"]) for r in rows}
    edges = fx.BUCKET_EDGES
    out = []
    for i in range(len(edges) + 1):
        low = format_duration(edges[i - 1]) if i else "0"
        label = f"{low}–{format_duration(edges[i])}" if i < len(edges) else f"≥ {low}"
        out.append(
            Bucket(
                label=label,
                upper_seconds=edges[i] if i < len(edges) else None,
                converters=counts.get(i, 0),
            )
        )
    return out


def _float(value: object) -> float | None:
    return None if value is None else as_float(value)


def _empty(spec: FunnelSpec, confidence: float) -> FunnelResult:
    zero = _group("all", {}, spec, confidence)
    return FunnelResult(
        steps=[s.name for s in spec.steps],
        events=[s.matcher.text for s in spec.steps],
        order=spec.order,
        window_seconds=spec.window,
        level=spec.level,
        breakdown=spec.breakdown,
        start=spec.start,
        end=spec.end,
        data_end=None,
        confidence=confidence,
        total=zero,
        groups=[],
        trend=[],
        histogram=_histogram([]),
        rule=_rule(spec),
    )


def _rule(spec: FunnelSpec) -> str:
    order = {
        "ordered": "each step after the one before (other events in between allowed)",
        "strict": "each step the very next event of the funnel's sources",
        "any": "the steps in any order",
    }[spec.order]
    return (
        f"Entry: the first step-1 event of each {spec.level} in the period; {order}, within "
        f"{format_duration(spec.window)} of the entry. Entrants whose window for the next "
        "step is still open when the data ends are in progress, not dropped; conversion "
        "counts only entrants whose time is over (else the fast converters would count "
        f"before the slow droppers), with {round(CONFIDENCE * 100)}% Wilson intervals."
    )


def restrict(
    spec: FunnelSpec, countries: tuple[str, ...] | None, accounts: tuple[str, ...] | None
) -> FunnelSpec:
    """``spec`` within a user's row-level restriction."""
    if countries is None and accounts is None:
        return spec
    return replace(spec, filters=scoped_filters(dict(spec.filter_map), countries, accounts))
