"""A funnel as Ibis expressions: one row per entrant (how far they got, when, whether
their window is still open, whether an exclusion removed them), then its aggregates.

Set-based only (joins and window functions, no loop over people), so the same expressions
run on DuckDB and on Spark:

- ordered: the entry is the owner's first step-1 event in the period; each later step is
  the first matching event after the previous step (at the same instant allowed unless one
  event could match both steps), within its limits. One left join per step.
- strict: every event of the funnel's sources is numbered per owner; a step must be the
  very next event (``lead``), and of all the owner's step-1 events in the period the one
  that goes furthest (then the earliest) is kept.
- any: the entry is the owner's first event of any step in the period; each step's first
  event in its window after the entry counts; depth is the number of steps done.

An entrant who stopped at step k while the window for step k + 1 is still open when the
data ends is in progress at k: not counted as dropped.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from pilotage.core.journey.clock import elapsed
from pilotage.core.journey.events import kept_owners, matched, owner_attributes, source_events
from pilotage.core.journey.funnel_spec import FunnelSpec
from pilotage.core.journey.steps import SOURCES
from pilotage.core.kpis.facts.base import UNKNOWN, TableSource
from pilotage.core.kpis.periods import Dialect, local_date, period_start

#: Quantiles of the time to convert, in the result's order.
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
#: Upper edges (seconds) of the time-to-convert histogram; the last bucket is open.
BUCKET_EDGES = (
    3_600,
    6 * 3_600,
    86_400,
    3 * 86_400,
    7 * 86_400,
    14 * 86_400,
    30 * 86_400,
    60 * 86_400,
    90 * 86_400,
    180 * 86_400,
    365 * 86_400,
)


def t(k: int) -> str:
    """Column of the instant step ``k`` (1-based) was reached."""
    return f"t{k}"


def step_at(k: int) -> str:
    """Column of the instant step ``k`` was done in an any-order funnel."""
    return f"s{k}"


def gap(k: int) -> str:
    """Column of the seconds between step ``k - 1`` and step ``k``."""
    return f"gap{k}"


def funnel_owners(
    tables: TableSource,
    spec: FunnelSpec,
    data_end: datetime.datetime,
    zone: str,
    dialect: Dialect = "duckdb",
) -> ir.Table:
    """One row per entrant: owner, grp (breakdown value, ``all`` without), entry_day,
    depth (steps reached, >= 1), open (the window for the next step is still open),
    closed1..closed{n-1} (reached step k: the time for k + 1 is over), closed (the whole
    window is over), excluded, t1..tn (null when not reached; any-order: t1 is the entry
    and s1..sn each step's instant), gap2..gapn and total (seconds, null unless reached)."""
    n = len(spec.steps)
    if spec.order == "strict":
        reached = _strict(tables, spec, zone, dialect)
    elif spec.order == "any":
        reached = _any_order(tables, spec, zone, dialect)
    else:
        reached = _ordered(tables, spec, zone, dialect)
    kept = kept_owners(tables, spec.level, spec.filter_map)
    if kept is not None:
        reached = reached.semi_join(kept, reached.owner == kept.k_owner)
    end = ibis.literal(data_end, type="timestamp('UTC')")
    r = reached
    depth = _depth(r, n, spec.order == "any")
    r = r.mutate(depth=depth)
    r = r.mutate(
        open=_open(r, spec, end, dialect),
        closed=elapsed(end, r.t1, dialect) >= spec.window,
        **{f"closed{k}": _closed(r, spec, end, dialect, k) for k in range(1, n)},
    )
    if spec.order == "any":
        last = ibis.greatest(*(r[step_at(k)] for k in range(1, n + 1)))
        gaps = {gap(k): ibis.null("float64") for k in range(2, n + 1)}
    else:
        last = r[t(n)]
        gaps = {gap(k): elapsed(r[t(k)], r[t(k - 1)], dialect) for k in range(2, n + 1)}
    r = r.mutate(
        **gaps,
        total=ibis.ifelse(r.depth == n, elapsed(last, r.t1, dialect), ibis.null("float64")),
        entry_day=local_date(r.t1, zone, dialect),
    )
    r = _with_exclusions(tables, spec, r, dialect)
    return _with_group(tables, spec, r)


def _entries(
    events: ir.Table, spec: FunnelSpec, zone: str, dialect: Dialect, column: str = "at"
) -> ir.Table:
    """``events`` whose local day is inside the spec's entry period."""
    if spec.start is None and spec.end is None:
        return events
    day = local_date(events[column], zone, dialect)
    if spec.start is not None:
        events = events.filter(day >= spec.start)
    if spec.end is not None:
        events = events.filter(day <= spec.end)
    return events


def _ordered(tables: TableSource, spec: FunnelSpec, zone: str, dialect: Dialect) -> ir.Table:
    first = _entries(matched(tables, spec.steps[0].matcher, spec.level), spec, zone, dialect)
    cur = first.group_by("owner").aggregate(t1=first.at.min())
    for k in range(2, len(spec.steps) + 1):
        step, previous = spec.steps[k - 1], spec.steps[k - 2]
        ev = matched(tables, step.matcher, spec.level).rename(e_owner="owner", e_at="at")
        # Joined on the owner alone (a hash join everywhere), the step's limits applied in
        # the aggregate: an owner with no matching event keeps a null instant.
        j = cur.left_join(ev, cur.owner == ev.e_owner)
        since_previous = elapsed(j.e_at, j[t(k - 1)], dialect)
        # The same event must not count as two steps; distinct events at one instant may.
        overlap = step.matcher.overlaps(previous.matcher)
        ok = since_previous > 0 if overlap else since_previous >= 0
        ok = ok & (elapsed(j.e_at, j.t1, dialect) <= spec.limit(k))
        if step.min_gap is not None:
            ok = ok & (since_previous >= step.min_gap)
        if step.max_gap is not None:
            ok = ok & (since_previous <= step.max_gap)
        kept = {t(i): j[t(i)].min() for i in range(1, k)}
        cur = j.group_by("owner").aggregate(**kept, **{t(k): j.e_at.min(where=ok)})
    return cur


def _strict(tables: TableSource, spec: FunnelSpec, zone: str, dialect: Dialect) -> ir.Table:
    n = len(spec.steps)
    parts = []
    for source in spec.sources:
        ev = source_events(tables, source, spec.level)  # type: ignore[arg-type]
        flags = {}
        for k, step in enumerate(spec.steps, start=1):
            hit: ir.BooleanValue = ibis.literal(step.matcher.source == source)
            if step.matcher.source == source:
                for field, values in step.matcher.filters:
                    hit = hit & ev[field].isin(list(values))
            flags[f"m{k}"] = hit
        name = ev[SOURCES[source].name_field].fill_null("")  # type: ignore[index]
        rank = ibis.literal(spec.sources.index(source), type="int8")
        parts.append(ev.select("owner", "at", src=rank, name=name, **flags))
    u = ibis.union(*parts) if len(parts) > 1 else parts[0]
    # Only owners with a step-1 event in the period can enter: number their events alone.
    first = _entries(u.filter(u.m1), spec, zone, dialect).select(c_owner="owner").distinct()
    u = u.semi_join(first, u.owner == first.c_owner)
    order = [u.at, u.src, u.name]
    ahead = {}
    for k in range(2, n + 1):
        ahead[f"n{k}"] = u[f"m{k}"].lead(k - 1).over(group_by=u.owner, order_by=order)
        ahead[t(k)] = u.at.lead(k - 1).over(group_by=u.owner, order_by=order)
    u = u.mutate(**ahead)
    u = _entries(u.filter(u.m1), spec, zone, dialect).rename(t1="at")
    ok: ir.BooleanValue = ibis.literal(True)
    steps_done: ir.IntegerValue = ibis.literal(1)
    reached = {}
    for k in range(2, n + 1):
        step = spec.steps[k - 1]
        since_previous = elapsed(u[t(k)], u[t(k - 1)], dialect)
        ok = ok & u[f"n{k}"].fill_null(False) & (elapsed(u[t(k)], u.t1, dialect) <= spec.limit(k))
        if step.min_gap is not None:
            ok = ok & (since_previous >= step.min_gap)
        if step.max_gap is not None:
            ok = ok & (since_previous <= step.max_gap)
        ok = ok.fill_null(False)
        reached[k] = ok
        steps_done = steps_done + ok.cast("int64")
    u = u.mutate(
        steps_done=steps_done,
        **{t(k): ibis.ifelse(reached[k], u[t(k)], ibis.null(u.t1.type())) for k in reached},
    )
    best = ibis.row_number().over(group_by=u.owner, order_by=[u.steps_done.desc(), u.t1])
    u = u.mutate(attempt=best)
    return u.filter(u.attempt == 0).select("owner", *(t(k) for k in range(1, n + 1)))


def _any_order(tables: TableSource, spec: FunnelSpec, zone: str, dialect: Dialect) -> ir.Table:
    n = len(spec.steps)
    parts = [
        matched(tables, step.matcher, spec.level).mutate(step=ibis.literal(k))
        for k, step in enumerate(spec.steps, start=1)
    ]
    events = ibis.union(*parts)
    first = _entries(events, spec, zone, dialect)
    entries = first.group_by("owner").aggregate(t0=first.at.min())
    ev = events.rename(e_owner="owner", e_at="at")
    j = entries.join(ev, entries.owner == ev.e_owner)
    since = elapsed(j.e_at, j.t0, dialect)
    j = j.mutate(since=since)
    j = j.filter((j.since >= 0) & (j.since <= spec.window))
    # t1 is the entry (the first event of any step); s1..sn each step's own first instant.
    return j.group_by("owner").aggregate(
        t1=j.t0.min(),
        **{
            step_at(k): j.e_at.min(where=(j.step == k) & (j.since <= spec.limit(k)))
            for k in range(1, n + 1)
        },
    )


def _depth(r: ir.Table, n: int, any_order: bool) -> ir.IntegerValue:
    if any_order:
        count: ir.IntegerValue = ibis.literal(0)
        for k in range(1, n + 1):
            count = count + r[step_at(k)].notnull().cast("int64")
        return ibis.greatest(count, ibis.literal(1))
    depth: ir.IntegerValue = ibis.literal(1)
    for k in range(2, n + 1):
        depth = depth + r[t(k)].notnull().cast("int64")
    return depth


def _closed(
    r: ir.Table, spec: FunnelSpec, end: ir.TimestampValue, dialect: Dialect, k: int
) -> ir.BooleanValue:
    """For an owner who reached step ``k``: the time allowed for step ``k + 1`` was over
    when the data ended (the funnel's window, any-order)."""
    waited = elapsed(end, r.t1, dialect)
    if spec.order == "any":
        return waited >= spec.window
    nxt = spec.steps[k]
    over = waited >= spec.limit(k + 1)
    if nxt.max_gap is not None:
        over = over | (elapsed(end, r[t(k)], dialect) >= nxt.max_gap)
    return over.fill_null(False)


def _open(
    r: ir.Table, spec: FunnelSpec, end: ir.TimestampValue, dialect: Dialect
) -> ir.BooleanValue:
    """The window for the next step (any missing step, any-order) is still open at the
    data's end."""
    n = len(spec.steps)
    if spec.order == "any":
        waited = elapsed(end, r.t1, dialect)
        still: ir.BooleanValue = ibis.literal(False)
        for k in range(1, n + 1):
            still = still | (r[step_at(k)].isnull() & (waited < spec.limit(k)))
        return still
    cases = [(r.depth == d, ~_closed(r, spec, end, dialect, d)) for d in range(1, n)]
    return ibis.cases(*cases, else_=ibis.literal(False))


def _with_exclusions(
    tables: TableSource, spec: FunnelSpec, r: ir.Table, dialect: Dialect
) -> ir.Table:
    hits: list[ir.Table] = []
    for exclusion in spec.exclusions:
        a, b = exclusion.after, spec.before(exclusion)
        x = matched(tables, exclusion.matcher, spec.level).rename(x_owner="owner", x_at="at")
        j = r.join(x, r.owner == x.x_owner)
        after_a = elapsed(j.x_at, j[t(a)], dialect) > 0
        before_b = ibis.ifelse(
            j[t(b)].notnull(),
            elapsed(j[t(b)], j.x_at, dialect) > 0,
            elapsed(j.x_at, j.t1, dialect) <= spec.window,
        )
        hits.append(j.filter(j[t(a)].notnull() & after_a & before_b).select(h_owner=j.owner))
    if not hits:
        return r.mutate(excluded=ibis.literal(False))
    out = ibis.union(*hits, distinct=True) if len(hits) > 1 else hits[0].distinct()
    j = r.left_join(out, r.owner == out.h_owner)
    return j.mutate(excluded=j.h_owner.notnull()).drop("h_owner")


def _with_group(tables: TableSource, spec: FunnelSpec, r: ir.Table) -> ir.Table:
    if spec.breakdown is None:
        return r.mutate(grp=ibis.literal("all"))
    if spec.breakdown in ("first_touch", "last_touch"):
        touches = source_events(tables, "touch", spec.level).select(
            g_owner="owner", g_at="at", g_channel="channel"
        )
        entrants = r.select("owner", "t1")
        j = entrants.join(touches, entrants.owner == touches.g_owner)
        j = j.filter(j.g_at <= j.t1)
        pick = j.g_channel.argmin(j.g_at) if spec.breakdown == "first_touch" else None
        if pick is None:
            pick = j.g_channel.argmax(j.g_at)
        found = j.group_by(f_owner=j.owner).aggregate(f_value=pick)
    else:
        attrs = owner_attributes(tables, spec.level)
        found = attrs.select(f_owner=attrs.owner, f_value=attrs[spec.breakdown])
    j = r.left_join(found, r.owner == found.f_owner)
    return j.mutate(grp=j.f_value.fill_null(UNKNOWN)).drop("f_owner", "f_value")


# -- aggregates of funnel_owners ------------------------------------------------------------


def step_counts(owners: ir.Table, n: int, by_group: bool) -> ir.Table:
    """Per group (or one row): entered, excluded, reached1..n, open1..n-1, mature1..n-1
    and advanced1..n-1 (of those at step k whose time for k + 1 is over, how many went
    on), mature and converted_mature (whole window over), q10..q90 and mean of the time
    to convert, median2..n of the gaps; excluded owners count only in ``excluded``."""
    o = owners
    kept = ~o.excluded
    values: dict[str, ir.Value] = {
        "entered": kept.cast("int64").sum(),
        "excluded": o.excluded.cast("int64").sum(),
    }
    for k in range(1, n + 1):
        values[f"reached{k}"] = (kept & (o.depth >= k)).cast("int64").sum()
    for k in range(1, n):
        values[f"open{k}"] = (kept & (o.depth == k) & o.open).cast("int64").sum()
        # Rates count only owners whose time for the next step is over: counting the
        # still-open ones would credit the fast converters and not the slow droppers.
        mature = kept & (o.depth >= k) & o[f"closed{k}"]
        values[f"mature{k}"] = mature.cast("int64").sum()
        values[f"advanced{k}"] = (mature & (o.depth > k)).cast("int64").sum()
    values["mature"] = (kept & o.closed).cast("int64").sum()
    values["converted_mature"] = (kept & o.closed & (o.depth == n)).cast("int64").sum()
    done = kept & (o.depth == n)
    for q in QUANTILES:
        values[f"q{round(q * 100)}"] = o.total.quantile(q, where=done)
    values["mean"] = o.total.mean(where=done)
    for k in range(2, n + 1):
        values[f"median{k}"] = o[gap(k)].quantile(0.5, where=kept & (o.depth >= k))
    if by_group:
        return o.group_by("grp").aggregate(**values)
    return o.aggregate(**values)


def trend(owners: ir.Table, n: int, grain: str) -> ir.Table:
    """Per entry period: period_start, entered, converted, open (not yet decided),
    mature and converted_mature (whole window over) and the median time to convert."""
    o = owners.filter(~owners.excluded)
    o = o.mutate(period_start=period_start(o.entry_day, grain))  # type: ignore[arg-type]
    done = o.depth == n
    return o.group_by("period_start").aggregate(
        entered=o.count(),
        converted=done.cast("int64").sum(),
        open=((o.depth < n) & o.open).cast("int64").sum(),
        mature=o.closed.cast("int64").sum(),
        converted_mature=(o.closed & done).cast("int64").sum(),
        median=o.total.quantile(0.5, where=done),
    )


def histogram(owners: ir.Table, n: int, edges: Sequence[int]) -> ir.Table:
    """Converters by time-to-convert bucket: bucket (index into edges, len(edges) for the
    open last bucket) and converters."""
    o = owners.filter(~owners.excluded & (owners.depth == n))
    bucket = ibis.cases(*((o.total < edge, i) for i, edge in enumerate(edges)), else_=len(edges))
    o = o.mutate(bucket=bucket)
    return o.group_by("bucket").aggregate(converters=o.count())
