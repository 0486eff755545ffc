"""Product engagement of the workspace: DAU / WAU / MAU and stickiness per period, feature
adoption, and the usage most associated with a purchase or a churn (association, not cause).

One result object for ``pilotage engagement``, ``/api/v1/engagement`` and the page."""

from __future__ import annotations

import datetime
import math
from typing import Literal
from zoneinfo import ZoneInfo

import ibis.expr.types as ir
from pydantic import BaseModel, ConfigDict

from pilotage.core.engagement import activity as act_q
from pilotage.core.engagement import triggers as trig_q
from pilotage.core.engagement.activity import UNITS, Unit
from pilotage.core.engagement.association import Table2x2, associations
from pilotage.core.engagement.series import active_points, summary
from pilotage.core.kpis.periods import Period, period_label
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.kpis import Lang, check_window
from pilotage.services.tables import StoredTables, as_int

EngagementPeriod = Literal["week", "month", "quarter"]
PERIODS: tuple[EngagementPeriod, ...] = ("week", "month", "quarter")
#: Columns of product_events that are not a feature to count.
_NOT_FEATURES = frozenset(
    {"occurred_at", "person_id", "account_id", "event_id", "_key", "_row_hash"}
)
CAUTION: dict[Lang, str] = {
    "en": "Association, not cause: units who use a feature differ from the others in many "
    "ways. A lift says the outcome is more (or less) frequent among them, not that the "
    "feature produced it; test it (an experiment) before acting on it.",
    "fr": "Association, pas causalité : les utilisateurs d'une fonctionnalité diffèrent des "
    "autres de bien des façons. Un lift dit que le résultat est plus (ou moins) fréquent "
    "chez eux, pas que la fonctionnalité l'a causé ; testez-le (une expérience) avant d'agir.",
}
DEFINITIONS: dict[str, dict[Lang, str]] = {
    "dau": {
        "en": "DAU: mean over the days of the period of the units active that day.",
        "fr": "DAU : moyenne, sur les jours de la période, des utilisateurs actifs ce jour-là.",
    },
    "wau": {
        "en": "WAU: mean over the ISO weeks starting in the period of the units active.",
        "fr": "WAU : moyenne, sur les semaines ISO commençant dans la période, des actifs.",
    },
    "mau": {
        "en": "MAU: mean over the months starting in the period of the units active.",
        "fr": "MAU : moyenne, sur les mois commençant dans la période, des actifs.",
    },
    "stickiness": {
        "en": "Stickiness: DAU / MAU, the share of a month's users active on a typical day.",
        "fr": "Stickiness : DAU / MAU, part des utilisateurs du mois actifs un jour donné.",
    },
    "adoption": {
        "en": "Adoption: units who used the feature / units active, over the same period.",
        "fr": "Adoption : utilisateurs de la fonctionnalité / utilisateurs actifs, même période.",
    },
    "lift": {
        "en": "Lift: outcome rate among units who used the feature in their window / rate "
        "among those who did not; 95 % interval (Katz), Fisher exact p-value, "
        "Benjamini-Hochberg q-value across features.",
        "fr": "Lift : taux de résultat chez les utilisateurs de la fonctionnalité dans leur "
        "fenêtre / taux chez les autres ; intervalle à 95 % (Katz), p-valeur exacte de "
        "Fisher, q-valeur de Benjamini-Hochberg sur l'ensemble des fonctionnalités.",
    },
}


class EngagementPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    period: str
    period_start: datetime.date
    days: int
    #: True when the window cuts the period: its figures cover fewer days.
    partial: bool
    dau: float
    wau: float | None
    mau: float | None
    stickiness: float | None
    weekly_stickiness: float | None
    actives: int
    events: int


class AdoptionPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    period: str
    users: int
    adoption: float | None


class FeatureAdoption(BaseModel):
    """A feature over the window: its users, their share of the active units, its events
    and events per user, and the same share per period."""

    model_config = ConfigDict(frozen=True)

    feature: str
    users: int
    adoption: float | None
    events: int
    events_per_user: float | None
    trend: list[AdoptionPoint]


