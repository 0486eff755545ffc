"""Who an outcome belongs to: segment, country, account, tier and target status.

A person's own segment and country come first, then their account's; an outcome with
only an account takes the account's. Values the data does not give read ``unknown``
(``account`` stays null so that a restriction to some accounts never keeps it).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.facts.base import UNKNOWN


def with_party(table: ir.Table, people: ir.Table, accounts: ir.Table) -> ir.Table:
    """``table`` (with ``person_id`` and ``account_id``, either may be null) plus
    ``segment``, ``country``, ``account``, ``tier``, ``target`` and ``customer`` (the
    account, else the person: who buys)."""
    who = people.select(
        w_person="person_id", w_segment="segment", w_country="country", w_account="account_id"
    )
    j = table.left_join(who, table.person_id == who.w_person)
    j = j.mutate(account=ibis.coalesce(j.account_id, j.w_account))
    acc = accounts.select(
        a_account="account_id",
        a_segment="segment",
        a_country="country",
        a_tier="tier",
        a_target="is_target",
    )
    j = j.left_join(acc, j.account == acc.a_account)
    target = ibis.cases(
        (j.a_target.isnull() & j.a_account.isnull(), ibis.literal(UNKNOWN)),
        (j.a_target.fill_null(False), ibis.literal("target")),
        else_=ibis.literal("other"),
    )
    return j.mutate(
        segment=ibis.coalesce(j.w_segment, j.a_segment, ibis.literal(UNKNOWN)),
        country=ibis.coalesce(j.w_country, j.a_country, ibis.literal(UNKNOWN)),
        tier=j.a_tier.fill_null(UNKNOWN),
        target=target,
        customer=ibis.coalesce("a:" + j.account, "p:" + j.person_id),
    ).drop(
        "w_person",
        "w_segment",
        "w_country",
        "w_account",
        "a_account",
        "a_segment",
        "a_country",
        "a_tier",
        "a_target",
    )
