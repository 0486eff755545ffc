"""Monthly team, tool, agency and programme costs (EUR) for fully loaded CAC."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from pilotage.data.demo.config import F64, Calendar
from pilotage.data.demo.tables import build_table, date_column
from pilotage.data.demo.truth import MEDIA

# (category, channel or None, description, EUR per month at scale 1 at the period start)
FIXED = (
    ("salaries_marketing", None, "Équipe marketing (8 ETP, chargés)", 52_000.0),
    ("salaries_sales", None, "Équipe commerciale (10 AE, 4 SDR, chargés)", 96_000.0),
    ("tools", "sales", "CRM Salesforce", 4_500.0),
    ("tools", "email", "Automatisation marketing HubSpot", 3_200.0),
    ("tools", "webinars", "Plateforme de webinaires", 600.0),
    ("tools", None, "Analytique et BI", 1_200.0),
    ("agency", "organic_search", "Agence SEO", 4_000.0),
    ("agency", "content", "Agence de contenu", 3_500.0),
)
MEDIA_AGENCY_FEE = 0.12  # share of paid media spend billed by the media agency
EVENT_LOGISTICS = 0.25  # travel and staffing, share of event spend
PARTNER_COMMISSION = 0.15  # share of partner-sourced first-year revenue


def build_costs(
    cal: Calendar, scale: float, weekly_spend: F64, partner_revenue: F64
) -> tuple[pa.Table, dict[str, Any]]:
    """``weekly_spend`` (n_media, n_weeks) EUR; ``partner_revenue`` (n_months,) EUR."""
    rows: dict[str, list[Any]] = {
        k: [] for k in ("month", "category", "amount", "channel", "description")
    }
    months = cal.month_first
    growth = 1 + 0.06 * np.arange(cal.n_months) / 12  # salary and tool inflation, 6 %/year
    # Spend per month: each week's spend split over its days, then summed by month.
    daily = weekly_spend[:, cal.day_week] / cal.week_days[cal.day_week]
    monthly = np.vstack(
        [np.bincount(cal.day_month, weights=d, minlength=cal.n_months) for d in daily]
    )

    def add(category: str, channel: str | None, text: str, amounts: F64) -> None:
        for m, amount in enumerate(amounts):
            rows["month"].append(int(months[m]))
            rows["category"].append(category)
            rows["amount"].append(round(float(amount), 2))
            rows["channel"].append(channel)
            rows["description"].append(text)

    for category, channel, text, base in FIXED:
        add(category, channel, text, base * scale * growth)
    for k, m in enumerate(MEDIA):
        if m.channel in ("paid_search", "paid_social", "display", "video"):
            add("agency", m.channel, "Honoraires agence média", monthly[k] * MEDIA_AGENCY_FEE)
    add(
        "events_logistics",
        "events",
        "Déplacements et stand",
        monthly[[m.channel for m in MEDIA].index("events")] * EVENT_LOGISTICS,
    )
    add(
        "partner_commissions",
        "partners",
        "Commissions partenaires",
        partner_revenue * PARTNER_COMMISSION,
    )
    n = len(rows["month"])
    table = build_table(
        "costs",
        {
            "month": date_column(np.array(rows["month"], dtype=np.int64)),
            "category": rows["category"],
            "amount": np.array(rows["amount"]),
            "currency": ["EUR"] * n,
            "channel": rows["channel"],
            "description": rows["description"],
        },
    )
    truth = {
        "media_agency_fee_share": MEDIA_AGENCY_FEE,
        "event_logistics_share": EVENT_LOGISTICS,
        "partner_commission_share": PARTNER_COMMISSION,
        "total_costs_eur": round(float(np.sum(rows["amount"])), 2),
    }
    return table, truth
