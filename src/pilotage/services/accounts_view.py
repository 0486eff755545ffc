"""The accounts page (allbound): target accounts with their owners, pipeline and wins."""

from __future__ import annotations

import ibis
from pydantic import BaseModel, ConfigDict

from pilotage.core.kpis.periods import local_date
from pilotage.core.metrics.registry import METRICS
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.kpis import Lang
from pilotage.services.results import MetricInfo
from pilotage.services.slices import Slice
from pilotage.services.tables import StoredTables, as_float


class TargetAccount(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_id: str
    name: str
    segment: str | None
    tier: str | None
    sales_owner: str | None
    marketing_owner: str | None
    open_pipeline: float
    won_amount: float


class AccountsView(BaseModel):
    model_config = ConfigDict(frozen=True)

    currency: str
    metrics: list[MetricInfo]
    accounts: list[TargetAccount]
    total_open_pipeline: float
    total_won_amount: float


def accounts_view(
    store: AnalyticsStore, settings: WorkspaceSettings, sl: Slice, lang: Lang = "en"
) -> AccountsView:
    """Accounts flagged ``is_target`` (of the chosen segments, and of the countries and
    accounts of a restriction): open pipeline as loaded, and won amount closed in the
    period. Channels do not apply to accounts."""
    tables = StoredTables(store)
    accounts = tables["accounts"]
    accounts = accounts.filter(accounts.is_target.fill_null(False))
    if sl.segments:
        accounts = accounts.filter(accounts.segment.isin(list(sl.segments)))
    if sl.countries is not None:
        accounts = accounts.filter(accounts.country.isin(list(sl.countries)))
    if sl.account_ids is not None:
        accounts = accounts.filter(accounts.account_id.isin(list(sl.account_ids)))
    opps = tables["opportunities"]
    closed_day = local_date(opps.closed_at, settings.timezone)
    in_period = ibis.literal(True)
    if sl.start is not None:
        in_period = in_period & (closed_day >= sl.start)
    if sl.end is not None:
        in_period = in_period & (closed_day <= sl.end)
    is_open = ~opps.is_closed.fill_null(False)
    is_won = opps.is_won.fill_null(False) & in_period.fill_null(False)
    sums = opps.group_by(o_account=opps.account_id).aggregate(
        open_pipeline=ibis.ifelse(is_open, opps.amount, 0.0).sum(),
        won_amount=ibis.ifelse(is_won, opps.amount, 0.0).sum(),
    )
    joined = accounts.left_join(sums, accounts.account_id == sums.o_account)
    found = tables.rows(
        joined.select(
            "account_id",
            "name",
            "segment",
            "tier",
            "sales_owner",
            "marketing_owner",
            open_pipeline=joined.open_pipeline.fill_null(0.0),
            won_amount=joined.won_amount.fill_null(0.0),
        )
    )
    rows = [
        TargetAccount(
            account_id=str(r["account_id"]),
            name=str(r["name"]),
            segment=_text(r["segment"]),
            tier=_text(r["tier"]),
            sales_owner=_text(r["sales_owner"]),
            marketing_owner=_text(r["marketing_owner"]),
            open_pipeline=as_float(r["open_pipeline"]),
            won_amount=as_float(r["won_amount"]),
        )
        for r in found
    ]
    rows.sort(key=lambda a: (a.tier or "~", -a.open_pipeline, -a.won_amount, a.name))
    return AccountsView(
        currency=settings.reporting_currency,
        metrics=[MetricInfo.of(METRICS[m], lang) for m in ("open_pipeline", "won_amount")],
        accounts=rows,
        total_open_pipeline=sum(a.open_pipeline for a in rows),
        total_won_amount=sum(a.won_amount for a in rows),
    )


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