class Trigger(BaseModel):
    """One feature against the outcome (see :mod:`pilotage.core.engagement.association`).
    ``direction`` is "more" when users reach the outcome more often, "less" when less often,
    None when the difference is not significant."""

    model_config = ConfigDict(frozen=True)

    feature: str
    users_with: int
    reached_with: int
    users_without: int
    reached_without: int
    rate_with: float | None
    rate_without: float | None
    lift: float | None
    lift_low: float | None
    lift_high: float | None
    p_value: float
    q_value: float
    significant: bool
    direction: Literal["more", "less"] | None
    #: Events of the feature per unit in the window, among units that reached the outcome
    #: and among the others.
    events_per_unit_reached: float | None
    events_per_unit_other: float | None


class TriggerAnalysis(BaseModel):
    model_config = ConfigDict(frozen=True)

    outcome: str
    unit: str
    horizon_days: int
    units: int
    reached: int
    rate: float | None
    definition: str
    caution: str
    triggers: list[Trigger]


class EngagementSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    actives: int
    events: int
    dau: float
    wau: float | None
    mau: float | None
    stickiness: float | None
    weekly_stickiness: float | None


class EngagementResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    unit: str
    period: str
    feature_column: str
    start: datetime.date
    end: datetime.date
    summary: EngagementSummary
    series: list[EngagementPoint]
    adoption: list[FeatureAdoption]
    purchase: TriggerAnalysis | None
    churn: TriggerAnalysis | None
    definitions: dict[str, str]


def _check(
    unit: str,
    period: str,
    feature: str,
    columns: list[str],
    horizons: dict[str, int],
) -> None:
    if unit not in UNITS:
        raise UsageError(f"unit {unit!r} is not allowed", fix="use person or account")
    if period not in PERIODS:
        raise UsageError(f"period {period!r} is not allowed", fix="use week, month or quarter")
    if feature not in columns or feature in _NOT_FEATURES:
        usable = sorted(c for c in columns if c not in _NOT_FEATURES)
        raise UsageError(
            f"product_events has no feature column {feature!r}",
            fix="use one of: " + ", ".join(usable),
        )
    for name, days in horizons.items():
        if not 1 <= days <= 730:
            raise UsageError(f"{name} {days} is out of range", fix="give 1 to 730 days")


def _counts(tables: StoredTables, expr: ir.Table, key: str) -> dict[datetime.date, int]:
    return {r[key]: as_int(r["actives"]) for r in tables.rows(expr)}  # type: ignore[misc]


def engagement(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    unit: Unit = "person",
    period: EngagementPeriod = "month",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    feature: str = "event",
    purchase_horizon_days: int = 30,
    churn_horizon_days: int = 90,
    alpha: float = 0.05,
    lang: Lang = "en",
) -> EngagementResult:
    """Engagement of ``unit`` (person or account) over [start, end] (local days; default:
    the product events' span)."""
    tables = StoredTables(store, settings.engine)
    events = tables["product_events"]
    _check(
        unit,
        period,
        feature,
        list(events.columns),
        {"purchase horizon": purchase_horizon_days, "churn horizon": churn_horizon_days},
    )
    if not 0 < alpha < 1:
        raise UsageError(f"alpha {alpha} is not allowed", fix="give a level between 0 and 1")
    check_window(start, end)
    every = act_q.activity(
        events, tables["people"], unit, settings.timezone, tables.dialect, feature=feature
    )
    act = act_q.within(every, start, end)
    total = tables.rows(act_q.total_actives(act))[0]
    if not as_int(total["actives"]):
        raise UsageError(
            "there is no product activity in this window",
            fix="load product_events (pilotage load product_events FILE) or widen the dates",
        )
    first = start or total["first"]
    last = end or total["last"]
    assert isinstance(first, datetime.date) and isinstance(last, datetime.date)
    daily = _counts(tables, act.group_by("day").aggregate(actives=act.unit_id.nunique()), "day")
    weekly = _counts(tables, act_q.actives_by(act, "week"), "period_start")
    monthly = _counts(tables, act_q.actives_by(act, "month"), "period_start")
    by_period = {r["period_start"]: r for r in tables.rows(act_q.actives_by(act, period))}
    series = [
        EngagementPoint(
            period=period_label(p.period, period),
            period_start=p.period,
            days=p.days,
            partial=p.partial,
            dau=p.dau,
            wau=p.wau,
            mau=p.mau,
            stickiness=p.stickiness,
            weekly_stickiness=p.weekly_stickiness,
            actives=as_int(by_period.get(p.period, {}).get("actives")),
            events=as_int(by_period.get(p.period, {}).get("events")),
        )
        for p in active_points(daily, weekly, monthly, first, last, period)
    ]
    whole = summary(daily, weekly, monthly, first, last)
    actives = as_int(total["actives"])
    as_of = outcome_end(tables, _end_of(end, settings.timezone) if end else None)
    since = _end_of(first - datetime.timedelta(days=1), settings.timezone)
    return EngagementResult(
        unit=unit,
        period=period,
        feature_column=feature,
        start=first,
        end=last,
        summary=EngagementSummary(
            actives=actives,
            events=as_int(total["events"]),
            dau=whole.dau,
            wau=whole.wau,
            mau=whole.mau,
            stickiness=whole.stickiness,
            weekly_stickiness=whole.weekly_stickiness,
        ),
        series=series,
        adoption=_adoption(tables, act, period, actives, by_period),
        purchase=_purchase(
            tables, every, unit, purchase_horizon_days, as_of, first, last, alpha, lang
        ),
        churn=_churn(tables, feature, settings, churn_horizon_days, as_of, since, alpha, lang),
        definitions={k: v[lang] for k, v in DEFINITIONS.items()},
    )


