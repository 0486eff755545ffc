"""Coverage gaps of a target account: what the list's joint plan has not reached yet, read
from the account's activity in the scoring window."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

from pilotage.core.allbound.scoring import STATES, TOUCH_TYPES, Activity, Component

Gap = Literal[
    "no_contacts", "not_engaged", "no_marketing_touch", "no_sales_touch", "no_open_opportunity"
]
GAPS: tuple[Gap, ...] = get_args(Gap)
SALES_TOUCHES: frozenset[Component] = frozenset({"sales_call", "sales_meeting"})
#: Touch components that are marketing's (any touch that is not a sales call or meeting).
MARKETING_TOUCHES: frozenset[Component] = frozenset({*TOUCH_TYPES, "other_touch"} - SALES_TOUCHES)
#: (English, French) definition of each gap.
GAP_DEFINITIONS: dict[Gap, tuple[str, str]] = {
    "no_contacts": (
        "No person of the account is known (no contact to reach).",
        "Aucune personne connue dans le compte (aucun contact à joindre).",
    ),
    "not_engaged": (
        "No activity at all in the scoring window (touches, product usage, surveys, "
        "opportunities).",
        "Aucune activité sur la fenêtre du score (contacts, usage produit, enquêtes, "
        "opportunités).",
    ),
    "no_marketing_touch": (
        "No marketing touch in the scoring window (only sales, or nothing).",
        "Aucun contact marketing sur la fenêtre du score (seulement commercial, ou rien).",
    ),
    "no_sales_touch": (
        "Marketing touches but no sales call or meeting in the scoring window: "
        "engagement sales has not followed up.",
        "Des contacts marketing mais aucun appel ni rendez-vous commercial sur la fenêtre "
        "du score : un engagement sans suite commerciale.",
    ),
    "no_open_opportunity": (
        "No opportunity open on the day scores are read.",
        "Aucune opportunité ouverte le jour de lecture des scores.",
    ),
}


def gaps_of(activity: Mapping[Component, Activity], people: int) -> list[Gap]:
    """The gaps of one account, in the order of :data:`GAPS`."""

    def active(names: frozenset[Component]) -> bool:
        return any(activity[c].count for c in names if c in activity)

    marketing = active(MARKETING_TOUCHES)
    found: list[Gap] = []
    if people == 0:
        found.append("no_contacts")
    if not any(a.count for c, a in activity.items() if c not in STATES):
        found.append("not_engaged")
    if not marketing:
        found.append("no_marketing_touch")
    if marketing and not active(SALES_TOUCHES):
        found.append("no_sales_touch")
    if not active(frozenset({"opportunity_open"})):
        found.append("no_open_opportunity")
    return found
