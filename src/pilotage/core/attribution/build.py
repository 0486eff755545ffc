"""Workspace tables -> PathCounts: the journey expressions run by an injected engine.

``fetch`` runs an Ibis expression on the engine holding the tables (DuckDB, Spark...) and
returns an Arrow table; it is given three small queries (the longest journey, the distinct
packed paths, the conversions with no touch), never touch rows. The journeys' touches, which
the first two queries both read, are computed once and cached in the engine (a temporary
table on DuckDB, a cached DataFrame on Spark) for the length of the call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from pilotage.core.attribution import journeys as jn
from pilotage.core.attribution.milestones import (
    STAGES,
    Level,
    account_milestones,
    conversion_events,
    person_milestones,
    stage_events,
)
from pilotage.core.attribution.paths import PathCounts

Fetch = Callable[[ir.Table], pa.Table]


@dataclass(frozen=True)
class JourneySpec:
    """``types``: conversion types ending a journey (at account level also the stages
    mql, sql, opportunity, won). ``lookback_days``: touches older than this before the end
    never count. ``include_sales``: keep touches flagged ``is_sales``. ``with_ages``: keep
    each touch's age in whole days (time decay needs it; without, fewer distinct paths)."""

    level: Level
    types: tuple[str, ...]
    lookback_days: int = 90
    include_sales: bool = True
    with_ages: bool = True


@dataclass(frozen=True, eq=False)
class DealPaths:
    """One path per converting journey; ``deals[i]`` is the opportunity (or conversion id)
    of path ``i`` (empty for non-converting journeys)."""

    paths: PathCounts
    deals: tuple[str, ...]


def journey_rows(tables: Mapping[str, ir.Table], spec: JourneySpec) -> tuple[ir.Table, ir.Table]:
    """(converting, rows): the converting journeys' ends and the touches of every journey,
    converting or not (see :mod:`journeys`)."""
    people, opportunities = tables["people"], tables["opportunities"]
    touches = jn.with_owner(
        jn.stitched(tables["touchpoints"], spec.include_sales), people, spec.level
    )
    if spec.level == "account" and len(spec.types) == 1 and spec.types[0] in STAGES:
        events = stage_events(people, opportunities, spec.types[0])
        milestones = account_milestones(people, opportunities)
    else:
        events = conversion_events(tables["conversions"], spec.types, spec.level)
        milestones = (
            person_milestones(people, tables["conversions"], opportunities)
            if spec.level == "person"
            else account_milestones(people, opportunities)
        )
    converting = jn.converting_ends(events, spec.lookback_days)
    ends = converting.union(jn.null_ends(touches, converting, spec.lookback_days))
    return converting, jn.journey_touches(touches, ends, milestones)


def workspace_paths(tables: Mapping[str, ir.Table], spec: JourneySpec, fetch: Fetch) -> PathCounts:
    """Distinct paths of the workspace's journeys (empty paths: conversions with no touch)."""
    converting, rows = journey_rows(tables, spec)
    with rows.cache() as cached:
        encoding = _encoding(tables, cached, spec, fetch)
        found = fetch(jn.path_patterns(cached, encoding))
        empty = fetch(jn.empty_journeys(converting, cached)).to_pylist()[0]
    return _decode(found, encoding, empty)


def deal_paths(tables: Mapping[str, ir.Table], spec: JourneySpec, fetch: Fetch) -> DealPaths:
    """The path of every converting journey with its deal (one row each: deals are few)."""
    rows = journey_rows(tables, spec)[1]
    with rows.filter(rows.conversions > 0).cache() as cached:
        encoding = _encoding(tables, cached, spec, fetch)
        found = fetch(jn.path_patterns(cached, encoding, keys=("deal",)))
    paths = jn.decode(_columns(found), encoding, merge=False)
    return DealPaths(paths, tuple(str(d) for d in found.column("deal").to_pylist()))


def _encoding(
    tables: Mapping[str, ir.Table], rows: ir.Table, spec: JourneySpec, fetch: Fetch
) -> jn.Encoding:
    touchpoints = tables["touchpoints"]
    names = fetch(touchpoints.select("channel").distinct()).column("channel").to_pylist()
    longest = fetch(rows.aggregate(longest=rows.length.max())).column("longest")[0].as_py()
    return jn.Encoding(
        channels=tuple(sorted(str(n) for n in names if n is not None)),
        max_age=spec.lookback_days,
        max_length=int(longest or 0),
        with_ages=spec.with_ages,
    )


def _columns(found: pa.Table) -> dict[str, np.ndarray]:
    return {name: found.column(name).to_numpy(zero_copy_only=False) for name in found.column_names}


def _decode(found: pa.Table, encoding: jn.Encoding, empty: dict[str, object]) -> PathCounts:
    columns = _columns(found)
    conversions = float(empty["conversions"] or 0.0)  # type: ignore[arg-type]
    if conversions > 0:
        value = float(empty["value"] or 0.0)  # type: ignore[arg-type]
        extra = {"length": 0, "conversions": conversions, "value": value, "nulls": 0.0}
        columns = {name: np.append(array, extra.get(name, 0)) for name, array in columns.items()}
    return jn.decode(columns, encoding)
