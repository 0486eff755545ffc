"""The audit's two queries: what every check counts (one union of aggregates, with each
table's rows, money and latest day), then the examples of the checks that found something.

No Python loop touches a data row: the engine returns one row per (check, table) and at
most a few example rows per check.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.periods import local_date
from pilotage.core.quality import findings
from pilotage.core.quality.checks import CHECKS, DATED_TABLES, MONEY_COLUMNS, AuditSettings
from pilotage.core.quality.findings import Flagged
from pilotage.data.schema import TABLES
from pilotage.data.settings import WorkspaceSettings
from pilotage.services.tables import StoredTables, as_float, as_int

#: The row of the measurement that holds a table's own totals.
TOTAL = "_table"
STALE = "dq_stale_table"


@dataclass(frozen=True)
class Planned:
    """One check on one table; ``flagged`` is None for a check computed from the totals
    (stale tables) or that can't run (duplicate people without an email column)."""

    check_id: str
    table: str
    flagged: Flagged | None
    applicable: bool = True


@dataclass(frozen=True)
class Totals:
    rows: int
    money: float
    latest: datetime.date | None


@dataclass(frozen=True)
class Count:
    n: int
    money: float


@dataclass(frozen=True, order=True)
class Example:
    rank: int
    label: str
    n: int | None
    w: float | None


@dataclass(frozen=True)
class Measured:
    totals: dict[str, Totals]
    counts: dict[tuple[str, str], Count]


def day_of(table: ir.Table, name: str, zone: str) -> ir.DateValue | None:
    """The local day of a table's time column (a date column is a day already)."""
    column = TABLES[name].time_column
    if column is None:
        return None
    value = table[column]
    return value if value.type().is_date() else local_date(value, zone)


def start_of_tomorrow(
    table: ir.Table, column: str, today: datetime.date, zone: str
) -> datetime.date | datetime.datetime:
    """The first future value of a time column: tomorrow for a date, else the UTC instant
    at which tomorrow starts in the workspace's zone."""
    tomorrow = today + datetime.timedelta(days=1)
    if table[column].type().is_date():
        return tomorrow
    local = datetime.datetime.combine(tomorrow, datetime.time(), ZoneInfo(zone))
    return local.astimezone(datetime.UTC)


