"""Which fact computes each measure (the additive parts every KPI is recomputed from)."""

from __future__ import annotations

from pilotage.core.kpis.facts.base import FactBuilder
from pilotage.core.kpis.facts.media import overhead_fact, sessions_fact, spend_fact
from pilotage.core.kpis.facts.people import (
    STAGE_PAIRS,
    STAGES,
    cohort_measure,
    funnel_fact,
    surveys_fact,
)
from pilotage.core.kpis.facts.pipeline import (
    opportunities_closed_fact,
    opportunities_created_fact,
)
from pilotage.core.kpis.facts.retention import retention_fact
from pilotage.core.kpis.facts.revenue import (
    CONVERSION_TYPES,
    conversions_fact,
    customers_fact,
    orders_fact,
)

FACTS: dict[str, FactBuilder] = {
    "spend": spend_fact,
    "overhead": overhead_fact,
    "sessions": sessions_fact,
    "orders": orders_fact,
    "customers": customers_fact,
    "conversions": conversions_fact,
    "funnel": funnel_fact,
    "opportunities_created": opportunities_created_fact,
    "opportunities_closed": opportunities_closed_fact,
    "retention": retention_fact,
    "surveys": surveys_fact,
}

_BY_FACT: dict[str, tuple[str, ...]] = {
    "spend": (
        "cost",
        "paid_cost",
        "impressions",
        "clicks",
        "engagements",
        "platform_conversions",
        "platform_conversion_value",
    ),
    "overhead": ("overhead_cost",),
    "sessions": ("touches", "sessions", "visitors"),
    "orders": (
        "revenue",
        "attributed_revenue",
        "margin",
        "attributed_margin",
        "orders",
        "refunds",
    ),
    "customers": (
        "new_customers",
        "new_customers_paid",
        "cohort_revenue",
        "cohort_margin",
        "customer_months",
    ),
    "conversions": (
        "conversions",
        "conversion_value",
        *(f"conversions_{kind}" for kind in CONVERSION_TYPES),
    ),
    "funnel": (
        *(measure for _, _, measure in STAGES),
        *(cohort_measure(a, b) for a, b in STAGE_PAIRS),
    ),
    "opportunities_created": (
        "pipeline_created",
        "opportunities_created",
        "pipeline_sourced_field",
        "pipeline_sourced_first_touch",
        "pipeline_sourced_pre_sales",
        "pipeline_influenced",
    ),
    "opportunities_closed": ("won_amount", "won_deals", "lost_deals", "cycle_days_won"),
    "retention": (
        "mrr_start",
        "mrr_end",
        "mrr_retained",
        "mrr_end_of_start",
        "customers_start",
        "customers_churned",
    ),
    "surveys": (
        "nps_responses",
        "promoters",
        "detractors",
        "csat_responses",
        "csat_satisfied",
        "ces_responses",
        "ces_total",
    ),
}

#: measure id -> fact name.
MEASURE_FACT: dict[str, str] = {m: fact for fact, ms in _BY_FACT.items() for m in ms}
