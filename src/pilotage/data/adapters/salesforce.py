"""Salesforce exports (Data Loader, Workbench, Bulk API or an API query saved as CSV/JSON) ->
``opportunities``, ``campaigns``, ``touchpoints``.

Headers are API field names (``StageName``) or their report labels (``Stage``). Data Loader
writes ISO values (``2026-11-24T09:15:00.000Z``, ``2026-12-15``, ``true``); report exports
in a locale format are passed through for validation to read.

Opportunities: ``CloseDate`` on an open opportunity is the expected close date, so
``closed_at`` is only set when ``IsClosed`` is true (the column itself is kept).
``LeadSource`` -> ``source``: partner sources -> partner, sales-sourced ones (cold call,
phone inquiry, employee referral, outbound) -> sales, other known marketing sources ->
marketing, anything else -> other; ``LeadSource`` is kept as given.

Campaigns: ``Type`` -> channel (see :data:`CAMPAIGN_CHANNELS`; types with no clear
channel, such as Direct Mail, Public Relations or Other, are left empty for the loader's
channel rules to report) and ``program`` = the type in snake case.

Campaign members -> touchpoints: ``person_id`` = ``ContactId``, else ``LeadId``;
``touched_at`` = ``FirstRespondedDate`` when the member responded, else ``CreatedDate``.
``channel`` is left empty: the loader fills it from the member's campaign in ``campaigns``,
so load campaigns first.
"""

from __future__ import annotations

from pilotage.data.adapters.base import Adapter, Frame, Values, header_key
from pilotage.data.adapters.values import boolean, iso_timestamp, snake
from pilotage.data.readers.raw import RawTable

CAMPAIGN_CHANNELS = {
    "webinar": "webinars",
    "conference": "events",
    "seminarconference": "events",
    "tradeshow": "events",
    "event": "events",
    "email": "email",
    "advertisement": "display",
    "bannerads": "display",
    "paidsearch": "paid_search",
    "paidsocial": "paid_social",
    "socialmedia": "organic_social",
    "content": "content",
    "contentsyndication": "content",
    "partners": "partners",
    "referralprogram": "referral",
    "telemarketing": "sales",
}
_PARTNER = {"partner", "partnerreferral", "partners"}
_SALES = {"coldcall", "phoneinquiry", "employeereferral", "outbound", "sales", "telemarketing"}
_MARKETING = {
    "web",
    "website",
    "advertisement",
    "purchasedlist",
    "tradeshow",
    "seminarinternal",
    "seminarpartner",
    "publicrelations",
    "externalreferral",
    "wordofmouth",
    "webinar",
    "email",
    "event",
    "socialmedia",
    "content",
}
_ID_FIX = "export the Id field (Data Loader) or the record ID column (report)"
_DATE_FIX = "export with Data Loader, which writes ISO 8601 dates"


def lead_source(value: str | None) -> str | None:
    """LeadSource picklist value -> marketing, sales, partner or other."""
    if value is None:
        return None
    key = header_key(value)
    if key in _PARTNER:
        return "partner"
    if key in _SALES:
        return "sales"
    return "marketing" if key in _MARKETING else "other"


def _iso_or_locale(value: str) -> str | None:
    """ISO values are rewritten; a report's locale date is left for validation to read."""
    try:
        return iso_timestamp(value)
    except ValueError:
        return value


def _dates(frame: Frame, *names: str) -> Values:
    found = frame.find(*names)
    return frame.convert(found, frame.take(found), _iso_or_locale, _DATE_FIX)


def _flags(frame: Frame, *names: str) -> Values:
    found = frame.find(*names)
    return frame.convert(found, frame.take(found), boolean, "use true/false")


