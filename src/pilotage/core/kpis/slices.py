"""Slicing raw spend by channel (the budget page; KPIs filter through the engine)."""

from __future__ import annotations

from collections.abc import Sequence

import ibis.expr.types as ir


def spend_in_channels(spend: ir.Table, channels: Sequence[str]) -> ir.Table:
    return spend.filter(spend.channel.isin(list(channels))) if channels else spend