def outcome_end(tables: StoredTables, end: datetime.datetime | None = None) -> datetime.datetime:
    """When outcomes are known until: the latest product event, order, conversion or
    subscription change (a churn comes after the last use), capped at ``end``."""
    instants: list[datetime.datetime] = []
    for name, columns in (
        ("product_events", ("occurred_at",)),
        ("orders", ("ordered_at",)),
        ("conversions", ("converted_at",)),
        ("subscriptions", ("started_at", "ended_at")),
    ):
        t = tables[name]
        rec = tables.rows(t.aggregate(**{c: t[c].max() for c in columns}))[0]
        instants += [v for v in rec.values() if isinstance(v, datetime.datetime)]
    latest = max(instants) if instants else datetime.datetime.now(datetime.UTC)
    return min(latest, end) if end is not None else latest


def _end_of(day: datetime.date, zone: str) -> datetime.datetime:
    """The first instant after local ``day``, in UTC."""
    local = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(datetime.UTC)


def _adoption(
    tables: StoredTables,
    act: ir.Table,
    period: Period,
    actives: int,
    by_period: dict[object, dict[str, object]],
) -> list[FeatureAdoption]:
    trends: dict[str, list[AdoptionPoint]] = {}
    rows = sorted(
        tables.rows(act_q.feature_use_by(act, period)), key=lambda r: str(r["period_start"])
    )
    for r in rows:
        key = r["period_start"]
        assert isinstance(key, datetime.date)
        users = as_int(r["users"])
        period_actives = as_int(by_period.get(key, {}).get("actives"))
        trends.setdefault(str(r["feature"]), []).append(
            AdoptionPoint(
                period=period_label(key, period),
                users=users,
                adoption=users / period_actives if period_actives else None,
            )
        )
    out = []
    for r in tables.rows(act_q.feature_use(act)):
        users, count = as_int(r["users"]), as_int(r["events"])
        out.append(
            FeatureAdoption(
                feature=str(r["feature"]),
                users=users,
                adoption=users / actives if actives else None,
                events=count,
                events_per_user=count / users if users else None,
                trend=trends.get(str(r["feature"]), []),
            )
        )
    return sorted(out, key=lambda f: (-f.users, f.feature))


