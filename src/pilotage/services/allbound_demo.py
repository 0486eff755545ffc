"""The demo's allbound plan: two target lists owned by a sales and a marketing lead, with
goals for the last complete quarter and the quarter in progress, set from the quarter
before each (the way a team raises last quarter's result) so that the demo shows goals
met, missed and under way."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence

from pilotage.core.allbound.goals import COVERAGE_GOALS, GOAL_METRICS
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.allbound_goals import goal_actuals
from pilotage.services.allbound_lists import all_lists, create_list, set_goal
from pilotage.services.allbound_members import MemberInput, checked_ids
from pilotage.services.allbound_scores import activity_as_of
from pilotage.services.report_periods import period_of
from pilotage.services.tables import StoredTables

ACTOR = "system"
#: (name, description, tiers kept, countries kept (empty: all), raise on last result).
DEMO_LISTS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], float], ...] = (
    (
        "Tier 1 — strategic accounts",
        "The 50 accounts sales and marketing work together first (tier 1 targets).",
        ("tier 1",),
        (),
        1.15,
    ),
    (
        "France — tier 2 expansion",
        "Tier 2 targets in France: webinars and events first, then meetings.",
        ("tier 2",),
        ("FR",),
        1.10,
    ),
)


def seed_allbound(store: AnalyticsStore, settings: WorkspaceSettings, meta: MetadataStore) -> None:
    """Create the demo lists and their goals; a workspace with no such target accounts, or
    a shared metadata database that has the lists already, gets none."""
    current = period_of("quarterly", activity_as_of(store, settings, datetime.date.max))
    existing = {r.name for r in all_lists(meta).lists}
    for name, about, tiers, countries, uplift in DEMO_LISTS:
        ids = _targets(store, tiers, countries)
        if not ids or name in existing:
            continue
        members = checked_ids(store, MemberInput("demo", tuple((None, a) for a in ids)))
        sales, marketing = _owners(store, members)
        create_list(meta, name, sales, marketing, members, ACTOR, description=about)
        for quarter in (current.shifted(-1), current):
            before = quarter.shifted(-1)
            actual = goal_actuals(store, settings, members, before.start, before.end).values
            for metric in GOAL_METRICS:
                target = _rounded(actual[metric] * uplift, metric in COVERAGE_GOALS)
                if target > 0:
                    set_goal(meta, name, metric, quarter.label, target, ACTOR)


def _targets(store: AnalyticsStore, tiers: Sequence[str], countries: Sequence[str]) -> list[str]:
    tables = StoredTables(store)
    a = tables["accounts"]
    kept = a.filter(a.is_target.fill_null(False), a.tier.isin(list(tiers)))
    if countries:
        kept = kept.filter(kept.country.isin(list(countries)))
    return [str(r["account_id"]) for r in tables.rows(kept.select("account_id"))]


def _owners(store: AnalyticsStore, members: tuple[str, ...]) -> tuple[str, str]:
    """The sales and the marketing owner most of the members have in the CRM."""
    tables = StoredTables(store)
    a = tables["accounts"]
    rows = tables.rows(a.filter(a.account_id.isin(list(members))))
    sales = Counter(str(r["sales_owner"]) for r in rows if r["sales_owner"])
    marketing = Counter(str(r["marketing_owner"]) for r in rows if r["marketing_owner"])
    return (
        sales.most_common(1)[0][0] if sales else "Sales lead",
        marketing.most_common(1)[0][0] if marketing else "Marketing lead",
    )


def _rounded(value: float, share: bool) -> float:
    """A target as people set one: a share to the percent (at most 1), else two
    significant digits."""
    if share:
        return min(round(value, 2), 1.0)
    if value <= 0:
        return 0.0
    digits = len(str(int(value))) - 2
    return float(round(value, -digits)) if digits > 0 else float(round(value))