def latest_day(value: object, zone: str) -> datetime.date | None:
    """The local day of a latest value from the engine (a date, or a UTC timestamp)."""
    if isinstance(value, datetime.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
        return aware.astimezone(ZoneInfo(zone)).date()
    return value if isinstance(value, datetime.date) else None


def plan(
    tables: StoredTables,
    settings: WorkspaceSettings,
    today: datetime.date,
    limits: AuditSettings,
) -> list[Planned]:
    """Every check of the audit, table by table, as Ibis expressions (nothing runs yet)."""
    k = limits.examples
    t = {name: tables[name] for name in TABLES}
    spend, touches = t["spend"], t["touchpoints"]
    people_dups = findings.duplicate_people(t["people"], k)
    planned = [
        Planned(
            "dq_spend_unknown_campaign",
            "spend",
            findings.spend_unknown_campaign(spend, t["campaigns"], k),
        ),
        Planned("dq_spend_untracked", "spend", findings.spend_untracked(spend, touches, k)),
        Planned("dq_unassigned_touches", "touchpoints", findings.unassigned_touches(touches, k)),
        Planned(
            "dq_conversions_without_touch",
            "conversions",
            findings.conversions_without_touch(t["conversions"], touches, t["people"], k),
        ),
        Planned(
            "dq_opportunities_without_amount",
            "opportunities",
            findings.opportunities_without_amount(t["opportunities"], k),
        ),
        Planned(
            "dq_opportunities_unknown_account",
            "opportunities",
            findings.opportunities_unknown_account(t["opportunities"], t["accounts"], k),
        ),
        Planned("dq_orders_without_buyer", "orders", findings.orders_without_buyer(t["orders"], k)),
        Planned("dq_duplicate_people", "people", people_dups, applicable=people_dups is not None),
        Planned("dq_duplicate_accounts", "accounts", findings.duplicate_accounts(t["accounts"], k)),
    ]
    zone = settings.timezone
    for name in DATED_TABLES:
        table, column = t[name], TABLES[name].time_column
        day = day_of(table, name, zone)
        assert column is not None and day is not None
        first = start_of_tomorrow(table, column, today, zone)
        flagged = findings.future_rows(table, table[column], first, day, k)
        planned.append(Planned("dq_future_rows", name, flagged))
    for name, spec in TABLES.items():
        if spec.money_columns and spec.column("currency") is not None:
            utc_day = t[name][spec.time_column].cast("date") if spec.time_column else None
            flagged = findings.missing_fx_rate(
                t[name], utc_day, t["fx_rates"], settings.reporting_currency, k
            )
            planned.append(Planned("dq_missing_fx_rate", name, flagged))
    for name, spec in TABLES.items():
        if spec.time_column is not None:
            planned.append(Planned(STALE, name, None, applicable=limits.days(name) is not None))
    return planned


def measure(
    tables: StoredTables,
    settings: WorkspaceSettings,
    planned: Sequence[Planned],
) -> Measured:
    """Each table's rows, money and latest local day, and each check's flagged rows and
    money: one query."""
    parts: list[ir.Table] = []
    for name in TABLES:
        table, column = tables[name], TABLES[name].time_column
        money = MONEY_COLUMNS.get(name)
        # The latest stored value, not the latest local day: the zone is applied to one
        # value afterwards instead of to every row.
        latest = table[column].max() if column else None
        parts.append(
            table.aggregate(
                check=ibis.literal(TOTAL),
                table=ibis.literal(name),
                n=table.count(),
                w=(table[money].sum() if money else ibis.literal(None, "float64")).cast("float64"),
                latest_day=_typed(latest, "date"),
                latest_at=_typed(latest, "timestamp('UTC')"),
            )
        )
    for p in planned:
        if p.flagged is None:
            continue
        rows = p.flagged.rows
        money = MONEY_COLUMNS.get(p.table) if CHECKS[p.check_id].measure == "money" else None
        parts.append(
            rows.aggregate(
                check=ibis.literal(p.check_id),
                table=ibis.literal(p.table),
                n=rows.count(),
                w=(rows[money].sum() if money else ibis.literal(None, "float64")).cast("float64"),
                latest_day=ibis.literal(None, "date"),
                latest_at=ibis.literal(None, "timestamp('UTC')"),
            )
        )
    result = tables.rows(ibis.union(*parts, distinct=False))
    totals: dict[str, Totals] = {}
    counts: dict[tuple[str, str], Count] = {}
    for r in result:
        check, table = str(r["check"]), str(r["table"])
        if check == TOTAL:
            latest = latest_day(r["latest_at"] or r["latest_day"], settings.timezone)
            totals[table] = Totals(as_int(r["n"]), as_float(r["w"]), latest)
        else:
            counts[(check, table)] = Count(as_int(r["n"]), as_float(r["w"]))
    return Measured(totals, counts)


def _typed(value: ir.Value | None, type_: str) -> ir.Value:
    """``value`` as ``type_`` when it is of that kind (a date, or a timestamp), else a null
    of that type."""
    wanted = ibis.dtype(type_)
    if value is None or wanted.is_date() != value.type().is_date():
        return ibis.literal(None, type_)
    return value.cast(wanted)


def examples(
    tables: StoredTables, planned: Iterable[Planned]
) -> dict[tuple[str, str], list[Example]]:
    """The examples of the given checks (label, rows, money), best first: one query."""
    parts = [
        p.flagged.examples.mutate(check=ibis.literal(p.check_id), table=ibis.literal(p.table))
        for p in planned
        if p.flagged is not None
    ]
    found: dict[tuple[str, str], list[Example]] = {}
    if not parts:
        return found
    for r in tables.rows(ibis.union(*parts, distinct=False)):
        n, w = r["n"], r["w"]
        found.setdefault((str(r["check"]), str(r["table"])), []).append(
            Example(
                as_int(r["rank"]),
                str(r["label"]),
                int(n) if isinstance(n, int) else None,
                float(w) if isinstance(w, int | float) else None,
            )
        )
    return {key: sorted(values) for key, values in found.items()}