def _analysis(
    tables: StoredTables,
    act: ir.Table,
    units: ir.Table,
    outcome: str,
    unit: str,
    horizon: int,
    alpha: float,
    lang: Lang,
) -> TriggerAnalysis:
    pop = tables.rows(trig_q.population(units))[0]
    n, reached = as_int(pop["units"]), as_int(pop["reached"])
    rows = tables.rows(trig_q.exposure_counts(act, units))
    rows.sort(key=lambda r: str(r["feature"]))
    cells = [
        Table2x2(
            as_int(r["users"]),
            as_int(r["users_reached"]),
            n - as_int(r["users"]),
            reached - as_int(r["users_reached"]),
        )
        for r in rows
    ]
    found = associations(cells, alpha=alpha)
    triggers = []
    for r, cell, a in zip(rows, cells, found, strict=True):
        direction: Literal["more", "less"] | None = None
        if a.significant and a.lift is not None:
            direction = "more" if a.lift > 1 else "less"
        events, events_reached = as_int(r["events"]), as_int(r["events_reached"])
        triggers.append(
            Trigger(
                feature=str(r["feature"]),
                users_with=cell.with_units,
                reached_with=cell.with_outcome,
                users_without=cell.without_units,
                reached_without=cell.without_outcome,
                rate_with=a.rate_with,
                rate_without=a.rate_without,
                lift=a.lift,
                lift_low=a.lift_low,
                lift_high=a.lift_high,
                p_value=a.p_value,
                q_value=a.q_value,
                significant=a.significant,
                direction=direction,
                events_per_unit_reached=events_reached / reached if reached else None,
                events_per_unit_other=(events - events_reached) / (n - reached)
                if n - reached
                else None,
            )
        )
    triggers.sort(key=lambda t: (not t.significant, -abs(_log_lift(t.lift)), t.feature))
    return TriggerAnalysis(
        outcome=outcome,
        unit=unit,
        horizon_days=horizon,
        units=n,
        reached=reached,
        rate=reached / n if n else None,
        definition=_definition(outcome, horizon, lang),
        caution=CAUTION[lang],
        triggers=triggers,
    )


def _log_lift(lift: float | None) -> float:
    return math.log(lift) if lift else 0.0


def _definition(outcome: str, horizon: int, lang: Lang) -> str:
    if outcome == "purchase":
        return (
            f"Units from their first product event: did they buy within {horizon} days "
            "(first order, purchase conversion or subscription)? Usage counted before the "
            "purchase only."
            if lang == "en"
            else f"Utilisateurs depuis leur premier événement produit : ont-ils acheté sous "
            f"{horizon} jours (première commande, conversion d'achat ou abonnement) ? "
            "Usage compté avant l'achat seulement."
        )
    return (
        f"Accounts subscribed: usage in the {horizon} days before their last subscription "
        "ended (churned) or before the end of the window (retained)."
        if lang == "en"
        else f"Comptes abonnés : usage des {horizon} jours avant la fin de leur dernier "
        "abonnement (perdus) ou avant la fin de la fenêtre (conservés)."
    )


def _purchase(
    tables: StoredTables,
    every: ir.Table,
    unit: Unit,
    horizon: int,
    as_of: datetime.datetime,
    first: datetime.date,
    last: datetime.date,
    alpha: float,
    lang: Lang,
) -> TriggerAnalysis | None:
    outcomes = trig_q.purchase_times(
        tables["orders"], tables["conversions"], tables["subscriptions"], tables["people"], unit
    )
    units = trig_q.purchase_units(every, outcomes, horizon, as_of)
    units = units.filter((units.first_day >= first) & (units.first_day <= last))
    result = _analysis(tables, every, units, "purchase", unit, horizon, alpha, lang)
    return result if result.units else None


def _churn(
    tables: StoredTables,
    feature: str,
    settings: WorkspaceSettings,
    horizon: int,
    as_of: datetime.datetime,
    since: datetime.datetime,
    alpha: float,
    lang: Lang,
) -> TriggerAnalysis | None:
    """Churn is an account's: the activity is taken by account whatever the unit asked."""
    act = act_q.activity(
        tables["product_events"],
        tables["people"],
        "account",
        settings.timezone,
        tables.dialect,
        feature=feature,
    )
    units = trig_q.churn_units(tables["subscriptions"], horizon, as_of, since)
    result = _analysis(tables, act, units, "churn", "account", horizon, alpha, lang)
    return result if result.units else None