def convert_opportunities(raw: RawTable) -> RawTable:
    frame = Frame(raw, "Salesforce opportunities export")
    record = frame.require("Id", "Opportunity ID", fix=_ID_FIX)
    account = frame.require("AccountId", "Account ID", fix="add the AccountId field")
    closed = _flags(frame, "IsClosed", "Closed")
    close_date = frame.find("CloseDate", "Close Date")
    closed_at = frame.convert(close_date, frame.values(close_date), _iso_or_locale, _DATE_FIX)
    source = frame.find("LeadSource", "Lead Source")
    canonical: dict[str, Values] = {
        "opportunity_id": frame.take(record),
        "account_id": frame.take(account),
        "created_at": _dates(frame, "CreatedDate", "Created Date"),
        "amount": frame.take(frame.find("Amount")),
        "stage": frame.take(frame.find("StageName", "Stage")),
        "closed_at": [at if c == "true" else None for at, c in zip(closed_at, closed, strict=True)],
        "is_closed": closed,
        "is_won": _flags(frame, "IsWon", "Won"),
        "source": [lead_source(v) for v in frame.values(source)],
        "primary_campaign_id": frame.take(frame.find("CampaignId", "Primary Campaign Source ID")),
        "owner": frame.take(frame.find("OwnerId", "Opportunity Owner")),
        "currency": frame.take(frame.find("CurrencyIsoCode", "Opportunity Currency")),
    }
    return frame.output(canonical)


def convert_campaigns(raw: RawTable) -> RawTable:
    frame = Frame(raw, "Salesforce campaigns export")
    record = frame.require("Id", "Campaign ID", fix=_ID_FIX)
    name = frame.require("Name", "Campaign Name", fix="add the Name field")
    types = frame.values(frame.find("Type", "Campaign Type"))
    budget = frame.find("BudgetedCost", "Budgeted Cost in Campaign")
    canonical: dict[str, Values] = {
        "campaign_id": frame.take(record),
        "name": frame.take(name),
        "channel": [CAMPAIGN_CHANNELS.get(header_key(t or "")) for t in types],
        "program": [None if t is None else snake(t) for t in types],
        "start_date": _dates(frame, "StartDate", "Start Date"),
        "end_date": _dates(frame, "EndDate", "End Date"),
        "budget": frame.take(budget),
        "currency": frame.take(frame.find("CurrencyIsoCode", "Campaign Currency")),
        "owner": frame.take(frame.find("OwnerId", "Campaign Owner")),
    }
    return frame.output(canonical)


def convert_members(raw: RawTable) -> RawTable:
    frame = Frame(raw, "Salesforce campaign members export")
    campaign = frame.require("CampaignId", "Campaign ID", fix="add the CampaignId field")
    created = frame.require("CreatedDate", "Created Date", fix="add the CreatedDate field")
    contact = frame.find("ContactId", "Contact ID")
    lead = frame.find("LeadId", "Lead ID")
    if contact is None and lead is None:
        raise frame.missing(("ContactId", "LeadId"), "add the ContactId and LeadId fields")
    responded = _flags(frame, "HasResponded", "Responded")
    first = frame.find("FirstRespondedDate", "First Responded Date")
    created_at = frame.convert(created, frame.values(created), _iso_or_locale, _DATE_FIX)
    responded_at = frame.convert(first, frame.values(first), _iso_or_locale, _DATE_FIX)
    touched = [
        r_at if r == "true" and r_at is not None else c_at
        for c_at, r_at, r in zip(created_at, responded_at, responded, strict=True)
    ]
    people = [c or ld for c, ld in zip(frame.values(contact), frame.values(lead), strict=True)]
    canonical: dict[str, Values] = {
        "touched_at": touched,
        "channel": [None] * frame.num_rows,
        "person_id": people,
        "touch_id": frame.take(frame.find("Id", "Campaign Member ID")),
        "campaign_id": frame.take(campaign),
    }
    return frame.output(canonical)


OPPORTUNITIES = Adapter(
    source="salesforce",
    table="opportunities",
    description="Salesforce Opportunity export (Id, AccountId, StageName, IsClosed, IsWon)",
    convert=convert_opportunities,
)
CAMPAIGNS = Adapter(
    source="salesforce",
    table="campaigns",
    description="Salesforce Campaign export (Id, Name, Type -> channel and program)",
    convert=convert_campaigns,
)
TOUCHPOINTS = Adapter(
    source="salesforce",
    table="touchpoints",
    description="Salesforce CampaignMember export; channel filled from campaigns on load",
    convert=convert_members,
)
