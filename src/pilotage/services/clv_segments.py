"""CLV from the workspace: orders -> customers -> LTV, rolled up by acquisition channel,
campaign, segment and cohort, with RFM segments and the ranking of the most profitable
segments (size, LTV, CAC, share of revenue); holdout validation of the purchase models on
the orders; subscriptions -> accounts' contract durations -> retention (sBG)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Literal

import ibis
import numpy as np
from pydantic import BaseModel, ConfigDict

from pilotage.core.clv import sbg
from pilotage.core.clv.durations import account_durations, cohorts, kaplan_meier
from pilotage.core.clv.models import PURCHASE_MODELS, fit, spec
from pilotage.core.clv.rfm import SEGMENT_RULES, rfm
from pilotage.core.clv.transactions import PER_YEAR, CustomerTable, TimeUnit, period_start
from pilotage.core.kpis.periods import local_date
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.clv import (
    ClvFit,
    HoldoutValidation,
    customer_table,
    holdout_split,
    holdout_validation,
    predict_customers,
    to_fit,
)
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
    unit: TimeUnit | None = None,
    calibration_end: datetime.date | None = None,
) -> ClvFit:
    """One model fitted on the workspace: purchase and spend models on the orders
    (customers: people, else accounts; weeks by default), sbg on the subscriptions
    (accounts' contract durations; months by default)."""
    chosen = spec(model)
    if chosen.kind == "durations":
        return workspace_retention(
            store, settings, unit=unit or "months", calibration_end=calibration_end
        ).fit
    table, _, _ = workspace_customers(store, settings, unit or "weeks", calibration_end)
    return to_fit(fit(chosen.name, table.summary))


def workspace_validation(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    model: str = "bgnbd",
    unit: TimeUnit = "weeks",
    calibration_end: datetime.date | None = None,
) -> HoldoutValidation:
    """Fit on the orders up to the calibration end (default: half-way through the orders,
    as in the CDNOW studies), check on the orders after it."""
    ids, days, amounts, _ = workspace_transactions(store, settings)
    end = calibration_end if calibration_end is not None else holdout_split(days)
    table, end = customer_table(ids, days, amounts, unit, end)
    return holdout_validation(table, model, unit, end)


class RetentionCohort(BaseModel):
    """Accounts whose first subscription started in ``cohort`` (the period's first day),
    and how many were still subscribed after 0, 1, 2, ... whole periods (as far as every
    one of them was observed)."""

    model_config = ConfigDict(frozen=True)

    cohort: datetime.date
    accounts: int
    survivors: list[int]


class SurvivalPoint(BaseModel):
    """After ``period`` whole periods: the share of accounts still subscribed, observed
    (Kaplan-Meier over the accounts at risk; null beyond the data) and fitted (sBG), and
    the fitted renewal rate of that period."""

    model_config = ConfigDict(frozen=True)

    period: int
    at_risk: float | None
    observed: float | None
    fitted: float
    retention_rate: float


class RetentionResult(BaseModel):
    """The shifted-beta-geometric model fitted on the accounts' subscription durations,
    with right-censoring of the accounts still subscribed at the calibration end."""

    model_config = ConfigDict(frozen=True)

    fit: ClvFit
    time_unit: str
    calibration_end: datetime.date
    observed_from: datetime.date | None
    entered_late: int
    accounts: int
    churned: int
    censored: int
    too_recent: int
    cohorts: list[RetentionCohort]
    survival: list[SurvivalPoint]
    definition: str


def workspace_retention(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    unit: TimeUnit = "months",
    calibration_end: datetime.date | None = None,
    observed_from: datetime.date | None = None,
) -> RetentionResult:
    """Accounts' subscription durations by start cohort -> sBG fit, cohort survival table
    and survival curve. The calibration end defaults to the last start or end date of the
    subscriptions. ``observed_from`` (default: the first end date in the data) is when the
    data begin: accounts that started earlier are conditioned on having lasted until then
    (left truncation), which is right whether or not older churn is in the data."""
    tables = StoredTables(store)
    sub = tables["subscriptions"]
    expr = sub.select(
        account=sub.account_id,
        started=local_date(sub.started_at, settings.timezone),
        ended=local_date(sub.ended_at, settings.timezone),
    ).filter(lambda t: t.account.notnull() & t.started.notnull())
    rows = tables.backend.to_pyarrow(expr).to_pydict()
    if not rows["account"]:
        raise UsageError(
            "there are no subscriptions", fix="load the subscriptions table (pilotage load)"
        )
    started = np.array(rows["started"], dtype="datetime64[D]")
    ended = np.array([d or "NaT" for d in rows["ended"]], dtype="datetime64[D]")
    known = ended[~np.isnat(ended)]
    if calibration_end is None:
        end = max(started.max(), known.max()) if len(known) else started.max()
    else:
        end = np.datetime64(calibration_end, "D")
    if observed_from is not None:
        since: np.datetime64 | None = np.datetime64(observed_from, "D")
    else:
        since = known.min() if len(known) else None
    data = account_durations(rows["account"], started, ended, end, unit, since)
    if len(data.T) == 0:
        raise UsageError(
            f"no account was subscribed for a whole {unit[:-1]} by {end}",
            fix="give a later --calibration-end or a shorter --unit",
        )
    estimate = fit("sbg", data.summary())
    params = estimate.values
    at_risk, observed = kaplan_meier(data)
    longest = len(observed)
    # Projected beyond the data by a year or by as long again, whichever is longer.
    t = np.arange(1, longest + max(PER_YEAR[unit], longest) + 1, dtype=np.float64)
    fitted = sbg.survival(params, t)
    rate = sbg.retention(params, t)
    starts = period_start(np.array([c.period for c in cohorts(data)], dtype=np.int64), unit)
    return RetentionResult(
        fit=to_fit(estimate),
        time_unit=unit,
        calibration_end=datetime.date.fromisoformat(str(end)),
        observed_from=datetime.date.fromisoformat(str(since)) if since is not None else None,
        entered_late=int((data.entry > 0).sum()),
        accounts=len(data.T),
        churned=int(data.churned.sum()),
        censored=int((~data.churned).sum()),
        too_recent=data.too_recent,
        cohorts=[
            RetentionCohort(
                cohort=datetime.date.fromisoformat(str(day)),
                accounts=c.accounts,
                survivors=list(c.survivors),
            )
            for day, c in zip(starts, cohorts(data), strict=True)
        ],
        survival=[
            SurvivalPoint(
                period=int(k),
                at_risk=float(at_risk[i]) if i < longest else None,
                observed=float(observed[i]) if i < longest else None,
                fitted=float(fitted[i]),
                retention_rate=float(rate[i]),
            )
            for i, k in enumerate(t)
        ],
        definition="An account's subscription life runs from its first start to the end of "
        "its last subscription; accounts still subscribed at the calibration end are "
        "censored after the whole periods they renewed; accounts that started before the "
        "data begin (observed_from) are conditioned on lasting until then. sBG: churn at "
        "each renewal with probability theta ~ Beta(alpha, beta) (Fader and Hardie 2007). "
        "Cohorts: those observed from their start.",
    )
