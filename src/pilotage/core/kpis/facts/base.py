"""What a fact is and what building one needs.

A fact is an Ibis table with a local calendar ``day`` (a stock fact has ``period_start``
instead, one row per span it was built for), the dimension columns named in ``dims``, and
one column per measure. Additive measures are summed, distinct ones counted distinct.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import ibis
import ibis.expr.types as ir

from pilotage.core.channels import PAID_CHANNELS
from pilotage.core.kpis.credit import UNATTRIBUTED, CreditModel
from pilotage.core.kpis.periods import Dialect

#: Label of a dimension value the data does not give (no segment, no campaign, ...).
UNKNOWN = "unknown"


class TableSource(Protocol):
    def __getitem__(self, name: str) -> ir.Table: ...


@dataclass(frozen=True)
class FactContext:
    """Inputs of every fact builder. ``as_of`` is the last local day of the data used for
    "to date" measures (None: everything loaded); ``spans`` are what a stock fact is built
    for: (period key, first day, last day), inclusive local days."""

    tables: TableSource
    zone: str
    dialect: Dialect = "duckdb"
    model: CreditModel = "last"
    lookback_days: int = 90
    half_life_days: float = 7.0
    as_of: datetime.date | None = None
    spans: tuple[tuple[datetime.date, datetime.date, datetime.date], ...] = ()


@dataclass(frozen=True)
class Fact:
    table: ir.Table
    dims: frozenset[str]
    #: measure id -> column counted distinct (others are summed).
    distinct: Mapping[str, str] = field(default_factory=dict)
    stock: bool = False


FactBuilder = Callable[[FactContext], Fact]


def row_id(table: ir.Table, id_column: str) -> ir.StringValue:
    """A unique id per stored row: the store's key, else the table's own id (an empty,
    never-loaded table has no store key)."""
    column = "_key" if "_key" in table.columns else id_column
    return table[column].cast("string")


def with_campaign_attributes(table: ir.Table, campaigns: ir.Table) -> ir.Table:
    """Add ``program`` and ``initiative`` of the row's ``campaign_id``."""
    c = campaigns.select(
        c_campaign="campaign_id", c_program="program", c_initiative="initiative_id"
    )
    j = table.left_join(c, table.campaign_id == c.c_campaign)
    return j.mutate(
        program=j.c_program.fill_null(UNKNOWN), initiative=j.c_initiative.fill_null(UNKNOWN)
    ).drop("c_campaign", "c_program", "c_initiative")


def credited_dims(table: ir.Table) -> dict[str, ir.Value]:
    """Dimension columns of credited rows (``channel``, ``campaign_id``, ``program``,
    ``initiative`` as given by :func:`with_campaign_attributes`)."""
    return {
        "channel": table.channel.fill_null(UNATTRIBUTED),
        "campaign": table.campaign_id.fill_null(UNKNOWN),
        "program": table.program,
        "initiative": table.initiative,
    }


def is_paid(channel: ir.StringValue) -> ir.BooleanValue:
    return channel.isin(list(PAID_CHANNELS))


def zero() -> ir.FloatingValue:
    return ibis.literal(0.0)


CREDITED_DIMS = frozenset({"channel", "campaign", "program", "initiative"})
PARTY_DIMS = frozenset({"segment", "country", "tier", "target", "account"})
