"""Journeys from touchpoints and conversions, as Ibis expressions that run where data lives.

A journey ends at a conversion of the chosen type (or, for an owner who never converted, at
their last touch: a non-converting journey) and holds the owner's touches in the lookback
window before that end, after the owner's previous conversion of that type, never after the
end (causality). The owner is a person (anonymous touches are stitched to the person their
anonymous id was later seen with) or, at account level, an account (all its people merged).

Only distinct paths reach Python. Ordered string aggregation does not compile on Spark, so a
path is encoded with integer arithmetic instead: each touch gets its position by
``row_number`` and a token ``(age_days * 8 + stage) * n_channels + channel`` (stage: LEAD |
OPPORTUNITY | WON bit flags); ``per_word`` tokens are packed into one int64 word as digits
in base ``base`` (the place value comes from a CASE on ``position % per_word``, exact where
``pow`` would go through floats). Journeys are then grouped by (length, word_0..word_k), so
the engine returns one row per distinct path, and :func:`decode` unpacks the words in numpy.
Milestones are tagged with count windows: touches are time ordered, so the touch at or just
before a milestone is the last of the prefix of touches at or before it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import numpy as np

from pilotage.core.attribution.paths import LEAD, OPPORTUNITY, WON, PathCounts

SECONDS_PER_DAY = 86_400
#: Stage bit flags fit in 3 bits (LEAD | OPPORTUNITY | WON < 8).
STAGE_SPAN = 8
#: Owner prefix of a visitor never identified as a person.
ANONYMOUS = "anon:"
#: Bits of a packed word (int64 keeps one bit for the sign).
WORD_BITS = 62


@dataclass(frozen=True)
class Encoding:
    """How a path is packed: ``channels`` give the codes (their index), ``max_age`` bounds
    the ages in days (0 when ages are not kept), ``words`` the int64 columns per path."""

    channels: tuple[str, ...]
    max_age: int
    max_length: int
    with_ages: bool = True

    @property
    def base(self) -> int:
        ages = self.max_age + 1 if self.with_ages else 1
        return max(ages * STAGE_SPAN * len(self.channels), 2)

    @property
    def per_word(self) -> int:
        per = WORD_BITS // math.ceil(math.log2(self.base))
        if per < 1:
            raise ValueError("too many channels and ages to pack a touch into an int64")
        return per

    @property
    def words(self) -> int:
        return max(1, -(-self.max_length // self.per_word))


def stitched(touchpoints: ir.Table, include_sales: bool) -> ir.Table:
    """Touches with the person their anonymous id was identified as (when the touch has no
    person). Columns: person_id, account_id, anonymous_id, touched_at, channel."""
    t = touchpoints
    if not include_sales:
        t = t.filter(~t.is_sales.fill_null(False))
    known = t.filter(t.person_id.notnull() & t.anonymous_id.notnull())
    ids = known.group_by(anon=known.anonymous_id).aggregate(known_person=known.person_id.min())
    joined = t.left_join(ids, t.anonymous_id == ids.anon)
    return joined.select(
        person_id=joined.person_id.fill_null(joined.known_person),
        account_id=joined.account_id,
        anonymous_id=joined.anonymous_id,
        touched_at=joined.touched_at,
        channel=joined.channel,
    )


def with_owner(touches: ir.Table, people: ir.Table, level: str) -> ir.Table:
    """Touches with ``owner``: the person (a never identified visitor is owner
    ``anon:<anonymous_id>``, whose journey is non-converting), or at account level the
    touch's account, else the account of its person. Touches with no owner are dropped."""
    if level == "person":
        owned = touches.mutate(
            owner=touches.person_id.fill_null(ibis.literal(ANONYMOUS).concat(touches.anonymous_id))
        )
    else:
        p = people.select(pid=people.person_id, person_account=people.account_id)
        t = touches.view()
        j = t.left_join(p, t.person_id == p.pid)
        owned = j.mutate(owner=j.account_id.fill_null(j.person_account))
    return owned.filter(owned.owner.notnull()).select("owner", "touched_at", "channel")


def converting_ends(events: ir.Table, lookback_days: int) -> ir.Table:
    """One row per conversion event (owner, end_at, value, cid: a tie-break key): owner,
    journey (a key), start_at (lookback start), after (the owner's previous conversion,
    whose touches are not reused; null if none), end_at, conversions (1) and value."""
    order = [events.end_at, events.cid]
    c = events.mutate(
        journey=ibis.row_number().over(group_by=events.owner, order_by=order),
        previous=events.end_at.lag().over(group_by=events.owner, order_by=order),
    )
    return c.select(
        "owner",
        journey=ibis.literal("c").concat(c.journey.cast("string")),
        start_at=c.end_at - ibis.interval(days=lookback_days),
        after=c.previous,
        end_at=c.end_at,
        conversions=ibis.literal(1.0),
        value=c.value.fill_null(0.0).cast("float64"),
        deal=c.cid,
    )


def null_ends(touches: ir.Table, converting: ir.Table, lookback_days: int) -> ir.Table:
    """Owners with touches and no conversion: one journey ending at their last touch."""
    last = touches.group_by("owner").aggregate(end_at=touches.touched_at.max())
    converted = converting.select(convert_owner=converting.owner).distinct()
    never = last.anti_join(converted, last.owner == converted.convert_owner)
    return never.select(
        "owner",
        journey=ibis.literal("n"),
        start_at=never.end_at - ibis.interval(days=lookback_days),
        after=ibis.null(never.end_at.type()),
        end_at=never.end_at,
        conversions=ibis.literal(0.0),
        value=ibis.literal(0.0),
        deal=ibis.literal(""),
    )


