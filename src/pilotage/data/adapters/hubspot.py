"""HubSpot CRM exports (contacts, companies, deals) -> ``people``, ``accounts``,
``opportunities``.

Exports from the CRM index pages ("Export view" / "Export all properties"), with property
labels as headers and associations exported as record IDs. Dates are as HubSpot writes them:
ISO with ``Z`` from the API, or ``2026-11-24 09:15`` in the portal's time zone from the UI
(kept without offset, so validation reads them in the workspace time zone). Amounts and
counts are passed through for validation to read.

Original Source -> Pilotage channel (``acquisition_channel``), for both the internal values
and the labels: ORGANIC_SEARCH -> organic_search, PAID_SEARCH -> paid_search,
EMAIL_MARKETING -> email, SOCIAL_MEDIA / "Organic social" -> organic_social, PAID_SOCIAL ->
paid_social, REFERRALS and AI_REFERRALS -> referral, DIRECT_TRAFFIC -> direct, OFFLINE
(records created in the CRM, by import or by an integration) -> sales, OTHER_CAMPAIGNS (UTM
tags matching no other source) -> unassigned, which the channel report lists for review.
Unknown values pass through unchanged.

Deals: ``is_closed`` / ``is_won`` come from ``Is Closed Won`` and ``Is Deal Closed?`` when
exported, else from the default pipeline's stage (closedwon, closedlost, or one of the open
stages); custom stages without those columns stay unknown. ``Close Date`` on an open deal is
the expected close date, so ``closed_at`` is only set on closed deals (the column itself is
kept). Original Source Type -> ``source``: OFFLINE -> sales, every online source ->
marketing.
"""

from __future__ import annotations

import re

from pilotage.data.adapters.base import Adapter, Frame, Values, header_key
from pilotage.data.adapters.values import boolean, iso_timestamp
from pilotage.data.readers.raw import RawTable

CHANNELS = {
    "organicsearch": "organic_search",
    "paidsearch": "paid_search",
    "emailmarketing": "email",
    "socialmedia": "organic_social",
    "organicsocial": "organic_social",
    "paidsocial": "paid_social",
    "referrals": "referral",
    "aireferrals": "referral",
    "directtraffic": "direct",
    "offline": "sales",
    "offlinesources": "sales",
    "othercampaigns": "unassigned",
}
LIFECYCLE = {
    "subscriber": "subscriber",
    "lead": "lead",
    "marketingqualifiedlead": "mql",
    "salesqualifiedlead": "sql",
    "opportunity": "opportunity",
    "customer": "customer",
    "evangelist": "evangelist",
    "other": "other",
}
_OPEN_STAGES = {
    "appointmentscheduled",
    "qualifiedtobuy",
    "presentationscheduled",
    "decisionmakerboughtin",
    "contractsent",
}
_ID_LIST = re.compile(r"\d+(\s*;\s*\d+)*")
_ID_FIX = "include the Record ID column in the export"
_DATE_FIX = "export dates as HubSpot writes them (YYYY-MM-DD HH:MM or ISO 8601)"


def channel_for(original_source: str | None) -> str | None:
    if original_source is None:
        return None
    return CHANNELS.get(header_key(original_source), original_source)


def _lifecycle(value: str | None) -> str | None:
    if value is None:
        return None
    return LIFECYCLE.get(header_key(value), value)


def _first_id(value: str) -> str:
    """'1234;5678' -> '1234': HubSpot lists the primary association first."""
    if not _ID_LIST.fullmatch(value.strip()):
        raise ValueError("not a HubSpot record ID (or a ';' list of them)")
    return value.split(";")[0].strip()


def _company_ids(frame: Frame, *names: str) -> Values:
    """Company record IDs; a plural column is not renamed, so the full list is kept."""
    found = frame.find(*names)
    fix = "export the associated company record IDs, not the company names"
    plural = found is not None and header_key(found).endswith("ids")
    values = frame.values(found) if plural else frame.take(found)
    return frame.convert(found, values, _first_id, fix)


def _timestamps(frame: Frame, *names: str) -> Values:
    found = frame.find(*names)
    return frame.convert(found, frame.take(found), iso_timestamp, _DATE_FIX)


