"""The likely cause of a change: the slice (channel, campaign, country, segment) that
accounts for most of it, from the KPI engine's parts over the weeks before and after it."""

from __future__ import annotations

import datetime
from collections import defaultdict

from pilotage.core.metrics.registry import METRICS
from pilotage.core.monitoring.decompose import SliceEffect, decompose
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.alerts_types import Candidate, Cause, SliceShare
from pilotage.services.kpis import kpi_table

#: Weeks compared on each side of the change's start.
WINDOW_WEEKS = 8
#: Dimensions searched for a total's change, then for a channel's.
TOTAL_DIMENSIONS = ("channel", "campaign", "country", "segment")
SLICE_DIMENSIONS = ("campaign", "country", "segment")
#: A sub-slice of a channel is named as the cause when it explains this share or more.
SUB_SLICE_SHARE = 0.5
SHOWN = 3
#: Slice values with no label (a touch with no campaign) read as this.
NONE = "(none)"
#: Values that name no slice a team could act on: never a channel's sub-cause.
UNNAMED = frozenset({NONE, "unknown", "unassigned", "unattributed", "unallocated", ""})


def likely_cause(
    store: AnalyticsStore, settings: WorkspaceSettings, candidate: Candidate
) -> Cause | None:
    """Decompose the candidate's change by each dimension its metric can be sliced by and
    keep the slice with the largest share. A channel's change is caused by the channel
    unless one of its campaigns, countries or segments explains half of it or more."""
    metric = METRICS[candidate.metric_id]
    if metric.kind == "stock":
        return None
    before_start = candidate.since - datetime.timedelta(weeks=WINDOW_WEEKS)
    before_end = candidate.since - datetime.timedelta(days=1)
    after_end = min(
        candidate.since + datetime.timedelta(weeks=WINDOW_WEEKS, days=-1),
        candidate.last_period + datetime.timedelta(days=6),
    )
    filters = {"channel": [candidate.slice_value]} if candidate.dimension == "channel" else {}
    dims = SLICE_DIMENSIONS if candidate.dimension == "channel" else TOTAL_DIMENSIONS
    best: tuple[str, list[SliceEffect]] | None = None
    for dim in dims:
        effects = _effects(
            store, settings, candidate, dim, (before_start, before_end), after_end, filters
        )
        if candidate.dimension == "channel":
            effects = [e for e in effects if e.value not in UNNAMED]
        if (
            effects
            and effects[0].share is not None
            and (best is None or (effects[0].share or 0.0) > (best[1][0].share or 0.0))
        ):
            best = (dim, effects)
    windows = {
        "before_start": before_start,
        "before_end": before_end,
        "after_start": candidate.since,
        "after_end": after_end,
    }
    weak = best is None or (best[1][0].share or 0.0) < SUB_SLICE_SHARE
    if candidate.dimension == "channel" and candidate.slice_value is not None and weak:
        return Cause(
            dimension="channel",
            value=candidate.slice_value,
            share=1.0,
            effect=candidate.change_abs,
            slices=[_shown(e) for e in best[1][:SHOWN]] if best else [],
            **windows,
        )
    if best is None:
        return None
    dim, effects = best
    top = effects[0]
    return Cause(
        dimension=dim,
        value=top.value,
        share=top.share,
        effect=top.effect,
        slices=[_shown(e) for e in effects[:SHOWN]],
        **windows,
    )


def _shown(effect: SliceEffect) -> SliceShare:
    return SliceShare(
        value=effect.value,
        before=effect.before,
        after=effect.after,
        effect=effect.effect,
        share=effect.share,
    )


def _effects(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    candidate: Candidate,
    dim: str,
    before: tuple[datetime.date, datetime.date],
    after_end: datetime.date,
    filters: dict[str, list[str | None]],
) -> list[SliceEffect]:
    metric = METRICS[candidate.metric_id]
    parts = list(metric.parts)
    table = kpi_table(
        store,
        settings,
        metrics=parts,
        by=[dim],
        start=before[0],
        end=after_end,
        period="week",
        filters={k: [v for v in values if v is not None] for k, values in filters.items()},
    )
    if any(p in table.not_sliced for p in parts):
        return []
    first_after = candidate.since
    sums: dict[str, dict[str, dict[str, float]]] = {
        "before": defaultdict(lambda: dict.fromkeys(parts, 0.0)),
        "after": defaultdict(lambda: dict.fromkeys(parts, 0.0)),
    }
    weeks_before = (before[1] - before[0]).days // 7 + 1
    weeks_after = (after_end - first_after).days // 7 + 1
    for row in table.rows:
        monday = datetime.date.fromisocalendar(*_iso(str(row["period"])))
        side = "after" if monday >= first_after else "before"
        value = NONE if row.get(dim) is None else str(row[dim])
        for part in parts:
            amount = row.get(part)
            if isinstance(amount, int | float):
                sums[side][value][part] += float(amount)
    per_week = {
        side: {
            value: {p: v / (weeks_after if side == "after" else weeks_before) for p, v in d.items()}
            for value, d in by_value.items()
        }
        for side, by_value in sums.items()
    }
    return decompose(metric, per_week["before"], per_week["after"])


def _iso(label: str) -> tuple[int, int, int]:
    """'2026-W03' -> (2026, 3, 1): the Monday of that ISO week."""
    year, week = label.split("-W")
    return int(year), int(week), 1
