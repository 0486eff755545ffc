"""The experiments, initiatives and committee pages: what the workspace holds today."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, ConfigDict

from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.initiatives import InitiativeSummary, list_initiatives
from pilotage.services.objectives import ObjectiveInfo, list_objectives
from pilotage.services.report_periods import ReportKind, latest_complete
from pilotage.services.reports import last_data_day
from pilotage.services.tables import StoredTables, as_int

#: Packs offered for download per kind: the latest complete period and the ones before.
PACKS_PER_KIND = 3
KINDS: tuple[ReportKind, ...] = ("weekly", "monthly", "quarterly")


class VariantExposure(BaseModel):
    model_config = ConfigDict(frozen=True)

    experiment_id: str
    variant: str
    units: int
    first_exposure: datetime.datetime | None
    last_exposure: datetime.datetime | None


class ExperimentsView(BaseModel):
    model_config = ConfigDict(frozen=True)

    variants: list[VariantExposure]


class PlansView(BaseModel):
    """The initiatives page: every initiative and, beside them, the objectives they serve
    (the objectives page judges them)."""

    model_config = ConfigDict(frozen=True)

    initiatives: list[InitiativeSummary]
    objectives: list[ObjectiveInfo]


class PackLink(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    period: str
    start: datetime.date
    end: datetime.date


def experiments_view(store: AnalyticsStore, settings: WorkspaceSettings) -> ExperimentsView:
    """Units per variant (unit rows counted, aggregate rows' ``units`` summed) and the first
    and last exposure. The analysis itself comes with the experiments capability."""
    tables = StoredTables(store)
    exp = tables["experiments"]
    grouped = exp.group_by("experiment_id", "variant").aggregate(
        unit_rows=exp.unit_id.count(),
        declared=exp.units.sum(),
        first=exp.exposed_at.min(),
        last=exp.exposed_at.max(),
    )
    variants = [
        VariantExposure(
            experiment_id=str(r["experiment_id"]),
            variant=str(r["variant"]),
            units=as_int(r["unit_rows"]) + as_int(r["declared"]),
            first_exposure=_moment(r["first"]),
            last_exposure=_moment(r["last"]),
        )
        for r in tables.rows(grouped.order_by("experiment_id", "variant"))
    ]
    return ExperimentsView(variants=variants)


def _moment(value: object) -> datetime.datetime | None:
    return value if isinstance(value, datetime.datetime) else None


def plans_view(meta: MetadataStore, today: datetime.date | None = None) -> PlansView:
    return PlansView(
        initiatives=list_initiatives(meta, today=today).initiatives,
        objectives=list_objectives(meta),
    )


def committee_packs(
    store: AnalyticsStore, settings: WorkspaceSettings, today: datetime.date
) -> list[PackLink]:
    """The latest complete packs of each kind, as the scheduler would produce them. Depends
    on the analytics data only, so the server can cache it."""
    last_day = last_data_day(store)
    packs = []
    for kind in KINDS:
        latest = latest_complete(kind, today, last_day)
        for step in range(PACKS_PER_KIND):
            period = latest.shifted(-step)
            packs.append(
                PackLink(kind=kind, period=period.label, start=period.start, end=period.end)
            )
    return packs
