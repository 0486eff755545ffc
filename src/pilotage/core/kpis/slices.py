"""Slicing the KPI inputs by channel and by people segment (Ibis expressions, any engine).

Cost is sliced by the channel of the spend row; revenue by the channel of the credited touch
and by the segment, country or account of whoever ordered. Spend has none of these, so no
function here slices it by them.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.channel_roi import UNATTRIBUTED


def spend_in_channels(spend: ir.Table, channels: Sequence[str]) -> ir.Table:
    return spend.filter(spend.channel.isin(list(channels))) if channels else spend


def credited_in_channels(attributed: ir.Table, channels: Sequence[str]) -> ir.Table:
    """Orders whose credited channel is one of ``channels`` ('unattributed' included)."""
    if not channels:
        return attributed
    return attributed.filter(attributed.channel.fill_null(UNATTRIBUTED).isin(list(channels)))


def orderers(orders: ir.Table, people: ir.Table, accounts: ir.Table) -> ir.Table:
    """order_id and who ordered: ``segment`` and ``country`` of the person, else of the
    order's account, else of the person's account; ``account_id`` of the order, else of the
    person (each null when none is known)."""
    who = people.select(
        p_person="person_id", p_segment="segment", p_country="country", p_account="account_id"
    )
    own = accounts.select(o_account="account_id", o_segment="segment", o_country="country")
    theirs = accounts.select(
        t_account="account_id", t_segment="segment", t_country="country"
    ).view()
    joined = (
        orders.select("order_id", "person_id", "account_id")
        .left_join(who, orders.person_id == who.p_person)
        .left_join(own, orders.account_id == own.o_account)
        .left_join(theirs, who.p_account == theirs.t_account)
    )
    return joined.select(
        "order_id",
        segment=ibis.coalesce(joined.p_segment, joined.o_segment, joined.t_segment),
        country=ibis.coalesce(joined.p_country, joined.o_country, joined.t_country),
        account_id=ibis.coalesce(joined.account_id, joined.p_account),
    )


def orders_of(
    attributed: ir.Table,
    orderers_of_orders: ir.Table,
    segments: Sequence[str] = (),
    countries: Sequence[str] | None = None,
    account_ids: Sequence[str] | None = None,
) -> ir.Table:
    """The attributed orders placed by someone in one of ``segments`` (empty: any), of
    one of ``countries`` and of one of ``account_ids`` (None: any; empty: none). An
    orderer whose country or account is unknown is outside any restriction on it."""
    if not segments and countries is None and account_ids is None:
        return attributed
    kept = orderers_of_orders
    if segments:
        kept = kept.filter(kept.segment.isin(list(segments)))
    if countries is not None:
        kept = kept.filter(kept.country.isin(list(countries)))
    if account_ids is not None:
        kept = kept.filter(kept.account_id.isin(list(account_ids)))
    return attributed.semi_join(kept, "order_id")
