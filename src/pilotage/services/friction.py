"""Friction points of the workspace: funnel transitions (lead -> MQL -> SQL -> opportunity
-> customer, from the KPI engine's cohort conversions and the people's stage dates) and
touchpoints (landing pages, campaigns, touch types) whose drop-off or delay is abnormal
against their own history or their peers, ranked by the revenue the excess drop-offs lose.

One result object for ``pilotage friction``, ``/api/v1/friction`` and the journey map."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from pilotage.core.friction import steps as sq
from pilotage.core.friction.judge import ALL, Judgement, Observation, judge
from pilotage.core.friction.robust import THRESHOLD
from pilotage.core.kpis.facts.people import STAGES, cohort_measure
from pilotage.core.kpis.periods import Period, period_label, period_spans
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.kpis import Lang, check_window, kpi_table
from pilotage.services.tables import StoredTables, as_float

FrictionPeriod = Literal["week", "month", "quarter"]
PERIODS: tuple[FrictionPeriod, ...] = ("week", "month", "quarter")
FrictionBy = Literal["segment", "channel"]
BYS: tuple[FrictionBy, ...] = ("segment", "channel")
#: A cohort is judged once this share of its people who will convert have (the quantile
#: of the stage's delay): younger cohorts are still converting, their drop-off is not final.
MATURITY_QUANTILE = 0.9
_COUNT = {stage: measure for stage, _, measure in STAGES}
FORMULA: dict[Lang, str] = {
    "en": "Revenue lost = excess drop-offs x downstream conversion x average deal value. "
    "Excess drop-offs = entrants x (drop-off - baseline), the baseline being the median "
    "drop-off of the history or peers it is abnormal against; downstream conversion = share "
    "of those who pass the step who become customers (KPI engine, same window); average deal "
    "value = won amount / deals won (else revenue / orders). Abnormal = modified z-score "
    "(Iglewicz-Hoaglin) above the threshold. Delays are flagged, not costed.",
    "fr": "Revenu perdu = abandons en excès x conversion en aval x valeur moyenne d'une "
    "affaire. Abandons en excès = entrants x (taux d'abandon - référence), la référence "
    "étant l'abandon médian de l'historique ou des pairs par rapport auxquels il est "
    "anormal ; conversion en aval = part de ceux qui passent l'étape qui deviennent clients "
    "(moteur de KPI, même fenêtre) ; valeur moyenne = montant gagné / affaires gagnées "
    "(sinon chiffre d'affaires / commandes). Anormal = z-score modifié (Iglewicz-Hoaglin) "
    "au-dessus du seuil. Les délais sont signalés, pas chiffrés.",
}


class FrictionPoint(BaseModel):
    """One step in one slice and period whose drop-off or delay is abnormal."""

    model_config = ConfigDict(frozen=True)

    kind: str
    step: str
    slice: str
    period: str
    entrants: float
    dropped: float
    drop_off: float | None
    history_median: float | None
    history_z: float | None
    peer_median: float | None
    peer_z: float | None
    delay_days: float | None
    delay_median: float | None
    delay_z: float | None
    abnormal_drop: bool
    abnormal_delay: bool
    baseline: float | None
    excess_dropped: float
    downstream_conversion: float | None
    revenue_lost: float


class StageFriction(BaseModel):
    """A funnel transition over the window (all people): the engine's cohort conversion,
    the median and late delay, and its friction points."""

    model_config = ConfigDict(frozen=True)

    step: str
    stage_from: str
    stage_to: str
    entrants: float | None
    conversion: float | None
    drop_off: float | None
    median_delay_days: float | None
    late_delay_days: float | None
    friction: bool
    abnormal_periods: int
    revenue_lost: float
    latest_period: str | None
    latest_drop_off: float | None
    latest_history_z: float | None
    maturing_periods: list[str]


class FrictionResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: datetime.date | None
    end: datetime.date | None
    period: str
    by: str
    threshold: float
    min_entrants: float
    window_days: int
    currency: str
    deal_value: float | None
    deal_value_source: str
    stages: list[StageFriction]
    points: list[FrictionPoint]
    formula: str


def friction(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    *,
    period: FrictionPeriod = "month",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    by: FrictionBy = "segment",
    touch_kinds: Sequence[str] = sq.TOUCH_KINDS,
    window_days: int = 30,
    threshold: float = THRESHOLD,
    min_entrants: float = 30,
    history: int = 12,
    top: int = 50,
    lang: Lang = "en",
) -> FrictionResult:
    """Friction points over [start, end] (local days; default: all the data)."""
    _check(period, by, touch_kinds, window_days, threshold, min_entrants, history, top)
    check_window(start, end)
    tables = StoredTables(store, settings.engine)
    stage_metrics = _stage_metrics()
    first, last = _bounds(tables, settings.timezone, start, end)
    overall = kpi_table(
        store, settings, metrics=stage_metrics, period=period, start=first, end=last, lang=lang
    )
    sliced = kpi_table(
        store,
        settings,
        metrics=stage_metrics,
        by=[by],
        period=period,
        start=first,
        end=last,
        lang=lang,
    )
    value, value_source = _deal_value(store, settings, first, last, lang)
    zone, dialect = settings.timezone, tables.dialect
    quantiles = {
        str(r["step"]): r
        for r in tables.rows(
            sq.delay_quantiles(
                tables["people"], tables["accounts"], MATURITY_QUANTILE, zone, dialect, first, last
            )
        )
    }
    delays = _delays(tables, zone, dialect, period, by == "segment")
    stage_obs, maturing = _stage_observations(
        overall.rows, sliced.rows, by, delays, quantiles, period, first, last
    )
    judged = judge(stage_obs, threshold=threshold, history=history, min_entrants=min_entrants)
    downstream = _downstream(overall.totals)
    points = [_point("stage", j, downstream.get(j.observation.step), value, period) for j in judged]
    touch_downstream = _touch_downstream(tables)
    for kind in _kinds(touch_kinds):
        obs = _touch_observations(tables, kind, window_days, period, first, last, zone)
        for j in judge(obs, threshold=threshold, history=history, min_entrants=min_entrants):
            points.append(_point(kind, j, touch_downstream, value, period))
    abnormal = [p for p in points if p.abnormal_drop or p.abnormal_delay]
    abnormal.sort(key=lambda p: (-p.revenue_lost, -(p.history_z or p.peer_z or p.delay_z or 0)))
    return FrictionResult(
        start=first,
        end=last,
        period=period,
        by=by,
        threshold=threshold,
        min_entrants=min_entrants,
        window_days=window_days,
        currency=settings.reporting_currency,
        deal_value=value,
        deal_value_source=value_source,
        stages=_stages(overall.totals, quantiles, points, maturing),
        points=abnormal[:top],
        formula=FORMULA[lang],
    )


def _check(
    period: str,
    by: str,
    kinds: Sequence[str],
    window_days: int,
    threshold: float,
    min_entrants: float,
    history: int,
    top: int,
) -> None:
    if period not in PERIODS:
        raise UsageError(f"period {period!r} is not allowed", fix="use week, month or quarter")
    if by not in BYS:
        raise UsageError(f"cannot compare peers by {by!r}", fix="use segment or channel")
    for kind in kinds:
        if kind not in sq.TOUCH_KINDS:
            raise UsageError(
                f"touchpoint kind {kind!r} is unknown", fix="use " + ", ".join(sq.TOUCH_KINDS)
            )
    if not 1 <= window_days <= 365:
        raise UsageError(f"window {window_days} days is out of range", fix="give 1 to 365 days")
    if threshold <= 0:
        raise UsageError(f"threshold {threshold} is not allowed", fix="e.g. 3.5")
    if min_entrants < 1:
        raise UsageError(f"min entrants {min_entrants} is not allowed", fix="e.g. 30")
    if not 2 <= history <= 60:
        raise UsageError(f"history {history} is out of range", fix="give 2 to 60 periods")
    if not 1 <= top <= 1000:
        raise UsageError(f"top {top} is out of range", fix="give 1 to 1000")


def _bounds(
    tables: StoredTables, zone: str, start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    """The window, its open ends filled with the first and last local day of the people's
    creation and the touchpoints."""
    days: list[datetime.date] = []
    for name, column in (("people", "created_at"), ("touchpoints", "touched_at")):
        t = tables[name]
        rec = tables.rows(t.aggregate(lo=t[column].min(), hi=t[column].max()))[0]
        days += [
            v.astimezone(ZoneInfo(zone)).date()
            for v in (rec["lo"], rec["hi"])
            if isinstance(v, datetime.datetime)
        ]
    if not days and (start is None or end is None):
        raise UsageError(
            "there is no dated data to judge friction on",
            fix="load people (with stage dates) and touchpoints, or give --from and --to",
        )
    first = start or min(days)
    last = end or max(days)
    if first > last:
        raise UsageError(
            f"start {first} is after the data's last day {last}", fix="give earlier dates"
        )
    return first, last


def _kinds(kinds: Sequence[str]) -> list[sq.TouchKind]:
    return [k for k in sq.TOUCH_KINDS if k in kinds]


def _stage_metrics() -> list[str]:
    out: list[str] = []
    for _, a, b in sq.TRANSITIONS:
        out += [_COUNT[a], cohort_measure(a, b), f"conv_{a}_{b}"]
    out += [f"conv_{stage}_customer" for stage, _, _ in STAGES[1:-1]]
    return list(dict.fromkeys(out))


def _deal_value(
    store: AnalyticsStore,
    settings: WorkspaceSettings,
    start: datetime.date,
    end: datetime.date,
    lang: Lang,
) -> tuple[float | None, str]:
    totals = kpi_table(
        store,
        settings,
        metrics=["avg_deal_size", "revenue", "orders"],
        start=start,
        end=end,
        lang=lang,
    ).totals
    if totals.get("avg_deal_size"):
        return totals["avg_deal_size"], "avg_deal_size"
    revenue, orders = totals.get("revenue"), totals.get("orders")
    if revenue and orders:
        return revenue / orders, "revenue / orders"
    return None, "none"


def _delays(
    tables: StoredTables, zone: str, dialect: Any, period: Period, by_segment: bool
) -> dict[tuple[str, str, datetime.date], float]:
    out: dict[tuple[str, str, datetime.date], float] = {}
    for segmented in {False, by_segment}:
        expr = sq.stage_delays(
            tables["people"], tables["accounts"], zone, dialect, period, segmented
        )
        for r in tables.rows(expr):
            key = r["period_start"]
            if r["delay_days"] is not None and isinstance(key, datetime.date):
                out[(str(r["step"]), str(r["slice"]), key)] = as_float(r["delay_days"])
    return out


def _period_end(key: datetime.date, period: Period) -> datetime.date:
    return period_spans(key, key + datetime.timedelta(days=366), period)[0][2]


def _stage_observations(
    overall: list[dict[str, Any]],
    sliced: list[dict[str, Any]],
    by: str,
    delays: dict[tuple[str, str, datetime.date], float],
    quantiles: dict[str, dict[str, Any]],
    period: Period,
    first: datetime.date,
    last: datetime.date,
) -> tuple[list[Observation], dict[str, list[str]]]:
    """Observations of the mature cohorts, and the maturing periods per step."""
    starts = {period_label(k, period): k for k, _, _ in period_spans(first, last, period)}
    obs: list[Observation] = []
    maturing: dict[str, list[str]] = {}
    for rows, dimension in ((overall, None), (sliced, by)):
        for r in rows:
            key = starts.get(str(r["period"]))
            if key is None:
                continue
            name = ALL if dimension is None else str(r[dimension])
            for step, a, b in sq.TRANSITIONS:
                late = as_float(quantiles.get(step, {}).get("late_days"))
                if _period_end(key, period) + datetime.timedelta(days=late) > last:
                    if dimension is None:
                        maturing.setdefault(step, []).append(str(r["period"]))
                    continue
                entrants = as_float(r.get(_COUNT[a]))
                reached = as_float(r.get(cohort_measure(a, b)))
                obs.append(
                    Observation(
                        step, name, key, entrants, entrants - reached, delays.get((step, name, key))
                    )
                )
    return obs, maturing


def _downstream(totals: dict[str, float | None]) -> dict[str, float | None]:
    """Per transition a -> b: the share of people reaching b who become customers."""
    return {
        step: 1.0 if b == "customer" else totals.get(f"conv_{b}_customer")
        for step, _, b in sq.TRANSITIONS
    }


def _touch_downstream(tables: StoredTables) -> float | None:
    r = tables.rows(sq.converters_becoming_customers(tables["conversions"], tables["people"]))[0]
    converters = as_float(r["converters"])
    return as_float(r["customers"]) / converters if converters else None


def _touch_observations(
    tables: StoredTables,
    kind: sq.TouchKind,
    window_days: int,
    period: Period,
    first: datetime.date,
    last: datetime.date,
    zone: str,
) -> list[Observation]:
    expr = sq.touch_outcomes(
        tables["touchpoints"],
        tables["conversions"],
        kind,
        window_days,
        zone,
        tables.dialect,
        period,
    )
    expr = expr.filter((expr.period_start >= first) & (expr.period_start <= last))
    out = []
    for r in tables.rows(expr):
        key = r["period_start"]
        assert isinstance(key, datetime.date)
        if _period_end(key, period) + datetime.timedelta(days=window_days) > last:
            continue  # people touched late in the data may still convert
        entrants = as_float(r["entrants"])
        delay = r["delay_days"]
        out.append(
            Observation(
                kind,
                str(r["step"]),
                key,
                entrants,
                entrants - as_float(r["reached"]),
                as_float(delay) if delay is not None else None,
            )
        )
    return out


def _point(
    kind: str, j: Judgement, downstream: float | None, value: float | None, period: Period
) -> FrictionPoint:
    o = j.observation
    stage = kind == "stage"
    lost = j.excess_dropped * (downstream or 0.0) * (value or 0.0)
    return FrictionPoint(
        kind=kind,
        step=o.step if stage else o.slice,
        slice=o.slice if stage else ALL,
        period=period_label(o.period, period),
        entrants=o.entrants,
        dropped=o.dropped,
        drop_off=o.drop_off,
        history_median=j.history_median,
        history_z=j.history_z,
        peer_median=j.peer_median,
        peer_z=j.peer_z,
        delay_days=o.delay_days,
        delay_median=j.delay_median,
        delay_z=j.delay_z,
        abnormal_drop=j.abnormal_drop,
        abnormal_delay=j.abnormal_delay,
        baseline=j.baseline,
        excess_dropped=j.excess_dropped,
        downstream_conversion=downstream,
        revenue_lost=lost,
    )


def _stages(
    totals: dict[str, float | None],
    quantiles: dict[str, dict[str, Any]],
    points: list[FrictionPoint],
    maturing: dict[str, list[str]],
) -> list[StageFriction]:
    out = []
    for step, a, b in sq.TRANSITIONS:
        mine = [p for p in points if p.kind == "stage" and p.step == step]
        flagged = [p for p in mine if p.abnormal_drop or p.abnormal_delay]
        own = sorted((p for p in mine if p.slice == ALL), key=lambda p: p.period)
        latest = own[-1] if own else None
        conversion = totals.get(f"conv_{a}_{b}")
        q = quantiles.get(step, {})
        out.append(
            StageFriction(
                step=step,
                stage_from=a,
                stage_to=b,
                entrants=totals.get(_COUNT[a]),
                conversion=conversion,
                drop_off=1 - conversion if conversion is not None else None,
                median_delay_days=_number(q.get("median_days")),
                late_delay_days=_number(q.get("late_days")),
                friction=bool(flagged),
                abnormal_periods=len({p.period for p in flagged}),
                revenue_lost=sum(p.revenue_lost for p in flagged),
                latest_period=latest.period if latest else None,
                latest_drop_off=latest.drop_off if latest else None,
                latest_history_z=latest.history_z if latest else None,
                maturing_periods=maturing.get(step, []),
            )
        )
    return out


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None
