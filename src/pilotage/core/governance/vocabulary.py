"""The closed option sets of governance, shared by the metadata tables' CHECK constraints,
the services' validation and the interfaces' choices."""

from __future__ import annotations

from typing import Literal, get_args

Cadence = Literal["weekly", "monthly", "quarterly"]
#: Functions that sit on a digital committee.
MemberRole = Literal[
    "ceo", "cmo", "cdo", "cfo", "sales", "marketing", "it", "customer_service", "data", "other"
]
#: Areas of marketing someone answers for (RACI) and whose skills the health check rates.
Domain = Literal["seo", "sea", "social", "email", "content", "events", "data", "budget"]
Raci = Literal["responsible", "accountable", "consulted", "informed"]
ActionStatus = Literal["open", "done", "cancelled"]
AlertRule = Literal["anomaly", "pacing", "cpa_drift"]
AlertKind = Literal["shift", "spike", "dip", "overspend", "underspend", "drift"]
AlertState = Literal["open", "acknowledged", "resolved"]
Severity = Literal["info", "warning", "critical"]
Direction = Literal["up", "down"]
DeliveryStatus = Literal["pending", "delivered", "failed"]

CADENCES: tuple[Cadence, ...] = get_args(Cadence)
MEMBER_ROLES: tuple[MemberRole, ...] = get_args(MemberRole)
DOMAINS: tuple[Domain, ...] = get_args(Domain)
RACI_LEVELS: tuple[Raci, ...] = get_args(Raci)
ACTION_STATUSES: tuple[ActionStatus, ...] = get_args(ActionStatus)
ALERT_RULES: tuple[AlertRule, ...] = get_args(AlertRule)
ALERT_KINDS: tuple[AlertKind, ...] = get_args(AlertKind)
ALERT_STATES: tuple[AlertState, ...] = get_args(AlertState)
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
DELIVERY_STATUSES: tuple[DeliveryStatus, ...] = get_args(DeliveryStatus)
#: The functions a digital committee should bring together (the health check counts them).
KEY_FUNCTIONS: tuple[tuple[MemberRole, ...], ...] = (
    ("cmo", "marketing"),
    ("sales",),
    ("cdo", "it", "data"),
    ("customer_service",),
)
#: Domains -> the channels of the default grouping they cover (the agenda and alerts name
#: the owner of an alert's channel).
DOMAIN_CHANNELS: dict[Domain, tuple[str, ...]] = {
    "seo": ("organic_search",),
    "sea": ("paid_search",),
    "social": ("paid_social", "organic_social"),
    "email": ("email",),
    "content": ("content", "display", "video", "referral", "affiliate"),
    "events": ("events", "webinars", "partners"),
    "data": (),
    "budget": (),
}
