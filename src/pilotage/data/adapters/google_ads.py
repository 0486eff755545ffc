"""Google Ads campaign reports -> ``spend``.

Two shapes of the same report are accepted:

* GAQL / API rows: ``segments.date``, ``campaign.id``, ``metrics.cost_micros`` ... as flat
  columns (dotted as in GAQL, underscored as in the BigQuery Data Transfer tables, camelCase
  as in the REST API), or as the nested ``campaign`` / ``metrics`` / ``segments`` objects of
  REST API results saved as JSON. Cost is ``cost_micros`` / 1e6, in the account currency.
* The English UI download ("Download > CSV"): ``Day``, ``Campaign``, ``Campaign ID``,
  ``Impr.``, ``Cost`` ... with ``1,234.56`` numbers and ``--`` for no value. Its "Total: ..."
  summary rows are dropped (loading them would count the money twice). The title and
  date-range lines above the header are left to the file reader.

The channel comes from the campaign type (paid_search when the export does not give it).
Values are never summed or filled in.
"""

from __future__ import annotations

import json

import pyarrow as pa

from pilotage.data.adapters.base import Adapter, Frame, Values, header_key, select_rows
from pilotage.data.adapters.spend import check_daily_keys
from pilotage.data.adapters.values import english_number, iso_date, micros, plain_number
from pilotage.data.readers.raw import RawTable

_CHANNELS = {
    "search": "paid_search",
    "shopping": "paid_search",
    "performancemax": "paid_search",
    "display": "display",
    "video": "video",
    # Demand Gen (formerly Discovery) serves in YouTube, Discover and Gmail feeds.
    "demandgen": "display",
    "discovery": "display",
}
_DEFAULT_CHANNEL = "paid_search"
_NESTED = ("segments", "campaign", "metrics", "customer", "adGroup", "ad_group")
_API_FIX = "select segments.date, campaign.id and metrics.cost_micros in the GAQL query"
_UI_FIX = "download the report with the Day segment and the Campaign ID and Cost columns"


def channel_for(campaign_type: str | None) -> str:
    """SEARCH, 'Performance Max', DEMAND_GEN ... -> a Pilotage channel."""
    return _CHANNELS.get(header_key(campaign_type or ""), _DEFAULT_CHANNEL)


def convert(raw: RawTable) -> RawTable:
    frame = Frame(_flatten(raw), "Google Ads export")
    if frame.find("metrics.cost_micros", "segments.date") is not None:
        return _convert_api(frame)
    if frame.find("Cost", "Impr.", "Day", "Campaign ID") is not None:
        return _convert_ui(frame)
    raise frame.missing(("metrics.cost_micros", "Cost"), f"{_API_FIX}, or {_UI_FIX}")


def _convert_api(frame: Frame) -> RawTable:
    cost = frame.require("metrics.cost_micros", fix=_API_FIX)
    day = frame.require("segments.date", fix=_API_FIX)
    campaign = frame.require("campaign.id", fix=_API_FIX)
    fix = "export the API values unformatted"
    canonical: dict[str, Values] = {
        "date": frame.convert(day, frame.take(day), iso_date, _API_FIX),
        "channel": [
            channel_for(v) for v in frame.values(frame.find("campaign.advertising_channel_type"))
        ],
        "campaign_id": frame.take(campaign),
        "cost": frame.convert(cost, frame.take(cost), micros, fix),
        "currency": frame.take(frame.find("customer.currency_code")),
        "campaign_name": frame.take(frame.find("campaign.name")),
        "ad_group": frame.take(frame.find("ad_group.name")),
    }
    for name, column in (
        ("impressions", "metrics.impressions"),
        ("clicks", "metrics.clicks"),
        ("platform_conversions", "metrics.conversions"),
        ("platform_conversion_value", "metrics.conversions_value"),
    ):
        found = frame.find(column)
        canonical[name] = frame.convert(found, frame.take(found), plain_number, fix)
    check_daily_keys(frame, canonical, "segment the query by segments.date only")
    return frame.output(canonical)


def _convert_ui(whole: Frame) -> RawTable:
    whole.require("Cost", fix=_UI_FIX)
    whole.require("Day", fix=_UI_FIX)
    whole.require("Campaign ID", fix=_UI_FIX)
    totals = [whole.raw.columns[0], whole.find("Day"), whole.find("Campaign")]
    rows = [i for i in range(whole.num_rows) if not _is_total(whole, i, totals)]
    frame = Frame(select_rows(whole.raw, rows), whole.label)
    fix = "download the report from the Google Ads UI set to English"
    day = frame.find("Day")
    canonical: dict[str, Values] = {
        "date": frame.convert(day, frame.take(day), iso_date, _UI_FIX),
        "channel": [channel_for(v) for v in frame.values(frame.find("Campaign type"))],
        "campaign_id": frame.take(frame.find("Campaign ID")),
    }
    for name, columns in (
        ("cost", ("Cost",)),
        ("impressions", ("Impr.", "Impressions")),
        ("clicks", ("Clicks",)),
        ("platform_conversions", ("Conversions",)),
        ("platform_conversion_value", ("Conv. value", "Conversion value")),
    ):
        found = frame.find(*columns)
        canonical[name] = frame.convert(found, frame.take(found), english_number, fix)
    canonical["currency"] = frame.take(frame.find("Currency code"))
    canonical["campaign_name"] = frame.take(frame.find("Campaign"))
    canonical["ad_group"] = frame.take(frame.find("Ad group"))
    check_daily_keys(frame, canonical, "download the report segmented by Day only")
    return frame.output(canonical)


def _is_total(frame: Frame, row: int, columns: list[str | None]) -> bool:
    """The UI appends 'Total: Account', 'Total: Search campaigns' ... rows."""
    for column in columns:
        if column is None:
            continue
        value = frame.raw.data.column(column)[row].as_py()
        if isinstance(value, str) and value.strip().lower().startswith("total"):
            return True
    return False


def _flatten(raw: RawTable) -> RawTable:
    """REST API results saved as JSON: ``{"campaign": {"id": ...}, "metrics": {...}}`` ->
    ``campaign.id``, ``metrics.costMicros`` ... columns (the reader hands objects over as
    JSON text)."""
    nested = [c for c in raw.columns if c in _NESTED]
    if not nested:
        return raw
    data = raw.data
    for column in nested:
        try:
            objects = [{} if v is None else json.loads(v) for v in data.column(column).to_pylist()]
        except json.JSONDecodeError:
            continue
        if not all(isinstance(o, dict) for o in objects):
            continue
        for key in sorted({k for o in objects for k in o}):
            values = [_text(o.get(key)) for o in objects]
            data = data.append_column(f"{column}.{key}", pa.array(values, pa.string()))
        data = data.drop_columns([column])
    return RawTable(raw.source, data, raw.lines)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


ADAPTER = Adapter(
    source="google-ads",
    table="spend",
    description=(
        "Google Ads campaign report: GAQL/API rows (metrics.cost_micros) or the English "
        "UI CSV (Day, Campaign ID, Cost), Total rows dropped"
    ),
    convert=convert,
    parse={"decimal": "."},
)
