"""GA4 BigQuery export (``events_YYYYMMDD`` rows, as JSON lines or Parquet) -> ``touchpoints``.

One touchpoint per session, i.e. per (``user_pseudo_id``, ``ga_session_id``): the session's
``session_start`` event, or when the file has none for that session (a session that began
the day before), its first ``page_view``. Other events, and events without a
``ga_session_id`` (Measurement Protocol hits), are not visits and are dropped.

* ``touched_at`` from ``event_timestamp`` (microseconds since the epoch, UTC);
  ``anonymous_id`` = ``user_pseudo_id``; ``person_id`` = ``user_id`` when set;
  ``session_id`` = ``user_pseudo_id-ga_session_id``; ``touch_id`` = a hash of the two, so
  reloading a day (or the next day's export of a session across midnight) upserts the
  same touchpoint.
* ``source``, ``medium``, ``utm_campaign``, ``utm_content``, ``utm_term`` from
  ``collected_traffic_source.manual_*``, else from the ``source`` / ``medium`` /
  ``campaign`` / ``content`` / ``term`` event parameters; as GA4 does, a session with none
  of those is google / cpc when it carries a ``gclid``, the referrer's host / referral when
  ``page_referrer`` is another site, and (direct) / (none) otherwise (left empty for a
  session without session_start in the file, whose source is on the previous day).
  ``traffic_source`` (the user's first acquisition) and
  ``session_traffic_source_last_click`` (last non-direct click, which carries earlier
  sessions over) are not this visit's source; they are kept as extra columns.
* ``landing_page`` = ``page_location``; ``touch_type`` = visit; ``channel`` is left empty
  for the loader's channel rules to fill from source / medium.

Nested values arrive as JSON text (that is how the file reader hands them over).
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from pilotage.data.adapters.base import Adapter, Frame, Values, select_rows
from pilotage.data.adapters.values import epoch_micros, json_list, json_object
from pilotage.data.readers.raw import RawTable

_KEPT_EVENTS = ("session_start", "page_view")
_FIX = "export the events_* table as JSON lines or Parquet, with its nested fields"
_PARAM_FIX = "keep event_params as the export's list of {key, value} records"
_VALUE_FIELDS = ("string_value", "int_value", "double_value", "float_value")


def touch_id(user_pseudo_id: str, session_id: str) -> str:
    """Stable across loads and files: sha256 of the two ids, 32 hex characters."""
    return hashlib.sha256(f"{user_pseudo_id}\x1f{session_id}".encode()).hexdigest()[:32]


def event_params(items: list[object]) -> dict[str, str]:
    """[{"key": "ga_session_id", "value": {"int_value": 17...}}, ...] -> {key: text}."""
    params: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
            raise ValueError("an item of the list is not a {key, value} record")
        value = item["value"]
        for field in _VALUE_FIELDS:
            if value.get(field) is not None:
                params[str(item.get("key"))] = str(value[field])
                break
    return params


def convert(raw: RawTable) -> RawTable:
    frame = Frame(raw, "GA4 BigQuery export")
    for column in ("event_timestamp", "event_name", "user_pseudo_id", "event_params"):
        frame.require(column, fix=_FIX)
    names = frame.values(frame.find("event_name"))
    visits = Frame(
        select_rows(raw, [i for i, n in enumerate(names) if n in _KEPT_EVENTS]), frame.label
    )
    return _sessions(visits)


def _sessions(frame: Frame) -> RawTable:
    params_col = frame.find("event_params")
    traffic_col = frame.find("collected_traffic_source")
    stamp_col = frame.find("event_timestamp")
    params = frame.convert(params_col, frame.values(params_col), _params_text, _PARAM_FIX)
    parsed = [None if p is None else event_params(json_list(p)) for p in params]
    traffic_text = frame.convert(traffic_col, frame.values(traffic_col), _object_text, _FIX)
    traffic = [{} if t is None else json_object(t) for t in traffic_text]
    stamps = frame.values(stamp_col)
    touched = frame.convert(stamp_col, stamps, epoch_micros, _FIX)
    users = frame.values(frame.find("user_pseudo_id"))
    names = frame.values(frame.find("event_name"))
    frame.check()

    chosen: dict[tuple[str, str], int] = {}
    for row, (user, p) in enumerate(zip(users, parsed, strict=True)):
        session = (p or {}).get("ga_session_id")
        if user is None or session is None:
            continue
        key = (user, session)
        best = chosen.get(key)
        if best is None or _rank(names, stamps, row) < _rank(names, stamps, best):
            chosen[key] = row
    rows = sorted(chosen.values())

    canonical: dict[str, Values] = {
        "touched_at": touched,
        "channel": [None] * frame.num_rows,
        "person_id": frame.take(frame.find("user_id")),
        "anonymous_id": frame.take(frame.find("user_pseudo_id")),
        "touch_id": [None] * frame.num_rows,
        "session_id": [None] * frame.num_rows,
        "touch_type": ["visit"] * frame.num_rows,
    }
    for name in ("source", "medium", "utm_campaign", "utm_content", "utm_term", "landing_page"):
        canonical[name] = [None] * frame.num_rows
    frame.take(stamp_col)
    for (user, session), row in chosen.items():
        canonical["touch_id"][row] = touch_id(user, session)
        canonical["session_id"][row] = f"{user}-{session}"
        started = names[row] == "session_start"
        for name, value in _attribution(parsed[row] or {}, traffic[row], started).items():
            canonical[name][row] = value
    return frame.output(canonical, rows)


def _rank(names: Values, stamps: Values, row: int) -> tuple[int, int, int]:
    """session_start first, then the earliest event, then file order."""
    return (0 if names[row] == "session_start" else 1, int(stamps[row] or 0), row)


def _params_text(value: str) -> str:
    event_params(json_list(value))
    return value


def _object_text(value: str) -> str:
    json_object(value)
    return value


def _attribution(
    params: dict[str, str], traffic: dict[str, object], started: bool
) -> dict[str, str | None]:
    def pick(manual: str, param: str) -> str | None:
        value = traffic.get(manual)
        return str(value) if value not in (None, "") else params.get(param) or None

    source, medium = pick("manual_source", "source"), pick("manual_medium", "medium")
    page = params.get("page_location")
    if source is None and medium is None:
        source, medium = _implicit_source(
            pick("gclid", "gclid"), params.get("page_referrer"), page, started
        )
    return {
        "source": source,
        "medium": medium,
        "utm_campaign": pick("manual_campaign_name", "campaign"),
        "utm_content": pick("manual_content", "content"),
        "utm_term": pick("manual_term", "term"),
        "landing_page": page,
    }


def _implicit_source(
    gclid: str | None, referrer: str | None, page: str | None, started: bool
) -> tuple[str | None, str | None]:
    """No tagged source: a gclid, another site as referrer, or direct; a session already
    under way when the file starts (no session_start) is not known to be direct."""
    if gclid:
        return "google", "cpc"
    host = urlsplit(referrer or "").hostname
    if host and host != urlsplit(page or "").hostname:
        return host, "referral"
    return ("(direct)", "(none)") if started else (None, None)


ADAPTER = Adapter(
    source="ga4",
    table="touchpoints",
    description="GA4 BigQuery events export (JSON lines or Parquet): one visit per session",
    convert=convert,
)
