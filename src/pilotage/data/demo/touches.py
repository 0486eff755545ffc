"""Touch batches (numpy columns) and the final ``touchpoints`` table.

Modules produce :class:`TouchBatch` objects; :func:`touch_table` concatenates them, sorts by
time, allocates touch and session ids and derives source / medium / UTM / landing page from
the channel and campaign, so that every row classifies to its channel with the default
channel rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pilotage.data.demo.config import I64, US_PER_HOUR
from pilotage.data.demo.media import Campaign, slug
from pilotage.data.demo.tables import build_table, ids, labels
from pilotage.data.demo.truth import CHANNEL_INDEX, CHANNELS

TOUCH_TYPES = (
    "ad_click",
    "visit",
    "email_click",
    "form_submit",
    "webinar",
    "event",
    "content_download",
    "sales_call",
    "sales_meeting",
)
TT = {name: i for i, name in enumerate(TOUCH_TYPES)}
# Share of activity per UTC hour (Paris office hours, evening tail).
_HOURS = np.array(
    [
        0.2,
        0.1,
        0.1,
        0.1,
        0.2,
        0.6,
        2,
        4,
        6,
        7,
        7,
        6.5,
        5,
        6,
        6.5,
        6,
        5,
        3.5,
        2.5,
        2,
        1.5,
        1,
        0.6,
        0.3,
    ]
)
HOUR_P = _HOURS / _HOURS.sum()
_PAGES = {
    "paid_search": ("/demo", "/tarifs", "/attribution-marketing", "/starter"),
    "paid_social": ("/livre-blanc", "/demo", "/starter"),
    "display": ("/", "/produit", "/starter"),
    "video": ("/", "/produit"),
    "organic_search": (
        "/blog/calcul-cac",
        "/blog/attribution-b2b",
        "/",
        "/tarifs",
        "/blog/marketing-mix-model",
        "/en/pricing",
    ),
    "direct": ("/", "/connexion", "/tarifs"),
    "referral": ("/", "/produit", "/avis-clients"),
    "organic_social": ("/blog/attribution-b2b", "/evenements", "/"),
    "content": ("/ressources", "/ressources/livre-blanc-roi"),
    "partners": ("/partenaires", "/demo"),
    "email": ("/blog", "/webinars", "/nouveautes", "/tarifs"),
}
_TERMS = (
    "logiciel attribution marketing",
    "calcul roi marketing",
    "clairval",
    "marketing mix",
    "tableau de bord cmo",
    "alternative hubspot reporting",
    "cac saas",
)


@dataclass(frozen=True)
class TouchBatch:
    time: I64  # microseconds UTC
    channel: I64  # index into truth.CHANNELS
    touch_type: I64  # index into TOUCH_TYPES
    campaign: I64  # campaign index, -1 = none
    anon: I64  # anonymous visitor number, -1 = none
    person: I64  # person number, -1 = none
    session: I64  # session number shared with another touch, -1 = a new session
    account: I64  # account index for account-level touches, -1 = the person's account


def batch(
    time: I64,
    channel: I64,
    touch_type: I64,
    *,
    campaign: I64 | None = None,
    anon: I64 | None = None,
    person: I64 | None = None,
    session: I64 | None = None,
    account: I64 | None = None,
) -> TouchBatch:
    def col(values: I64 | None) -> I64:
        return np.full(len(time), -1, dtype=np.int64) if values is None else values.astype(np.int64)

    return TouchBatch(
        time.astype(np.int64),
        channel.astype(np.int64),
        touch_type.astype(np.int64),
        col(campaign),
        col(anon),
        col(person),
        col(session),
        col(account),
    )


def office_time(rng: np.random.Generator, day_us: I64) -> I64:
    """A time of day following office hours, added to day starts (microseconds)."""
    hours = rng.choice(24, size=len(day_us), p=HOUR_P)
    return day_us + hours * US_PER_HOUR + rng.integers(0, US_PER_HOUR, len(day_us))


def touch_table(
    rng: np.random.Generator,
    batches: Sequence[TouchBatch],
    person_account: I64,
    campaigns: Sequence[Campaign],
) -> tuple[pa.Table, I64]:
    """The touchpoints table (sorted by time) and its channel codes per row (for truth)."""
    cols = {
        f: np.concatenate([getattr(b, f) for b in batches])
        for f in (
            "time",
            "channel",
            "touch_type",
            "campaign",
            "anon",
            "person",
            "session",
            "account",
        )
    }
    order = np.lexsort((cols["touch_type"], cols["time"]))
    cols = {k: v[order] for k, v in cols.items()}
    n = len(order)
    # Sessions: a new number for every touch that does not share one (numbers are stable
    # because they are allocated by row position after sorting).
    new = cols["session"] < 0
    session = cols["session"].copy()
    session[new] = np.arange(int(new.sum())) + (int(session.max()) + 1 if (~new).any() else 0)
    ch = cols["channel"]
    variant = np.zeros(n, dtype=np.int64)
    source_names: list[str] = []
    medium_names: list[str] = []
    code = np.zeros(n, dtype=np.int64)
    offset = 0
    offsets: dict[str, int] = {}
    for c_idx, c in enumerate(CHANNELS):
        offsets[c.name] = offset
        rows = ch == c_idx
        k = len(c.sources)
        variant[rows] = rng.choice(k, size=int(rows.sum()), p=_source_p(k))
        code[rows] = offset + variant[rows]
        source_names += [s for s, _ in c.sources]
        medium_names += [m for _, m in c.sources]
        offset += k
    camp = cols["campaign"]
    # Meta and Criteo campaigns are bought on those platforms (the channel's 2nd source);
    # the other paid_social and display campaigns on LinkedIn and Google (the 1st).
    bought = np.array(["Meta" in c.name or "Criteo" in c.name for c in campaigns] + [False])
    for name in ("paid_social", "display"):
        rows = ch == CHANNEL_INDEX[name]
        code[rows] = offsets[name] + bought[camp[rows]]
    page_names = sorted({p for pages in _PAGES.values() for p in pages})
    page = np.full(n, -1, dtype=np.int64)
    for name, pages in _PAGES.items():
        rows = (ch == CHANNEL_INDEX[name]) & (cols["touch_type"] != TT["form_submit"])
        page[rows] = np.array([page_names.index(p) for p in pages])[
            rng.integers(0, len(pages), int(rows.sum()))
        ]
    page[cols["touch_type"] == TT["form_submit"]] = len(page_names)
    page_names.append("/merci")
    paid = np.isin(
        ch, [CHANNEL_INDEX[c] for c in ("paid_search", "paid_social", "display", "video")]
    )
    content = np.where(paid, rng.integers(0, 4, n), -1)
    term = np.where(ch == CHANNEL_INDEX["paid_search"], rng.integers(0, len(_TERMS), n), -1)
    slugs = [slug(c.name) for c in campaigns]
    person = cols["person"]
    account = np.where(person >= 0, person_account[np.maximum(person, 0)], cols["account"])
    table = build_table(
        "touchpoints",
        {
            "touched_at": cols["time"],
            "channel": labels(ch, [c.name for c in CHANNELS]),
            "person_id": ids("P", person, 7),
            "account_id": ids("A", account, 5),
            "anonymous_id": ids("V", cols["anon"], 8),
            "touch_id": ids("T", np.arange(n, dtype=np.int64), 8),
            "campaign_id": labels(camp, [c.campaign_id for c in campaigns]),
            "touch_type": labels(cols["touch_type"], TOUCH_TYPES),
            "source": labels(code, source_names),
            "medium": labels(code, medium_names),
            "utm_campaign": labels(camp, slugs),
            "utm_content": labels(content, ["annonce-a", "annonce-b", "annonce-c", "annonce-d"]),
            "utm_term": labels(term, _TERMS),
            "landing_page": labels(page, page_names),
            "is_sales": pa.array(ch == CHANNEL_INDEX["sales"]),
            "session_id": ids("S", session, 8),
        },
    )
    return table, ch


def _source_p(k: int) -> list[float]:
    """The first (source, medium) pair of a channel dominates: 70 %, the rest share 30 %."""
    if k == 1:
        return [1.0]
    return [0.7] + [0.3 / (k - 1)] * (k - 1)
