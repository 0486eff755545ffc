"""The committee page: the committees and members, the agenda of a cadence built from the
data, the packs to download, the decision log with its action items, the RACI matrix and the
strategy health check."""

from __future__ import annotations

import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from pilotage.core.governance.vocabulary import Cadence
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.governance import (
    ActionList,
    CommitteeList,
    DecisionLog,
    RaciMatrix,
    decision_log,
    list_actions,
    list_committees,
    raci,
)
from pilotage.services.governance_agenda import agenda_period, build_agenda
from pilotage.services.governance_agenda_types import Agenda
from pilotage.services.governance_health import HealthCheck, health_check
from pilotage.services.planning_view import PackLink


class GovernanceView(BaseModel):
    model_config = ConfigDict(frozen=True)

    packs: list[PackLink]
    committees: CommitteeList
    agenda: Agenda
    decisions: DecisionLog
    actions: ActionList
    raci: RaciMatrix
    health: HealthCheck


def governance_view(
    packs: list[PackLink],
    store: AnalyticsStore,
    meta: MetadataStore,
    settings: WorkspaceSettings,
    *,
    cadence: Cadence,
    today: datetime.date,
    workspace_root: Path | None = None,
    lang: str = "en",
) -> GovernanceView:
    period = agenda_period(store, cadence, today)
    return GovernanceView(
        packs=packs,
        committees=list_committees(meta),
        agenda=build_agenda(
            store, meta, settings, period, today=today, workspace_root=workspace_root, lang=lang
        ),
        decisions=decision_log(meta, today=today),
        actions=list_actions(meta, today=today, status="open"),
        raci=raci(meta),
        health=health_check(store, meta, settings, today=today, lang=lang),
    )
