"""Paths of events: the most frequent paths to a conversion and to drop-off, path
lengths, and the next or previous step of an event; for the CLI, the API and the page."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pilotage.core.attribution import journeys as jn
from pilotage.core.attribution.milestones import Level
from pilotage.core.journey import paths as px
from pilotage.core.journey.durations import parse_duration
from pilotage.core.journey.steps import SOURCES, EventMatcher, Source, parse_matcher
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.funnels import check_names, distinct_values, tables_of
from pilotage.services.tables import as_float, as_int

Direction = Literal["next", "previous"]
#: Paths listed per kind, and steps listed per view.
DEFAULT_TOP = 10


def _default_sources() -> list[Source]:
    return ["touch", "conversion"]


class PathsRequest(BaseModel):
    """Paths to ask for, as the API's query or body and the CLI's options."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target: str | None = Field(default="stage:customer", max_length=500)
    sources: list[Source] = Field(default_factory=_default_sources, max_length=5)
    touch_label: px.TouchLabel = "channel"
    level: Level = "person"
    steps: int = Field(default=5, ge=1, le=px.MAX_STEPS)
    lookback: str = Field(default="90d", max_length=20)
    keep_repeats: bool = False
    top: int = Field(default=DEFAULT_TOP, ge=1, le=100)
    around: list[str] = Field(default_factory=list, max_length=5)
    start: datetime.date | None = None
    end: datetime.date | None = None
    filters: dict[str, list[str]] = Field(default_factory=dict)

    def spec(self) -> px.PathSpec:
        return px.PathSpec(
            parse_matcher(self.target) if self.target else None,
            sources=tuple(self.sources),
            touch_label=self.touch_label,
            level=self.level,
            steps=self.steps,
            lookback=parse_duration(self.lookback, "lookback"),
            keep_repeats=self.keep_repeats,
            start=self.start,
            end=self.end,
            filters=tuple((k, tuple(v)) for k, v in sorted(self.filters.items())),
        )

    def events_around(self) -> tuple[EventMatcher, ...]:
        return tuple(parse_matcher(a) for a in self.around)


