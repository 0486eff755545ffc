"""What a journey event is: its source (a canonical table) and the values that select it.

An event matcher is written ``SOURCE[.FIELD]:VALUE[|VALUE...]``, with more conditions
after ``&`` as ``FIELD:VALUE[|VALUE...]``; a bare ``SOURCE`` (or ``SOURCE:*``) is any event
of the source. Examples: ``touch:form_submit``, ``touch.channel:email|paid_search``,
``conversion:signup``, ``product:login``, ``stage:mql``, ``touch:visit&channel:paid_search``.
The default field of each source is the event's name (touch type, conversion type,
product event, lifecycle stage, ordered product).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from pilotage.errors import UsageError, plain_text

Source = Literal["touch", "conversion", "product", "stage", "order"]
SOURCE_NAMES: tuple[Source, ...] = get_args(Source)
#: Lifecycle stages and the people column holding when each was reached.
STAGE_COLUMNS: dict[str, str] = {
    "lead": "created_at",
    "mql": "mql_at",
    "sql": "sql_at",
    "opportunity": "opportunity_at",
    "customer": "customer_at",
}


@dataclass(frozen=True)
class SourceInfo:
    """The canonical table of a source, its time column and the fields a matcher may
    name (the first is the default: the event's name)."""

    table: str
    time: str
    fields: tuple[str, ...]

    @property
    def name_field(self) -> str:
        return self.fields[0]


SOURCES: dict[Source, SourceInfo] = {
    "touch": SourceInfo(
        "touchpoints",
        "touched_at",
        ("touch_type", "channel", "campaign_id", "source", "medium", "landing_page"),
    ),
    "conversion": SourceInfo("conversions", "converted_at", ("conversion_type",)),
    "product": SourceInfo("product_events", "occurred_at", ("event",)),
    "stage": SourceInfo("people", "created_at", ("stage",)),
    "order": SourceInfo("orders", "ordered_at", ("product",)),
}
_FIX = (
    "write SOURCE[.FIELD]:VALUE[|VALUE...] with SOURCE one of "
    + ", ".join(SOURCE_NAMES)
    + " (e.g. conversion:signup, touch.channel:email, product:login|export)"
)


@dataclass(frozen=True)
class EventMatcher:
    """Events of ``source`` whose every filtered field holds one of its values (no
    filter: every event of the source). Filters are sorted by field, values sorted."""

    source: Source
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise UsageError(f"unknown event source {self.source!r}", fix=_FIX)
        info = SOURCES[self.source]
        seen: dict[str, tuple[str, ...]] = {}
        for field, values in self.filters:
            if field not in info.fields:
                raise UsageError(
                    f"{self.source} events have no field {field!r}",
                    fix=f"use one of: {', '.join(info.fields)}",
                )
            if field in seen:
                raise UsageError(
                    f"{self.source} field {field!r} is filtered twice",
                    fix="list its values once, separated by |",
                )
            cleaned = tuple(sorted({v.strip() for v in values if v.strip()}))
            if not cleaned:
                raise UsageError(f"{self.source}.{field} has no value", fix=_FIX)
            plain_text(f"{self.source}.{field}", cleaned, _FIX)
            if self.source == "stage":
                unknown = [v for v in cleaned if v not in STAGE_COLUMNS]
                if unknown:
                    raise UsageError(
                        f"unknown lifecycle stage(s) {', '.join(map(repr, unknown))}",
                        fix=f"use {', '.join(STAGE_COLUMNS)}",
                    )
            seen[field] = cleaned
        object.__setattr__(self, "filters", tuple(sorted(seen.items())))

    @property
    def text(self) -> str:
        """The canonical written form (parses back to an equal matcher)."""
        if not self.filters:
            return self.source
        name = SOURCES[self.source].name_field
        parts: list[str] = []
        for field, values in self.filters:
            head = field if parts else (self.source if field == name else f"{self.source}.{field}")
            parts.append(f"{head}:{'|'.join(values)}")
        return "&".join(parts)

    def values(self, field: str) -> tuple[str, ...] | None:
        """The values kept for ``field`` (None: not filtered)."""
        return dict(self.filters).get(field)

    def overlaps(self, other: EventMatcher) -> bool:
        """True when one event could match both (same source, no field whose kept values
        are disjoint)."""
        if self.source != other.source:
            return False
        mine = dict(self.filters)
        for field, values in other.filters:
            if field in mine and not set(mine[field]) & set(values):
                return False
        return True


def parse_matcher(text: str) -> EventMatcher:
    """An :class:`EventMatcher` from its written form (see the module's docstring)."""
    plain_text("event", (text,), _FIX)
    parts = [p.strip() for p in text.split("&")]
    if not parts[0]:
        raise UsageError("an event needs a source", fix=_FIX)
    head, sep, first_values = parts[0].partition(":")
    source, dot, field = head.strip().partition(".")
    source = source.strip().lower()
    if source not in SOURCES:
        raise UsageError(f"unknown event source {source!r} in {text!r}", fix=_FIX)
    info = SOURCES[source]
    filters: list[tuple[str, tuple[str, ...]]] = []
    if sep and first_values.strip() != "*":
        filters.append((field.strip() if dot else info.name_field, _values(first_values, text)))
    elif dot:
        raise UsageError(f"{text!r} names a field but no value", fix=_FIX)
    for part in parts[1:]:
        name, sep, values = part.partition(":")
        if not sep or not name.strip():
            raise UsageError(f"condition {part!r} of {text!r} needs FIELD:VALUE", fix=_FIX)
        filters.append((name.strip(), _values(values, text)))
    return EventMatcher(source, tuple(filters))


def _values(raw: str, text: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in raw.split("|") if v.strip())
    if not values:
        raise UsageError(f"{text!r} has an empty value", fix=_FIX)
    return values
