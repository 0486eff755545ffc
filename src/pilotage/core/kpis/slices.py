"""Slicing the KPI inputs by channel and by people segment (Ibis expressions, any engine).

Cost is sliced by the channel of the spend row; revenue by the channel of the credited touch
and by the segment of whoever ordered. Spend has no segment, so no function here slices it.
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


def order_segments(orders: ir.Table, people: ir.Table, accounts: ir.Table) -> ir.Table:
    """order_id and the segment of who ordered: the person's own segment, else the segment
    of the order's account, else of the person's account (null when none is known)."""
    who = people.select(p_person="person_id", p_segment="segment", p_account="account_id")
    own = accounts.select(o_account="account_id", o_segment="segment")
    theirs = accounts.select(t_account="account_id", t_segment="segment").view()
    joined = (
        orders.select("order_id", "person_id", "account_id")
        .left_join(who, orders.person_id == who.p_person)
        .left_join(own, orders.account_id == own.o_account)
        .left_join(theirs, who.p_account == theirs.t_account)
    )
    segment = ibis.coalesce(joined.p_segment, joined.o_segment, joined.t_segment)
    return joined.select("order_id", segment=segment)


def orders_in_segments(
    attributed: ir.Table, segments_of_orders: ir.Table, segments: Sequence[str]
) -> ir.Table:
    """The attributed orders placed by someone in one of ``segments``."""
    if not segments:
        return attributed
    kept = segments_of_orders.filter(segments_of_orders.segment.isin(list(segments)))
    return attributed.semi_join(kept, "order_id")