def convert_contacts(raw: RawTable) -> RawTable:
    frame = Frame(raw, "HubSpot contacts export")
    record = frame.require("Record ID", "Contact ID", fix=_ID_FIX)
    source = frame.find("Original Source", "Original Traffic Source")
    canonical: dict[str, Values] = {
        "person_id": frame.take(record),
        "account_id": _company_ids(
            frame, "Associated Company ID", "Company ID", "Associated Company IDs"
        ),
        "created_at": _timestamps(frame, "Create Date"),
        "lifecycle_stage": [_lifecycle(v) for v in frame.take(frame.find("Lifecycle Stage"))],
        "mql_at": _timestamps(frame, "Became a Marketing Qualified Lead Date"),
        "sql_at": _timestamps(frame, "Became a Sales Qualified Lead Date"),
        "opportunity_at": _timestamps(frame, "Became an Opportunity Date"),
        "customer_at": _timestamps(frame, "Became a Customer Date"),
        "country": frame.take(frame.find("Country/Region", "Country")),
        "job_role": frame.take(frame.find("Job Role", "Job Title")),
        "acquisition_channel": [channel_for(v) for v in frame.values(source)],
    }
    return frame.output(canonical)


def convert_companies(raw: RawTable) -> RawTable:
    frame = Frame(raw, "HubSpot companies export")
    record = frame.require("Record ID", "Company ID", fix=_ID_FIX)
    name = frame.require("Company name", "Name", fix="include the Company name column")
    domain = frame.find("Company Domain Name", "Website URL")
    target = frame.find("Target Account", "Is Target Account")
    canonical: dict[str, Values] = {
        "account_id": frame.take(record),
        "name": frame.take(name),
        "domain": [None if v is None else v.strip().lower() for v in frame.take(domain)],
        "industry": frame.take(frame.find("Industry")),
        "employees": frame.take(frame.find("Number of Employees")),
        "country": frame.take(frame.find("Country/Region", "Country")),
        "is_target": frame.convert(target, frame.take(target), boolean, "use true/false"),
        "tier": frame.take(frame.find("Ideal Customer Profile Tier")),
        "sales_owner": frame.take(frame.find("Company owner")),
        "created_at": _timestamps(frame, "Create Date"),
    }
    return frame.output(canonical)


def convert_deals(raw: RawTable) -> RawTable:
    frame = Frame(raw, "HubSpot deals export")
    record = frame.require("Record ID", "Deal ID", fix=_ID_FIX)
    company = frame.require(
        "Associated Company IDs",
        "Associated Company ID",
        "Associated Company",
        fix="export deals with their associated company IDs",
    )
    stage = frame.require("Deal Stage", fix="include the Deal Stage column")
    stages = frame.values(stage)
    won = _flags(frame, ("Is Closed Won", "Is Won"), stages, {"closedwon"})
    closed = _flags(frame, ("Is Deal Closed?", "Is Closed"), stages, {"closedwon", "closedlost"})
    close_date = frame.find("Close Date")
    closed_at = frame.convert(close_date, frame.values(close_date), iso_timestamp, _DATE_FIX)
    source = frame.find("Original Source Type", "Original Source")
    canonical: dict[str, Values] = {
        "opportunity_id": frame.take(record),
        "account_id": _company_ids(frame, company),
        "created_at": _timestamps(frame, "Create Date"),
        "amount": frame.take(frame.find("Amount")),
        "stage": frame.take(stage),
        "closed_at": [at if c == "true" else None for at, c in zip(closed_at, closed, strict=True)],
        "is_closed": closed,
        "is_won": won,
        "source": [_deal_source(v) for v in frame.values(source)],
        "owner": frame.take(frame.find("Deal owner")),
        "currency": frame.take(frame.find("Currency")),
    }
    return frame.output(canonical)


def _flags(frame: Frame, names: tuple[str, ...], stages: Values, true_stages: set[str]) -> Values:
    found = frame.find(*names)
    if found is not None:
        return frame.convert(found, frame.take(found), boolean, "use true/false")
    out: Values = []
    for stage in stages:
        key = header_key(stage or "")
        if key in true_stages:
            out.append("true")
        elif key in _OPEN_STAGES or key in ("closedwon", "closedlost"):
            out.append("false")
        else:
            out.append(None)
    return out


def _deal_source(value: str | None) -> str | None:
    if value is None:
        return None
    channel = CHANNELS.get(header_key(value))
    if channel is None:
        return "other"
    return "sales" if channel == "sales" else "marketing"


PEOPLE = Adapter(
    source="hubspot",
    table="people",
    description="HubSpot contacts export (Record ID, lifecycle dates, Original Source)",
    convert=convert_contacts,
)
ACCOUNTS = Adapter(
    source="hubspot",
    table="accounts",
    description="HubSpot companies export (Record ID, Company name, Company Domain Name)",
    convert=convert_companies,
)
OPPORTUNITIES = Adapter(
    source="hubspot",
    table="opportunities",
    description="HubSpot deals export (Record ID, Associated Company IDs, Deal Stage, Amount)",
    convert=convert_deals,
)
