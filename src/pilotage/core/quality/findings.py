"""The rows each check flags, as Ibis expressions (set-based, any engine).

Each function returns a :class:`Flagged`: ``rows``, the flagged rows with every column of
their table (so that the caller can weigh them by money), and ``examples``, at most
``limit`` rows of (``label``, ``n``, ``w``, ``rank``) that show what to fix first: a value,
the number of flagged rows it covers (or null), the money it covers (or null) and its rank
(0 first).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from pilotage.core.channels import UNASSIGNED

#: Legal forms dropped from account names before comparing them.
LEGAL_FORMS = (
    r"\b(sas|sasu|sa|sarl|eurl|sca|scs|snc|inc|incorporated|ltd|limited|llc|llp|gmbh|ag|"
    r"bv|nv|plc|corp|corporation|co|company|srl|spa|group|groupe)\b"
)
_NOT_ALNUM = r"[^a-z0-9àâäçéèêëîïôöùûüÿœæ]"


@dataclass(frozen=True)
class Flagged:
    rows: ir.Table
    #: Builds the examples expression; only asked for when the check found something.
    build_examples: Callable[[], ir.Table]

    @property
    def examples(self) -> ir.Table:
        return self.build_examples()


def examples_of(expr: ir.Table, limit: int, *order: ir.Value) -> ir.Table:
    """The first ``limit`` rows of ``expr`` (``label``, ``n``, ``w``) in ``order``.

    A window rather than ORDER BY ... LIMIT: the caller unions the examples of every check,
    and a limit inside a union branch is not portable SQL."""
    ranked = expr.mutate(_rank=ibis.row_number().over(order_by=[*order, expr.label]))
    return ranked.filter(ranked._rank < limit).select(
        label=ranked.label.cast("string"),
        n=ranked.n.cast("int64"),
        w=ranked.w.cast("float64"),
        rank=ranked._rank.cast("int64"),
    )


def _by_value(rows: ir.Table, value: ir.Value, money: str | None, limit: int) -> ir.Table:
    """Examples grouped by one value: its rows and money, the costliest (then commonest)
    first."""
    by_value = rows.group_by(label=value)
    if money:
        grouped = by_value.aggregate(n=rows.count(), w=rows[money].sum())
    else:
        grouped = by_value.aggregate(n=rows.count()).mutate(w=ibis.null("float64"))
    return examples_of(grouped, limit, ibis.desc(grouped.w), ibis.desc(grouped.n))


def _each_row(rows: ir.Table, label: ir.Value, money: str | None, limit: int) -> ir.Table:
    listed = rows.select(
        label=label,
        n=ibis.null("int64"),
        w=rows[money] if money else ibis.null("float64"),
    )
    return examples_of(listed, limit, ibis.desc(listed.w))


def spend_unknown_campaign(spend: ir.Table, campaigns: ir.Table, limit: int) -> Flagged:
    rows = spend.anti_join(campaigns, "campaign_id")
    return Flagged(rows, lambda: _by_value(rows, rows.campaign_id, "cost", limit))


def spend_untracked(spend: ir.Table, touches: ir.Table, limit: int) -> Flagged:
    """Spend whose campaign_id never appears in touchpoints.campaign_id."""
    tracked = touches.filter(touches.campaign_id.notnull()).select("campaign_id").distinct()
    rows = spend.anti_join(tracked, "campaign_id")
    return Flagged(rows, lambda: _by_value(rows, rows.campaign_id, "cost", limit))


def unassigned_touches(touches: ir.Table, limit: int) -> Flagged:
    """Touches no channel rule mapped, with their source / medium and how many there are."""
    rows = touches.filter(touches.channel == UNASSIGNED)
    pair = rows.source.fill_null("(none)").concat(" / ", rows.medium.fill_null("(none)"))
    return Flagged(rows, lambda: _by_value(rows, pair, None, limit))


def conversions_without_touch(
    conversions: ir.Table, touches: ir.Table, people: ir.Table, limit: int
) -> Flagged:
    """Conversions whose person (or account) has no touch at or before the conversion.

    An account's touches are its own and those of its people. A first-touch time per
    person and per account, then left joins: no join multiplies the conversions."""
    by_person = (
        touches.filter(touches.person_id.notnull())
        .group_by(_pid=touches.person_id)
        .aggregate(_first_p=touches.touched_at.min())
    )
    own = (
        touches.filter(touches.account_id.notnull())
        .group_by(_aid=touches.account_id)
        .aggregate(_first_a=touches.touched_at.min())
    )
    # Through the people: a first touch per person (few rows) times their account.
    members = people.filter(people.account_id.notnull()).select("person_id", "account_id")
    via = by_person.join(members, by_person._pid == members.person_id).select(
        _aid=members.account_id, _first_a=by_person._first_p
    )
    both = ibis.union(own, via, distinct=False)
    by_account = both.group_by("_aid").aggregate(_first_a=both._first_a.min())
    joined = conversions.left_join(by_person, conversions.person_id == by_person._pid).left_join(
        by_account, conversions.account_id == by_account._aid
    )
    touched = (joined._first_p <= joined.converted_at).fill_null(False) | (
        joined._first_a <= joined.converted_at
    ).fill_null(False)
    rows = joined.filter(~touched).select(*conversions.columns)

    def shown() -> ir.Table:
        who = rows.person_id.fill_null(rows.account_id).fill_null("?")
        day = rows.converted_at.date().cast("string")
        listed = rows.select(
            label=who.concat(" · ", rows.conversion_type, " · ", day),
            n=ibis.null("int64"),
            w=ibis.null("float64"),
            _at=rows.converted_at,
        )
        return examples_of(listed, limit, ibis.desc(listed._at))

    return Flagged(rows, shown)


def opportunities_without_amount(opportunities: ir.Table, limit: int) -> Flagged:
    amount = opportunities.amount
    rows = opportunities.filter(amount.isnull() | (amount == 0))

    def shown() -> ir.Table:
        listed = rows.select(
            label=rows.opportunity_id,
            n=ibis.null("int64"),
            w=ibis.null("float64"),
            _at=rows.created_at,
        )
        return examples_of(listed, limit, ibis.desc(listed._at))

    return Flagged(rows, shown)


def opportunities_unknown_account(
    opportunities: ir.Table, accounts: ir.Table, limit: int
) -> Flagged:
    rows = opportunities.anti_join(accounts, "account_id")
    return Flagged(
        rows, lambda: _by_value(rows, rows.account_id.fill_null("(none)"), "amount", limit)
    )


def orders_without_buyer(orders: ir.Table, limit: int) -> Flagged:
    rows = orders.filter(orders.person_id.isnull() & orders.account_id.isnull())
    return Flagged(rows, lambda: _each_row(rows, rows.order_id, "amount", limit))


def _duplicates(table: ir.Table, key: ir.StringValue, id_column: str, limit: int) -> Flagged:
    """Rows sharing ``key`` (null keys never match): every row after the first of its key is
    a duplicate. Examples name the first and last id of each group and its size."""
    keyed = table.mutate(_dup_key=key).filter(lambda t: t._dup_key.notnull() & (t._dup_key != ""))
    ranked = keyed.mutate(
        _dup_rank=ibis.row_number().over(group_by=keyed._dup_key, order_by=keyed[id_column])
    )
    rows = ranked.filter(ranked._dup_rank > 0).select(*table.columns)

    def shown() -> ir.Table:
        ids = keyed[id_column]
        groups = (
            keyed.group_by("_dup_key")
            .aggregate(n=keyed.count(), _first=ids.min(), _last=ids.max())
            .filter(lambda g: g.n > 1)
        )
        listed = groups.select(
            label=groups._first.concat(" = ", groups._last), n=groups.n, w=ibis.null("float64")
        )
        return examples_of(listed, limit, ibis.desc(listed.n))

    return Flagged(rows, shown)


def duplicate_people(people: ir.Table, limit: int) -> Flagged | None:
    """Same account and same e-mail (trimmed, lower-case); None when people have no
    ``email`` column (the check can't run)."""
    if "email" not in people.columns:
        return None
    email = people.email.cast("string").strip().lower()
    key = people.account_id.fill_null("").concat("\x1f", email)
    return _duplicates(
        people, ibis.ifelse(email == "", ibis.null("string"), key), "person_id", limit
    )


def normalised_domain(domain: ir.StringValue) -> ir.StringValue:
    """acme.fr from 'https://www.Acme.fr/about', ' ACME.FR ' or 'acme.fr.'."""
    text = domain.strip().lower()
    text = text.re_replace(r"^[a-z][a-z0-9+.-]*://", "").re_replace(r"^www\.", "")
    return text.re_replace(r"[/?#:].*$", "").re_replace(r"\.+$", "")


def normalised_name(name: ir.StringValue) -> ir.StringValue:
    """'acme' from 'ACME S.A.S.', 'Acme, Inc.' or ' acme '."""
    text = name.lower().re_replace(r"[.,]", "")
    return text.re_replace(LEGAL_FORMS, " ").re_replace(_NOT_ALNUM, "")


def duplicate_accounts(accounts: ir.Table, limit: int) -> Flagged:
    """Same normalised domain; accounts without a domain compare by normalised name."""
    domain = normalised_domain(accounts.domain.cast("string"))
    name = normalised_name(accounts.name.cast("string"))
    has_domain = domain.notnull() & (domain != "")
    key = ibis.ifelse(
        has_domain,
        ibis.literal("domain:").concat(domain),
        ibis.ifelse(
            name.notnull() & (name != ""), ibis.literal("name:").concat(name), ibis.null("string")
        ),
    )
    return _duplicates(accounts, key, "account_id", limit)


def future_rows(
    table: ir.Table,
    when: ir.Value,
    first_future: datetime.date | datetime.datetime,
    day: ir.DateValue,
    limit: int,
) -> Flagged:
    """Rows whose time ``when`` is at or after ``first_future`` (the start of tomorrow:
    a day, or the instant local midnight falls), grouped by local ``day`` in the examples.
    Comparing the stored value with one constant spares converting every row's zone."""
    future = table.filter(when >= first_future)

    def shown() -> ir.Table:
        dated = future.mutate(_day=day)
        grouped = (
            dated.group_by(label=dated._day.cast("string"))
            .aggregate(n=dated.count())
            .mutate(w=ibis.null("float64"))
        )
        return examples_of(grouped, limit, ibis.desc(grouped.label))

    return Flagged(future, shown)


def missing_fx_rate(
    table: ir.Table, day: ir.DateValue | None, fx_rates: ir.Table, reporting: str, limit: int
) -> Flagged:
    """Rows in a foreign currency with no rate on or before their (UTC) day. A rate exists
    on or before a day exactly when the currency's first rate is, so one aggregate of the
    rates and one left join answer it."""
    first = fx_rates.group_by(_cur=fx_rates.currency).aggregate(_first_rate=fx_rates.date.min())
    dated = table.mutate(_day=day if day is not None else ibis.null("date"))
    foreign = dated.filter(dated.currency.notnull() & (dated.currency != reporting))
    joined = foreign.left_join(first, foreign.currency == first._cur)
    covered = (joined._first_rate <= joined._day).fill_null(False)
    missing = joined.filter(~covered)
    rows = missing.select(*table.columns)

    def shown() -> ir.Table:
        grouped = (
            rows.group_by(label=rows.currency)
            .aggregate(n=rows.count())
            .mutate(w=ibis.null("float64"))
        )
        return examples_of(grouped, limit, ibis.desc(grouped.n))

    return Flagged(rows, shown)
