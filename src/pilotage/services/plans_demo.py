"""The demo's plans: initiatives at every step of their lifecycle (the Lyon regional event,
evaluated; the targeted webinar series, launched and due for evaluation; a pricing-page A/B
test, approved; a sales-development hire and an ABM campaign, proposed) and objectives that
cascade from two business objectives, with targets set from the year before.

Every date comes from the data (the campaigns' days, the last data day) and every move is
stamped with the day it would have happened, so that the same demo gives the same store.
"""

from __future__ import annotations

import datetime
from typing import Any

from pilotage.data.metadata.experiments import link_experiment
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.services.initiative_evaluation import kpi_value
from pilotage.services.initiatives import (
    create_initiative,
    evaluate_initiative,
    move_initiative,
)
from pilotage.services.objectives import ObjectiveSpec, create_objective
from pilotage.services.reports import last_data_day
from pilotage.services.tables import StoredTables

CMO, MARKETING = "cmo@demo.pilotage.fr", "marketing@demo.pilotage.fr"
_DAY = datetime.timedelta(days=1)


def _on(meta: MetadataStore, day: datetime.date) -> MetadataStore:
    """``meta`` with its clock pinned on ``day`` at 9:00 UTC."""
    moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
    return MetadataStore(meta.engine, now=lambda: moment)


def _campaign_days(store: AnalyticsStore, initiative: str) -> list[datetime.date]:
    tables = StoredTables(store)
    campaigns = tables["campaigns"]
    rows = tables.rows(campaigns.filter(campaigns.initiative_id == initiative).select("start_date"))
    return sorted(r["start_date"] for r in rows if isinstance(r["start_date"], datetime.date))


def seed_demo_plans(
    store: AnalyticsStore, settings: WorkspaceSettings, meta: MetadataStore
) -> None:
    """Seed the demo's initiatives and objectives (nothing when the data has no campaigns of
    the Lyon event and the webinar series)."""
    last = last_data_day(store)
    lyon, series = _campaign_days(store, "INIT-LYON"), _campaign_days(store, "INIT-WEBINAR")
    if last is None or not lyon or not series:
        return
    _lyon(store, settings, meta, lyon[0])
    _webinars(meta, series[0], series[-1])
    _pricing_test(store, settings, meta, last)
    _proposals(store, settings, meta, last)
    _objectives(store, settings, meta, last)


def _lyon(
    store: AnalyticsStore, settings: WorkspaceSettings, meta: MetadataStore, day: datetime.date
) -> None:
    proposed = day - datetime.timedelta(days=120)
    made = create_initiative(
        _on(meta, proposed),
        name="Salon régional Lyon",
        kind="event",
        owner=MARKETING,
        actor=MARKETING,
        description="Stand et conférence au salon régional de Lyon : rencontrer les comptes "
        "de la région Auvergne-Rhône-Alpes.",
        plan={
            "kpi": "leads",
            "scope": {"initiative": ["INIT-LYON"]},
            "baseline": 0.0,
            "target": 220.0,
            "start": day,
            "evaluation_date": day + datetime.timedelta(days=90),
            "cost": 95_000.0,
            "method": "attribution",
            "attribution_model": "first",
            "notes": "Badges scannés et inscrits importés comme leads ; pipeline crédité au "
            "premier contact.",
        },
        case={
            "return_metric": "pipeline_created",
            "low": 600_000.0,
            "base": 1_200_000.0,
            "high": 1_800_000.0,
            "margin": 0.2,
            "months": 18,
            "rationale": "Salon 2024 : 1,1 M€ de pipeline ; taux de gain 25 %, marge brute 80 %.",
        },
    )
    move_initiative(
        _on(meta, proposed + datetime.timedelta(days=30)),
        made.id,
        "approve",
        CMO,
        today=proposed + datetime.timedelta(days=30),
        note="Comité digital (avec la DAF) : budget validé sous réserve du suivi du pipeline.",
    )
    move_initiative(_on(meta, day - 7 * _DAY), made.id, "launch", CMO, today=day - 7 * _DAY)
    evaluated = day + datetime.timedelta(days=100)
    evaluate_initiative(
        store,
        _on(meta, evaluated),
        settings,
        made.id,
        CMO,
        today=evaluated,
        note="Bilan présenté au comité trimestriel.",
    )


def _webinars(meta: MetadataStore, first: datetime.date, last: datetime.date) -> None:
    proposed = first - datetime.timedelta(days=60)
    made = create_initiative(
        _on(meta, proposed),
        name="Série de webinaires ciblés",
        kind="webinar_series",
        owner=MARKETING,
        actor=MARKETING,
        description="Six webinaires sectoriels, un toutes les deux semaines, pour les comptes "
        "cibles : l'alternative au salon régional.",
        plan={
            "kpi": "mqls",
            "scope": {"initiative": ["INIT-WEBINAR"]},
            "baseline": 0.0,
            "target": 120.0,
            "start": first,
            "evaluation_date": last + datetime.timedelta(days=60),
            "cost": 39_000.0,
            "method": "attribution",
            "attribution_model": "linear",
        },
        case={
            "return_metric": "pipeline_created",
            "low": 300_000.0,
            "base": 700_000.0,
            "high": 1_100_000.0,
            "margin": 0.2,
            "months": 12,
        },
    )
    approved = proposed + datetime.timedelta(days=21)
    move_initiative(_on(meta, approved), made.id, "approve", CMO, today=approved)
    move_initiative(_on(meta, first - 7 * _DAY), made.id, "launch", CMO, today=first - 7 * _DAY)


