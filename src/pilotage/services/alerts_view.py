"""The alerts page: stored alerts, this month's spend pacing and the webhook deliveries."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pilotage.data.metadata.store import MetadataStore
from pilotage.services.alerts import list_alerts
from pilotage.services.alerts_detect import METHOD
from pilotage.services.alerts_types import AlertList, DeliveryReport, PacingView
from pilotage.services.webhooks import list_deliveries

#: Deliveries shown on the page (the API lists them all).
RECENT_DELIVERIES = 20


class AlertsView(BaseModel):
    model_config = ConfigDict(frozen=True)

    alerts: AlertList
    pacing: PacingView
    deliveries: DeliveryReport
    method: str


def alerts_view(
    meta: MetadataStore, pacing: PacingView, *, currency: str, lang: str = "en"
) -> AlertsView:
    """Alerts read fresh (their states change without any upload); ``pacing`` depends on the
    analytics data only, so the server passes a cached one."""
    deliveries = list_deliveries(meta)
    return AlertsView(
        alerts=list_alerts(meta, currency=currency, lang=lang),
        pacing=pacing,
        deliveries=deliveries.model_copy(
            update={"deliveries": deliveries.deliveries[:RECENT_DELIVERIES]}
        ),
        method=METHOD,
    )
