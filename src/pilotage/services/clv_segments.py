"""CLV from the workspace: orders -> customers -> LTV, rolled up by acquisition channel,
campaign, segment and cohort, with RFM segments and the ranking of the most profitable
segments (size, LTV, CAC, share of revenue)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Literal

import ibis
import numpy as np
from pydantic import BaseModel, ConfigDict

from pilotage.core.clv.models import PURCHASE_MODELS, fit, spec
from pilotage.core.clv.rfm import SEGMENT_RULES, rfm
from pilotage.core.clv.transactions import PER_YEAR, CustomerTable, TimeUnit
from pilotage.core.kpis.periods import local_date
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.clv import ClvFit, customer_table, predict_customers, to_fit
from pilotage.services.kpis import kpi_table
from pilotage.services.tables import StoredTables, as_float

Dimension = Literal["channel", "campaign", "segment", "cohort"]
DIMENSIONS: tuple[Dimension, ...] = ("channel", "campaign", "segment", "cohort")
UNKNOWN = "(unknown)"


def workspace_transactions(
    store: AnalyticsStore, settings: WorkspaceSettings
) -> tuple[list[str], np.ndarray, np.ndarray, list[str]]:
    """(customer ids, local days, amounts in the reporting currency, warnings) of the
    orders: the customer is the person, else the account. Amounts in another currency are
    converted at the mean rate of that currency in fx_rates; orders without a rate are left
    out and counted in the warnings."""
    tables = StoredTables(store)
    o = tables["orders"]
    who = ibis.coalesce(o.person_id, ibis.literal("account:") + o.account_id)
    expr = o.select(
        customer=who,
        day=local_date(o.ordered_at, settings.timezone),
        amount=o.amount,
        currency=o.currency,
    ).filter(lambda t: t.customer.notnull())
    rows = tables.backend.to_pyarrow(expr).to_pydict()
    fx = tables["fx_rates"]
    rates = {
        str(r["currency"]): as_float(r["rate"])
        for r in tables.rows(fx.group_by("currency").aggregate(rate=fx.rate_to_reporting.mean()))
    }
    rates[settings.reporting_currency] = 1.0
    keep, amounts, missing = [], [], 0
    for i, (amount, currency) in enumerate(zip(rows["amount"], rows["currency"], strict=True)):
        rate = rates.get(str(currency or settings.reporting_currency))
        if rate is None or amount is None:
            missing += 1
            continue
        keep.append(i)
        amounts.append(float(amount) * rate)
    warnings = [f"{missing} order(s) without an fx rate left out"] if missing else []
    ids = [str(rows["customer"][i]) for i in keep]
    days = np.array([rows["day"][i] for i in keep], dtype="datetime64[D]")
    return ids, days, np.array(amounts, dtype=np.float64), warnings


def workspace_customers(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    unit: TimeUnit,
    calibration_end: datetime.date | None = None,
) -> tuple[CustomerTable, datetime.date, list[str]]:
    ids, days, amounts, warnings = workspace_transactions(store, settings)
    table, end = customer_table(ids, days, amounts, unit, calibration_end)
    return table, end, warnings


def cac_by_channel(store: AnalyticsStore, settings: WorkspaceSettings) -> dict[str, float | None]:
    """Blended CAC per channel from the KPI engine: the channel's cost over all dates /
    the new customers credited to it (last touch), the number every page shows."""
    result = kpi_table(store, settings, metrics=["cac_blended"], by=["channel"])
    return {str(r["channel"]): r["cac_blended"] for r in result.rows}


def _attributes(store: AnalyticsStore, ids: list[str]) -> dict[str, dict[str, str]]:
    """Per customer id: acquisition channel, segment (people, else accounts) and first
    campaign touched."""
    tables = StoredTables(store)
    p, a, t = tables["people"], tables["accounts"], tables["touchpoints"]
    people = p.left_join(a, p.account_id == a.account_id).select(
        customer=p.person_id,
        channel=p.acquisition_channel,
        segment=ibis.coalesce(p.segment, a.segment),
    )
    info: dict[str, dict[str, str]] = defaultdict(dict)
    for r in tables.rows(people):
        info[str(r["customer"])] = {
            "channel": str(r["channel"] or UNKNOWN),
            "segment": str(r["segment"] or UNKNOWN),
        }
    touched = t.filter(t.person_id.notnull() & t.campaign_id.notnull())
    first = touched.group_by("person_id").aggregate(
        campaign=touched.campaign_id.argmin(touched.touched_at)
    )
    for r in tables.rows(first):
        info[str(r["person_id"])]["campaign"] = str(r["campaign"])
    return {i: info.get(i, {}) for i in ids}


class SegmentValue(BaseModel):
    """A group of customers: size, LTV (mean and total), CAC where known (acquisition
    channel), LTV:CAC, payback in periods (CAC / mean gross profit per period over the
    horizon) and its share of the calibration revenue."""

    model_config = ConfigDict(frozen=True)

    dimension: str
    segment: str
    customers: int
    ltv_mean: float
    ltv_total: float
    cac: float | None
    ltv_to_cac: float | None
    payback_periods: float | None
    revenue: float
    revenue_share: float | None


class RfmSegment(BaseModel):
    model_config = ConfigDict(frozen=True)

    segment: str
    rule: str
    customers: int
    ltv_mean: float
    revenue: float


class SegmentsResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    model: str
    spend_model: str
    time_unit: str
    calibration_end: datetime.date
    horizon: float
    discount_rate: float
    customers: int
    total_ltv: float
    groups: list[SegmentValue]
    ranking: list[SegmentValue]
    rfm: list[RfmSegment]
    cac_source: str
    warnings: list[str]


def workspace_segments(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    model: str = "bgnbd",
    unit: TimeUnit = "weeks",
    calibration_end: datetime.date | None = None,
    horizon: float | None = None,
    discount_rate: float = 0.0,
    top: int = 10,
) -> SegmentsResult:
    chosen = spec(model)
    if chosen.name not in PURCHASE_MODELS or chosen.name == "bgbb":
        raise UsageError(
            f"segments need a continuous purchase model, not {model}",
            fix="use bgnbd, mbgnbd or pareto_nbd",
        )
    table, end, warnings = workspace_customers(store, settings, unit, calibration_end)
    data = table.summary
    estimate = fit(chosen.name, data)
    spend = fit("gamma_gamma", data) if (data.frequency > 0).any() else None
    if spend is None:
        warnings.append("no repeat buyer: spend is each customer's observed mean (none)")
    ids = [str(c) for c in table.customers]
    horizon = float(horizon if horizon is not None else PER_YEAR[unit])
    done = predict_customers(
        ids,
        data,
        estimate,
        spend=spend,
        time_unit=unit,
        horizon=horizon,
        discount_rate=discount_rate,
        draws=20,
    )
    ltv = np.array([c.ltv if c.ltv is not None else 0.0 for c in done.customers])
    revenue = table.revenue
    total_revenue = float(revenue.sum())
    attrs = _attributes(store, ids)
    cohorts = np.datetime_as_string(table.first_day.astype("datetime64[M]"))
    labels: dict[Dimension, list[str]] = {
        "channel": [attrs[i].get("channel", UNKNOWN) for i in ids],
        "campaign": [attrs[i].get("campaign", UNKNOWN) for i in ids],
        "segment": [attrs[i].get("segment", UNKNOWN) for i in ids],
        "cohort": [str(c) for c in cohorts],
    }
    cac = cac_by_channel(store, settings)
    groups: list[SegmentValue] = []
    for dimension in DIMENSIONS:
        names = np.array(labels[dimension])
        for name in sorted(set(labels[dimension])):
            pick = names == name
            n = int(pick.sum())
            mean = float(ltv[pick].mean())
            cost = cac.get(name) if dimension == "channel" else None
            groups.append(
                SegmentValue(
                    dimension=dimension,
                    segment=name,
                    customers=n,
                    ltv_mean=mean,
                    ltv_total=float(ltv[pick].sum()),
                    cac=cost,
                    ltv_to_cac=mean / cost if cost else None,
                    payback_periods=cost / (mean / horizon) if cost and mean > 0 else None,
                    revenue=float(revenue[pick].sum()),
                    revenue_share=float(revenue[pick].sum()) / total_revenue
                    if total_revenue > 0
                    else None,
                )
            )
    ranking = sorted(
        (g for g in groups if g.segment != UNKNOWN),
        key=lambda g: (-(g.ltv_total - (g.cac or 0.0) * g.customers), g.dimension, g.segment),
    )[:top]
    scores = rfm(data)
    rules = dict(SEGMENT_RULES)
    rfm_rows = []
    for name, rule in rules.items():
        pick = scores.segment == name
        if pick.any():
            rfm_rows.append(
                RfmSegment(
                    segment=name,
                    rule=rule,
                    customers=int(pick.sum()),
                    ltv_mean=float(ltv[pick].mean()),
                    revenue=float(revenue[pick].sum()),
                )
            )
    return SegmentsResult(
        model=chosen.name,
        spend_model="gamma_gamma",
        time_unit=unit,
        calibration_end=end,
        horizon=horizon,
        discount_rate=discount_rate,
        customers=len(ids),
        total_ltv=float(ltv.sum()),
        groups=groups,
        ranking=ranking,
        rfm=rfm_rows,
        cac_source="KPI engine: cac_blended by channel (cost / new customers credited to "
        "the channel, last touch, all dates)",
        warnings=warnings,
    )


def workspace_fit(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    model: str = "bgnbd",
    unit: TimeUnit = "weeks",
    calibration_end: datetime.date | None = None,
) -> ClvFit:
    """One model fitted on the workspace's orders (customers: people, else accounts)."""
    chosen = spec(model)
    if chosen.kind == "durations":
        raise UsageError(
            "sbg is fitted on subscription durations", fix="use pilotage clv fit --summary FILE"
        )
    table, _, _ = workspace_customers(store, settings, unit, calibration_end)
    return to_fit(fit(chosen.name, table.summary))