def _pricing_test(
    store: AnalyticsStore, settings: WorkspaceSettings, meta: MetadataStore, last: datetime.date
) -> None:
    start = last + datetime.timedelta(days=21)
    baseline = kpi_value(
        store, settings, "conversions_purchase", {}, last - datetime.timedelta(days=59), last
    )
    made = create_initiative(
        _on(meta, last - 14 * _DAY),
        name="Refonte de la page tarifs",
        kind="campaign",
        owner=MARKETING,
        actor=MARKETING,
        description="Nouvelle page tarifs testée en A/B avant d'être généralisée.",
        plan={
            "kpi": "conversions_purchase",
            "baseline": round(baseline or 0.0),
            "baseline_source": "workspace",
            "target": round((baseline or 0.0) * 1.08),
            "start": start,
            "evaluation_date": start + datetime.timedelta(days=59),
            "cost": 12_000.0,
            "method": "experiment",
            "experiment_id": "EXP-PRICING-PAGE",
        },
        case={
            "return_metric": "revenue",
            "low": 10_000.0,
            "base": 45_000.0,
            "high": 90_000.0,
            "margin": 0.8,
            "months": 12,
        },
    )
    with _on(meta, last - 10 * _DAY).session() as session:
        link_experiment(session, "EXP-PRICING-PAGE", made.id, None, MARKETING)
    move_initiative(_on(meta, last - 3 * _DAY), made.id, "approve", CMO, today=last - 3 * _DAY)


def _proposals(
    store: AnalyticsStore, settings: WorkspaceSettings, meta: MetadataStore, last: datetime.date
) -> None:
    day = last - 5 * _DAY
    half_year = kpi_value(
        store, settings, "sqls", {"country": ["FR"]}, last - datetime.timedelta(days=179), last
    )
    create_initiative(
        _on(meta, day),
        name="Recrutement d'un SDR marketing (France)",
        kind="hire",
        owner=CMO,
        actor=CMO,
        description="Un SDR qualifie les MQL français ; la Belgique, sans SDR, sert de témoin.",
        plan={
            "kpi": "sqls",
            "scope": {"country": ["FR"]},
            "baseline": round(half_year or 0.0),
            "target": round((half_year or 0.0) * 1.25),
            "start": last + datetime.timedelta(days=45),
            "evaluation_date": last + datetime.timedelta(days=224),
            "cost": 65_000.0,
            "method": "pre_post_control",
            "control_scope": {"country": ["BE"]},
        },
        case={
            "return_metric": "won_amount",
            "low": 80_000.0,
            "base": 220_000.0,
            "high": 400_000.0,
            "margin": 0.8,
            "months": 12,
        },
    )
    create_initiative(
        _on(meta, day),
        name="Campagne LinkedIn ABM — comptes tier 1",
        kind="campaign",
        owner=MARKETING,
        actor=MARKETING,
        plan={"kpi": "pipeline_created", "scope": {"tier": ["tier 1"]}, "method": "attribution"},
    )


def _objectives(
    store: AnalyticsStore, settings: WorkspaceSettings, meta: MetadataStore, last: datetime.date
) -> None:
    year = last.year
    start, deadline = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    prior = (datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31))

    def before(metric: str, scope: dict[str, list[str]] | None = None) -> float:
        return kpi_value(store, settings, metric, scope or {}, *prior) or 0.0

    at = _on(meta, start)

    def objective(**fields: Any) -> int:
        spec = ObjectiveSpec(start=start, deadline=deadline, **fields)
        return create_objective(at, spec, CMO, today=start).id

    revenue = objective(
        name=f"Chiffre d'affaires {year}",
        metric_id="revenue",
        target=round(before("revenue") * 1.15, -3),
        kind="business",
        owner="ceo@demo.pilotage.fr",
    )
    signed = objective(
        name=f"Signatures {year}",
        metric_id="won_amount",
        target=round(before("won_amount") * 1.2, -3),
        kind="business",
        owner="sales@demo.pilotage.fr",
    )
    objective(
        name=f"MQL {year}",
        metric_id="mqls",
        target=round(before("mqls") * 1.1),
        parent_id=revenue,
        owner=MARKETING,
    )
    objective(
        name=f"Pipeline sourcé marketing {year}",
        metric_id="pipeline_sourced_first_touch",
        target=round(before("pipeline_sourced_first_touch") * 1.2, -3),
        parent_id=signed,
        owner=CMO,
    )
    objective(
        name="CAC global en décembre",
        metric_id="cac_blended",
        target=round(before("cac_blended") * 0.9),
        parent_id=revenue,
        owner=CMO,
    )
    objective(
        name="CTR du search payant",
        metric_id="ctr",
        scope={"channel": ["paid_search"]},
        target=round(before("ctr", {"channel": ["paid_search"]}) * 1.5, 4),
        owner=MARKETING,
    )
