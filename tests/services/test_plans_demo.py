"""The demo's plans: initiatives at every step of the lifecycle, the Lyon event evaluated
against the workspace, objectives cascading from business objectives."""

from __future__ import annotations

import datetime
from pathlib import Path

from pilotage.data.workspace import open_workspace
from pilotage.services.initiatives import get_initiative, list_initiatives
from pilotage.services.objectives import objectives_status
from pilotage.services.workspaces import analytics, metadata


def test_the_demo_has_plans_at_every_step(small_demo: Path) -> None:
    workspace = open_workspace(small_demo)
    with metadata(workspace) as meta:
        listed = list_initiatives(meta, today=datetime.date(2026, 11, 25)).initiatives
        by_name = {i.name: i for i in listed}
        assert [i.status for i in listed] == [
            "evaluated",
            "launched",
            "approved",
            "proposed",
            "proposed",
        ]
        lyon = get_initiative(meta, by_name["Salon régional Lyon"].id)
        webinars = by_name["Série de webinaires ciblés"]
        abm = by_name["Campagne LinkedIn ABM — comptes tier 1"]
        with analytics(workspace) as store:
            goals = objectives_status(
                store, meta, workspace.settings, today=datetime.date(2026, 11, 25)
            ).objectives
    assert lyon.evaluation is not None and lyon.evaluation.complete
    assert lyon.evaluation.kpi == "leads" and lyon.evaluation.actual is not None
    assert [t.to_status for t in lyon.transitions] == [
        "proposed",
        "approved",
        "launched",
        "evaluated",
    ]
    assert lyon.plan.scope == {"initiative": ["INIT-LYON"]} and lyon.economics is not None
    assert webinars.evaluation_due is True
    assert abm.launchable is False and "base" in abm.case_missing
    kinds = [(g.kind, g.parent_name is not None) for g in goals]
    assert kinds.count(("marketing", True)) == 3 and kinds.count(("business", False)) == 2
    orphan = next(g for g in goals if g.kind == "marketing" and g.parent_id is None)
    assert {s.letter: s.passed for s in orphan.smart}["R"] is False
