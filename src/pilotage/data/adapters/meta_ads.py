"""Meta (Facebook / Instagram) Ads Insights API export -> ``spend``.

Rows of ``GET /act_<id>/insights?level=campaign|adset&time_increment=1`` (the ``data`` list of
the response, as JSON, JSON lines or flattened to CSV): ``date_start``, ``date_stop``,
``campaign_id``, ``campaign_name``, ``adset_name``, ``impressions``, ``reach``, ``clicks``,
``spend``, ``account_currency``, ``actions`` and ``action_values``.

Conversions rule: ``actions`` and ``action_values`` are lists of ``{"action_type", "value"}``
in which one event is counted under several overlapping types, so they are never summed.
``platform_conversions`` is the value of the first type present in this order:
``omni_purchase``, ``offsite_conversion.fb_pixel_purchase``, ``purchase`` (purchases, the
omni type first because it already merges pixel, app and on-Meta purchases), then, only when
the row has none of those, ``lead`` and ``onsite_conversion.lead_grouped`` (leads).
``platform_conversion_value`` applies the same order to ``action_values``. A row with none
of these types has no conversion value (null, not 0: Meta omits types it did not track).
Both lists stay in the output as extra columns.

Rows must be daily (``date_start`` = ``date_stop``); ``reach`` is kept as given, since reach
over several days is not the sum of daily reach. The channel is paid_social.
"""

from __future__ import annotations

from pilotage.data.adapters.base import Adapter, Frame, Values
from pilotage.data.adapters.spend import check_daily_keys
from pilotage.data.adapters.values import iso_date, json_list, plain_number
from pilotage.data.readers.raw import RawTable

PURCHASE_TYPES = ("omni_purchase", "offsite_conversion.fb_pixel_purchase", "purchase")
LEAD_TYPES = ("lead", "onsite_conversion.lead_grouped")
_FIX = "export from the Insights API with time_increment=1 and the campaign_id field"
_LIST_FIX = "export actions and action_values as JSON lists of {action_type, value}"


def pick_action(actions: list[object]) -> str | None:
    """The value of the preferred conversion type (see the module rule), as given."""
    by_type: dict[str, object] = {}
    for item in actions:
        if not isinstance(item, dict) or "action_type" not in item:
            raise ValueError("an item of the list is not an {action_type, value} object")
        by_type.setdefault(str(item["action_type"]), item.get("value"))
    for action_type in (*PURCHASE_TYPES, *LEAD_TYPES):
        if action_type in by_type:
            value = by_type[action_type]
            return plain_number(str(value)) if value is not None else None
    return None


def _conversions(text: str) -> str | None:
    return pick_action(json_list(text))


def convert(raw: RawTable) -> RawTable:
    frame = Frame(raw, "Meta Ads Insights export")
    start = frame.require("date_start", fix=_FIX)
    campaign = frame.require("campaign_id", fix=_FIX)
    spend = frame.require("spend", fix="add the spend field to the Insights request")
    stop = frame.find("date_stop")
    dates = frame.convert(start, frame.take(start), iso_date, _FIX)
    stops = frame.convert(stop, frame.values(stop), iso_date, _FIX)
    for row, (first, last) in enumerate(zip(dates, stops, strict=True)):
        if first is not None and last is not None and first != last:
            frame.error(
                row,
                stop or "date_stop",
                last,
                f"{frame.label}: not a daily row (date_start {first}, date_stop {last})",
                "export with time_increment=1",
            )
    fix = "export the Insights values unformatted"
    canonical: dict[str, Values] = {
        "date": dates,
        "channel": ["paid_social"] * frame.num_rows,
        "campaign_id": frame.take(campaign),
        "cost": frame.convert(spend, frame.take(spend), plain_number, fix),
        "currency": frame.take(frame.find("account_currency")),
        "campaign_name": frame.take(frame.find("campaign_name")),
        "ad_group": frame.take(frame.find("adset_name")),
    }
    for name in ("impressions", "clicks", "reach"):
        found = frame.find(name)
        canonical[name] = frame.convert(found, frame.take(found), plain_number, fix)
    for name, column in (
        ("platform_conversions", "actions"),
        ("platform_conversion_value", "action_values"),
    ):
        found = frame.find(column)
        canonical[name] = frame.convert(found, frame.values(found), _conversions, _LIST_FIX)
    check_daily_keys(frame, canonical, "export at campaign or ad set level (level=adset)")
    return frame.output(canonical)


ADAPTER = Adapter(
    source="meta-ads",
    table="spend",
    description=(
        "Meta Ads Insights API rows (time_increment=1): spend, reach, purchases or leads "
        "from actions[]"
    ),
    convert=convert,
    parse={"decimal": "."},
)
