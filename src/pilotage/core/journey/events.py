"""Journey events as Ibis tables: one row per event with its ``owner`` (a person or an
account), its instant ``at`` (UTC) and the source's fields; and the owners' attributes
that funnels and retention break down and filter by.

Person level: a touch without a person takes the person its anonymous id was later seen
with, else it belongs to the visitor ``anon:<anonymous_id>`` (who has no attributes).
Account level: an event's own account, else its person's account. Lifecycle stages come
from the people's stage timestamps (an account reaches a stage when its first person does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.types as ir

from pilotage.core.attribution.journeys import ANONYMOUS
from pilotage.core.attribution.milestones import Level
from pilotage.core.journey.steps import SOURCES, STAGE_COLUMNS, EventMatcher, Source
from pilotage.core.kpis.facts.base import UNKNOWN, TableSource
from pilotage.core.kpis.facts.parties import with_party

#: Owner attributes a funnel or a retention table may break down or filter by.
ATTRIBUTES = ("channel", "segment", "tier", "country", "account")


def source_events(tables: TableSource, source: Source, level: Level) -> ir.Table:
    """owner, at and the source's fields (strings) of every event of ``source``."""
    info = SOURCES[source]
    people = tables["people"]
    if source == "stage":
        return _stage_events(people, level)
    t = tables[info.table]
    if source == "touch" and level == "person":
        t = _stitched(t)
    t = with_owner(t, people, level)
    t = t.filter(t.owner.notnull() & t[info.time].notnull())
    return t.select("owner", at=t[info.time], **{f: t[f].cast("string") for f in info.fields})


def matched(tables: TableSource, matcher: EventMatcher, level: Level) -> ir.Table:
    """owner, at of the events ``matcher`` selects."""
    t = source_events(tables, matcher.source, level)
    for field, values in matcher.filters:
        t = t.filter(t[field].isin(list(values)))
    return t.select("owner", "at")


def _stitched(touchpoints: ir.Table) -> ir.Table:
    t = touchpoints
    known = t.filter(t.person_id.notnull() & t.anonymous_id.notnull())
    ids = known.group_by(s_anon=known.anonymous_id).aggregate(s_person=known.person_id.min())
    j = t.left_join(ids, t.anonymous_id == ids.s_anon)
    person = ibis.coalesce(j.person_id, j.s_person, ibis.literal(ANONYMOUS).concat(j.anonymous_id))
    return j.mutate(person_id=person).drop("s_anon", "s_person")


def with_owner(t: ir.Table, people: ir.Table, level: Level) -> ir.Table:
    """``t`` (with ``person_id`` and/or ``account_id``) plus ``owner`` at ``level``."""
    if level == "person":
        return t.mutate(owner=t.person_id.cast("string"))
    if "person_id" not in t.columns:
        return t.mutate(owner=t.account_id.cast("string"))
    lookup = people.select(o_person="person_id", o_account="account_id")
    j = t.left_join(lookup, t.person_id == lookup.o_person)
    return j.mutate(owner=ibis.coalesce(j.account_id, j.o_account)).drop("o_person", "o_account")


def _stage_events(people: ir.Table, level: Level) -> ir.Table:
    owner = people.person_id if level == "person" else people.account_id
    parts = [
        people.select(owner=owner, at=people[column], stage=ibis.literal(stage))
        for stage, column in STAGE_COLUMNS.items()
    ]
    events = ibis.union(*parts)
    events = events.filter(events.owner.notnull() & events.at.notnull())
    if level == "account":
        events = events.group_by(["owner", "stage"]).aggregate(at=events.at.min())
    return events.select("owner", "at", "stage")


def owner_attributes(tables: TableSource, level: Level) -> ir.Table:
    """owner, channel (acquisition channel: the person's, or at account level its first
    person's), segment, tier, country, account; ``unknown`` where the data gives none."""
    people, accounts = tables["people"], tables["accounts"]
    if level == "person":
        # with_party joins the people and accounts again: the base reads its own views.
        base = people.view().select(
            "person_id", "account_id", owner="person_id", channel="acquisition_channel"
        )
    else:
        mine = people.view()
        p = mine.filter(mine.account_id.notnull())
        first = p.mutate(
            rank=ibis.row_number().over(group_by=p.account_id, order_by=[p.created_at, p.person_id])
        )
        first = first.filter(first.rank == 0).select(
            f_account="account_id", f_channel="acquisition_channel"
        )
        known = accounts.view().select("account_id").union(p.select("account_id")).distinct()
        j = known.left_join(first, known.account_id == first.f_account)
        # distinct() closes the join (one row per account either way) before the next one.
        base = j.select(
            person_id=ibis.null("string"),
            account_id=j.account_id,
            owner=j.account_id,
            channel=j.f_channel,
        ).distinct()
    party = with_party(base, people, accounts)
    return party.select(
        "owner",
        channel=party.channel.fill_null(UNKNOWN),
        segment=party.segment,
        tier=party.tier,
        country=party.country,
        account=party.account,
    )


def kept_owners(
    tables: TableSource, level: Level, filters: Mapping[str, Sequence[str]]
) -> ir.Table | None:
    """Owners whose attributes hold one of the kept values of every filter (None: no
    filter). Visitors never identified have no attributes, so any filter drops them."""
    if not filters:
        return None
    a = owner_attributes(tables, level)
    for key, values in filters.items():
        a = a.filter(a[key].isin(list(values)) if values else ibis.literal(False))
    return a.select(k_owner=a.owner)