def paths_request(**options: object) -> PathsRequest:
    """A request from flat options, bad values reported as usage errors."""
    try:
        return PathsRequest.model_validate({k: v for k, v in options.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(
            f"{where}: {first['msg']}",
            fix="sources touch|conversion|product|stage|order, touch_label channel|touch_type, "
            "level person|account, 1 to 12 steps",
        ) from exc


class PathRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    events: list[str]
    converters: float
    dropped: float
    #: Converters / (converters + dropped) of the path.
    conversion: float | None
    #: Of all converters (paths to conversion) or all drop-offs (paths to drop-off).
    share: float | None


class LengthRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    #: Events on the path (the last row counts this many or more).
    length: int
    converters: float
    dropped: float


class StepRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    event: str
    occurrences: int
    owners: int
    share: float
    median_seconds: float | None


class StepView(BaseModel):
    model_config = ConfigDict(frozen=True)

    event: str
    direction: Direction
    occurrences: int
    steps: list[StepRow]


class PathsResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    target: str | None
    sources: list[str]
    level: Level
    steps: int
    lookback_days: float
    start: datetime.date | None
    end: datetime.date | None
    converters: float
    dropped: float
    to_conversion: list[PathRow]
    to_drop_off: list[PathRow]
    lengths: list[LengthRow]
    views: list[StepView]
    rule: str


def paths(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    spec: px.PathSpec,
    *,
    top: int = DEFAULT_TOP,
    around: tuple[EventMatcher, ...] = (),
) -> PathsResult:
    """Top ``top`` paths each way, the length distribution, and for each event of
    ``around`` what comes next and what came before."""
    tables = tables_of(store, settings)
    check_names(tables, [*((spec.target,) if spec.target else ()), *around])
    rows = px.path_rows(tables, spec, settings.timezone, tables.dialect)
    with rows.cache() as cached:
        vocabulary = sorted(str(r["label"]) for r in tables.rows(px.labels(cached)))
        encoding = jn.Encoding(
            channels=tuple(vocabulary) or ("-",),
            max_age=0,
            max_length=spec.steps + 1,
            with_ages=False,
        )
        found = tables.backend.to_pyarrow(jn.path_patterns(cached, encoding))
        length_rows = tables.rows(px.lengths(cached))
    columns = {n: found.column(n).to_numpy(zero_copy_only=False) for n in found.column_names}
    counts = jn.decode(columns, encoding)
    listed = [
        (
            [counts.channels[i] for i in counts.touches[counts.offsets[p] : counts.offsets[p + 1]]],
            float(counts.conversions[p]),
            float(counts.nulls[p]),
        )
        for p in range(len(counts.conversions))
    ]
    converters = float(counts.conversions.sum())
    dropped = float(counts.nulls.sum())
    views = [
        view
        for event in around
        for view in (
            _view(store, settings, spec, event, "next"),
            _view(store, settings, spec, event, "previous"),
        )
    ]
    return PathsResult(
        target=spec.target.text if spec.target else None,
        sources=list(spec.sources),
        level=spec.level,
        steps=spec.steps,
        lookback_days=spec.lookback / 86_400,
        start=spec.start,
        end=spec.end,
        converters=converters,
        dropped=dropped,
        to_conversion=_top(listed, 1, converters, top),
        to_drop_off=_top(listed, 2, dropped, top),
        lengths=sorted(
            (
                LengthRow(
                    length=as_int(r["length"]),
                    converters=as_float(r["converters"]),
                    dropped=as_float(r["dropped"]),
                )
                for r in length_rows
            ),
            key=lambda r: r.length,
        ),
        views=views,
        rule=_rule(spec),
    )


def _top(
    listed: list[tuple[list[str], float, float]], by: int, total: float, top: int
) -> list[PathRow]:
    def count(p: tuple[list[str], float, float]) -> float:
        return p[1] if by == 1 else p[2]

    ranked = sorted((p for p in listed if count(p) > 0), key=lambda p: (-count(p), p[0]))[:top]
    return [
        PathRow(
            events=events,
            converters=conv,
            dropped=drop,
            conversion=conv / (conv + drop) if conv + drop else None,
            share=(conv if by == 1 else drop) / total if total else None,
        )
        for events, conv, drop in ranked
    ]


def _view(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    spec: px.PathSpec,
    event: EventMatcher,
    direction: Direction,
) -> StepView:
    tables = tables_of(store, settings)
    rows = tables.rows(
        px.step_view(tables, spec, event, direction, settings.timezone, tables.dialect)
    )
    total = sum(as_int(r["occurrences"]) for r in rows)
    ranked = sorted(rows, key=lambda r: (-as_int(r["occurrences"]), str(r["label"])))
    steps = [
        StepRow(
            event=str(r["label"]),
            occurrences=as_int(r["occurrences"]),
            owners=as_int(r["owners"]),
            share=as_int(r["occurrences"]) / total if total else 0.0,
            median_seconds=None if r["median"] is None else as_float(r["median"]),
        )
        for r in ranked[: DEFAULT_TOP * 2]
    ]
    return StepView(event=event.text, direction=direction, occurrences=total, steps=steps)


def _rule(spec: px.PathSpec) -> str:
    repeats = "kept" if spec.keep_repeats else "collapsed into one"
    target = spec.target.text if spec.target else "none"
    return (
        f"Events of {', '.join(spec.sources)} per {spec.level}, repeats {repeats}. A path "
        f"to conversion ({target}) holds the events before the first conversion; a path "
        "to drop-off those up to the last event of someone who never converted. Only the "
        f"last {spec.steps} events within {spec.lookback / 86_400:g} days are shown, after "
        f"{px.ELLIPSIS} when there were more."
    )


class EventCatalogue(BaseModel):
    """Every event name a funnel, path or retention step can use, as written."""

    model_config = ConfigDict(frozen=True)

    events: dict[str, list[str]]


def event_catalogue(store: AnalyticsStore, settings: WorkspaceSettings) -> EventCatalogue:
    tables = tables_of(store, settings)
    out: dict[str, list[str]] = {}
    for source, info in SOURCES.items():
        names = distinct_values(tables, source, info.name_field)
        out[source] = [EventMatcher(source, ((info.name_field, (n,)),)).text for n in sorted(names)]
    return EventCatalogue(events=out)