def journey_touches(touches: ir.Table, ends: ir.Table, milestones: ir.Table) -> ir.Table:
    """Touches of each journey with position, age (whole days before the end) and stage
    flags. ``milestones``: owner, lead_at, opp_at, won_at (any may be null).
    Columns: owner, journey, deal, conversions, value, position, length, age, stage,
    channel."""
    e = ends.left_join(milestones, ends.owner == milestones.m_owner)
    j = e.join(
        touches,
        [
            e.owner == touches.owner,
            touches.touched_at <= e.end_at,
            touches.touched_at >= e.start_at,
            e.after.isnull() | (touches.touched_at > e.after),
        ],
    ).select(
        owner=e.owner,
        journey=e.journey,
        end_at=e.end_at,
        conversions=e.conversions,
        value=e.value,
        deal=e.deal,
        lead_at=e.lead_at,
        opp_at=e.opp_at,
        won_at=e.won_at,
        touched_at=touches.touched_at,
        channel=touches.channel,
    )
    key = [j.owner, j.journey]
    j = j.mutate(
        position=ibis.row_number().over(group_by=key, order_by=[j.touched_at, j.channel]),
        length=j.touched_at.count().over(group_by=key),
        age=(j.end_at.epoch_seconds() - j.touched_at.epoch_seconds()) // SECONDS_PER_DAY,
    )
    stage = ibis.literal(0)
    for column, flag in (("lead_at", LEAD), ("opp_at", OPPORTUNITY), ("won_at", WON)):
        at = j[column]
        reached = at.notnull() & (at <= j.end_at)
        before = ibis.ifelse(j.touched_at <= at, 1, 0).sum().over(group_by=key)
        stage = stage + ibis.ifelse(reached & (j.position == before - 1), flag, 0)
    return j.mutate(stage=stage).select(
        "owner",
        "journey",
        "deal",
        "conversions",
        "value",
        "position",
        "length",
        "age",
        "stage",
        "channel",
    )


def path_patterns(rows: ir.Table, encoding: Encoding, keys: Sequence[str] = ()) -> ir.Table:
    """Distinct packed paths with their conversions, value and non-conversions; ``keys``
    (e.g. the deal) are kept as grouping columns to get one row per journey instead.
    Columns: *keys, length, w0..w{words-1}, conversions, value, nulls."""
    n = len(encoding.channels)
    code = ibis.cases(*((rows.channel == c, i) for i, c in enumerate(encoding.channels)))
    age = rows.age.clip(upper=encoding.max_age) if encoding.with_ages else ibis.literal(0)
    token = ((age * STAGE_SPAN + rows.stage) * n + code).cast("int64")
    slot = rows.position % encoding.per_word
    place = ibis.cases(*((slot == i, encoding.base**i) for i in range(encoding.per_word)))
    chunk = rows.position // encoding.per_word
    digits = rows.mutate(digit=token * place.cast("int64"), chunk=chunk)
    words = {
        f"w{k}": ibis.ifelse(digits.chunk == k, digits.digit, 0).sum().cast("int64")
        for k in range(encoding.words)
    }
    per_journey = digits.group_by(["owner", "journey", *keys]).aggregate(
        length=digits.length.max(),
        conversions=digits.conversions.max(),
        value=digits.value.max(),
        **words,
    )
    return per_journey.group_by(["length", *words, *keys]).aggregate(
        conversions=per_journey.conversions.sum(),
        value=per_journey.value.sum(),
        nulls=(1.0 - per_journey.conversions).sum(),
    )


def decode(rows: dict[str, np.ndarray], encoding: Encoding, *, merge: bool = True) -> PathCounts:
    """PathCounts from the columns of :func:`path_patterns` (arrays of one length); only
    channels on some path are kept. ``merge``: merge identical paths (False keeps one path
    per row, e.g. per deal)."""
    lengths = np.asarray(rows["length"], dtype=np.int64)
    total = int(lengths.sum())
    path = np.repeat(np.arange(len(lengths)), lengths)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    position = np.arange(total, dtype=np.int64) - offsets[path]
    words = np.stack([np.asarray(rows[f"w{k}"], dtype=np.int64) for k in range(encoding.words)])
    word = words[position // encoding.per_word, path] if total else np.zeros(0, np.int64)
    token = (word // encoding.base ** (position % encoding.per_word)) % encoding.base
    n = len(encoding.channels)
    used, touches = np.unique(token % n, return_inverse=True)
    counts = PathCounts(
        channels=tuple(encoding.channels[i] for i in used),
        offsets=offsets,
        touches=touches.astype(np.int64),
        conversions=np.asarray(rows["conversions"], dtype=np.float64),
        value=np.nan_to_num(np.asarray(rows["value"], dtype=np.float64)),
        nulls=np.asarray(rows["nulls"], dtype=np.float64),
        stages=((token // n) % STAGE_SPAN).astype(np.uint8),
        ages=(token // (n * STAGE_SPAN)).astype(np.float64) if encoding.with_ages else None,
    )
    return counts.distinct() if merge else counts


def empty_journeys(converting: ir.Table, rows: ir.Table) -> ir.Table:
    """Conversions with no touch in their window (one row: conversions, value), which are
    reported as unattributed rather than dropped. ``converting``: the converting ends."""
    seen = rows.select(seen_owner=rows.owner, seen_journey=rows.journey).distinct()
    empty = converting.anti_join(
        seen, [converting.owner == seen.seen_owner, converting.journey == seen.seen_journey]
    )
    return empty.aggregate(conversions=empty.conversions.sum(), value=empty.value.sum())
